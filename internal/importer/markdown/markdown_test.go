package markdown

import (
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/google/go-cmp/cmp"
)

func TestParseFrontMatter(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		name string
		in   string
		want *article.Article
	}{
		{
			name: "hugo",
			in: `---
title: "Harbour cranes return to Altona"
date: 2025-03-04T09:15:00+01:00
lastmod: 2025-03-05
description: The port's new cranes arrive after two years of delay.
tags: [Ports, "Hamburg"]
categories: Economy
slug: harbour-cranes-altona
author:
  name: Mara Lindqvist
  bio: Economics desk.
related:
  - Why container traffic fell
---
The cranes arrived on Tuesday.
`,
			want: &article.Article{
				Title:          "Harbour cranes return to Altona",
				Slug:           "harbour-cranes-altona",
				Description:    "The port's new cranes arrive after two years of delay.",
				Body:           "The cranes arrived on Tuesday.\n",
				Status:         article.Published,
				PublishedAt:    time.Date(2025, 3, 4, 8, 15, 0, 0, time.UTC),
				UpdatedAt:      time.Date(2025, 3, 5, 0, 0, 0, 0, time.UTC),
				Author:         &article.Author{Name: "Mara Lindqvist", Bio: "Economics desk."},
				Section:        &article.Section{Name: "Economy"},
				Tags:           article.TagsFromNames("Ports", "Hamburg"),
				RequestedLinks: []string{"Why container traffic fell"},
			},
		},
		{
			name: "jekyll",
			in: `---
layout: post
title: Night trains are back
date: 2024-11-02 18:30:00 +0200
excerpt: A sleeper service links three capitals again.
tags: rail, europe
published: false
author: Jonas Ek
---

# Night trains are back

Tickets go on sale *today*.
`,
			want: &article.Article{
				Title:       "Night trains are back",
				Description: "A sleeper service links three capitals again.",
				Body:        "Tickets go on sale *today*.\n",
				Status:      article.Draft,
				PublishedAt: time.Date(2024, 11, 2, 16, 30, 0, 0, time.UTC),
				Author:      &article.Author{Name: "Jonas Ek"},
				Tags:        article.TagsFromNames("rail", "europe"),
			},
		},
		{
			name: "no front matter, title from heading",
			in:   "# Council passes budget\r\n\r\nThe vote was 31 to 12.\r\n",
			want: &article.Article{
				Title:  "Council passes budget",
				Body:   "The vote was 31 to 12.\n",
				Status: article.Published,
			},
		},
		{
			name: "draft and hugo authors list",
			in:   "---\ntitle: Budget “explained”\ndraft: true\nauthors: [Ada Brandt, Li Wei]\nsummary: What changes.\n---\nText — with a dash.\n",
			want: &article.Article{
				Title:       "Budget “explained”",
				Description: "What changes.",
				Body:        "Text — with a dash.\n",
				Status:      article.Draft,
				Author:      &article.Author{Name: "Ada Brandt"},
			},
		},
	} {
		t.Run(test.name, func(t *testing.T) {
			got, err := Parse([]byte(test.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(test.want, got); diff != "" {
				t.Errorf("Parse mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseSection: a section field names the article's section, and all
// categories stay tags; without one, the first category is the section
// and the others are tags.
func TestParseSection(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		name        string
		frontMatter string
		wantSection *article.Section
		wantTags    []article.Tag
	}{
		{"none", "tags: [a]", nil, article.TagsFromNames("a")},
		{"section", "section: World", &article.Section{Name: "World"}, nil},
		{"section with categories", "section: ' World '\ncategories: [Europe, Politics]\ntags: [vote]",
			&article.Section{Name: "World"}, article.TagsFromNames("vote", "Europe", "Politics")},
		{"first category", "categories: [Europe, Politics]\ntags: [vote]",
			&article.Section{Name: "Europe"}, article.TagsFromNames("vote", "Politics")},
		{"categories as a string", "categories: Local News, Transport",
			&article.Section{Name: "Local News"}, article.TagsFromNames("Transport")},
		{"one category", "categories: [Sport]", &article.Section{Name: "Sport"}, nil},
		{"blank section", "section: ''\ncategories: [' ', Sport]", &article.Section{Name: "Sport"}, nil},
	} {
		t.Run(test.name, func(t *testing.T) {
			got, err := Parse([]byte("---\ntitle: Vote\n" + test.frontMatter + "\n---\nText.\n"))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(test.wantSection, got.Section); diff != "" {
				t.Errorf("section (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(test.wantTags, got.Tags); diff != "" {
				t.Errorf("tags (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseKind(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		name, frontMatter string
		want              article.Kind
	}{
		{"none", "tags: [a]", ""},
		{"article", "kind: article", article.Story},
		{"page", "kind: page", article.Page},
		{"about", "kind: About", article.About},
		{"contact", "kind: ' contact '", article.Contact},
		{"jekyll layout", "layout: page", article.Page},
		{"jekyll post", "layout: post", ""},
		{"hugo type", "type: page", article.Page},
		{"hugo type of a section", "type: posts", ""},
		{"kind wins", "kind: about\nlayout: page", article.About},
	} {
		t.Run(test.name, func(t *testing.T) {
			got, err := Parse([]byte("---\ntitle: Vote\n" + test.frontMatter + "\n---\nText.\n"))
			if err != nil {
				t.Fatal(err)
			}
			if got.Kind != test.want {
				t.Errorf("kind %q, want %q", got.Kind, test.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	for _, test := range []struct{ name, in, want string }{
		{"empty", "", "file is empty"},
		{"whitespace", " \n\t\n", "file is empty"},
		{"unclosed front matter", "---\ntitle: x\n\nBody text\n", "never closed"},
		{"broken yaml", "---\ntitle: x\ntags: [a, b\n---\nBody\n", "front matter: line 2: did not find expected ','"},
		{"tab indentation", "---\ntitle: x\n\tdate: 2024-01-01\n---\nBody\n", "front matter: line 3"},
		{"bad date", "---\ntitle: x\ndate: last tuesday\n---\nBody\n", `front matter: line 3: "last tuesday" is not a date`},
		{"nested tags", "---\ntitle: x\ntags:\n  - [a, b]\n---\nBody\n", "line 4: want a list of words"},
		{"bad slug", "---\ntitle: x\nslug: Not A Slug\n---\nBody\n", `slug "Not A Slug"`},
		{"no title", "---\ndate: 2024-01-01\n---\nJust text.\n", "no title"},
		{"title only", "---\ntitle: Lonely\n---\n\n", "title but no body"},
		{"heading only", "# Lonely\n", "title but no body"},
		{"broken toml", "+++\ntitle = 'x'\ndate = \n+++\nBody\n", "front matter: line 3: expected value"},
		{"unclosed toml", "+++\ntitle = 'x'\n\nBody\n", "never closed with a +++ line"},
		{"unknown kind", "---\ntitle: x\nkind: post\n---\nBody\n", `front matter: unknown kind "post" (want article, page, about or contact)`},
	} {
		t.Run(test.name, func(t *testing.T) {
			_, err := Parse([]byte(test.in))
			if err == nil || !strings.Contains(err.Error(), test.want) {
				t.Fatalf("Parse error = %v, want it to contain %q", err, test.want)
			}
		})
	}
}

// Hugo's TOML front matter reads as YAML's does.
func TestParseTOMLFrontMatter(t *testing.T) {
	content := []byte("+++\ntitle = 'Harbour lights'\ndate = 2024-05-01T08:30:00Z\ndraft = true\ntags = ['harbour', 'night']\ncategories = ['Town']\naliases = ['/old/lights/']\n[cover]\nimage = '/images/lights.jpg'\nalt = 'Lights on the quay'\n+++\nThe lights come on at dusk.\n")
	a, err := Parse(content)
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Harbour lights" || a.Status != article.Draft || !a.PublishedAt.Equal(time.Date(2024, 5, 1, 8, 30, 0, 0, time.UTC)) || a.Section == nil || a.Section.Name != "Town" || len(a.Tags) != 2 {
		t.Errorf("article %+v", a)
	}
	if _, aliases, err := OldAddresses(content); err != nil || len(aliases) != 1 || aliases[0] != "/old/lights/" {
		t.Errorf("aliases %v, %v", aliases, err)
	}
	imgs, err := ImagesOf(content, a)
	if err != nil || imgs.Featured == nil || *imgs.Featured != (ImageRef{Path: "/images/lights.jpg", Alt: "Lights on the quay", Rooted: true}) {
		t.Errorf("featured image %+v, %v", imgs.Featured, err)
	}
}

func TestImagesOf(t *testing.T) {
	content := []byte("---\ntitle: Quay works\nimage: photos/quay.jpg\nimage_alt: The quay at dawn\nimage_caption: Work starts.\nimage_credit: Ana Berg\n---\n" +
		"Text ![a crane](photos/crane.png \"Crane\") and ![web](https://example.com/x.jpg), ![site](/static/y.jpg), ![up](../z.jpg), ![lib](media:4), ![again](photos/crane.png).\n")
	a, err := Parse(content)
	if err != nil {
		t.Fatal(err)
	}
	imgs, err := ImagesOf(content, a)
	if err != nil {
		t.Fatal(err)
	}
	want := &Images{
		Featured: &ImageRef{Path: "photos/quay.jpg", Alt: "The quay at dawn", Caption: "Work starts.", Credit: "Ana Berg"},
		Body:     []ImageRef{{Path: "photos/crane.png", Alt: "a crane"}, {Path: "/static/y.jpg", Alt: "site", Rooted: true}},
	}
	if diff := cmp.Diff(want, imgs); diff != "" {
		t.Errorf("ImagesOf (-want +got):\n%s", diff)
	}
	UseImages(a, map[string]int64{"photos/crane.png": 12})
	if !strings.Contains(a.Body, "![a crane](media:12)") || !strings.Contains(a.Body, "![again](media:12)") || !strings.Contains(a.Body, "![up](../z.jpg)") {
		t.Errorf("body after UseImages:\n%s", a.Body)
	}
}
