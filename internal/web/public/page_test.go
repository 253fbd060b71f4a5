package public

import (
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/web"
)

// TestSitePages: an About page and a privacy page show without byline,
// counters or related stories, carry AboutPage and WebPage data, stay out
// of the listings and feeds but not the sitemap; the publisher's data
// names the pages the settings choose as its principles and corrections
// policy.
func TestSitePages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	ts.add(t, &article.Article{Title: "Harbour Strike Ends", Body: "Dockers went back.\n", PublishedAt: published, Author: &article.Author{Name: "Jonas Ek"}})
	ts.add(t, &article.Article{Kind: article.About, Title: "About the Courier", Description: "Who we are and how we work.", Body: "We report on Selvik.\n", PublishedAt: published, CommentsClosed: true})
	ts.add(t, &article.Article{Kind: article.Page, Title: "Corrections", Body: "We correct mistakes openly.\n", PublishedAt: published, CommentsClosed: true})

	resp, body := ts.get(t, "/about-the-courier/")
	if resp.StatusCode != 200 {
		t.Fatalf("GET the about page = %d", resp.StatusCode)
	}
	doc := parseHTML(t, body)
	for _, class := range []string{"byline", "comments", "related", "breadcrumb"} {
		if len(findAll(doc, hasClass(class))) > 0 {
			t.Errorf("the about page has a %s", class)
		}
	}
	ld := jsonLD(t, doc)
	if ld["AboutPage"] == nil || ld["AboutPage"]["name"] != "About the Courier" || ld["NewsArticle"] != nil {
		t.Errorf("the about page's JSON-LD: %v", ld)
	}
	if !strings.Contains(body, `<meta property="og:type" content="website">`) {
		t.Error("the about page is not a website for OpenGraph")
	}
	if _, body := ts.get(t, "/corrections/"); !strings.Contains(body, `"@type":"WebPage"`) {
		t.Error("a plain page is not a WebPage")
	}
	for _, path := range []string{"/", "/feed/", "/news-sitemap.xml", "/author/jonas-ek/"} {
		if _, body := ts.get(t, path); strings.Contains(body, "About the Courier") {
			t.Errorf("%s lists the about page", path)
		}
	}
	if _, body := ts.get(t, "/sitemap.xml"); !strings.Contains(body, ts.URL+"/about-the-courier/") {
		t.Error("the sitemap leaves the about page out")
	}

	// The settings name the corrections policy and the principles: the
	// home page's publisher data links them.
	var site *web.Site
	ts2 := newTestServer(t, 0, "", func(_ *Options, s *web.Site) { site = s })
	site.SetOverrides(web.SiteOverrides(store.SiteSettings{CorrectionsPolicy: "corrections", PublishingPrinciples: "about-the-courier"}))
	_, body = ts2.get(t, "/")
	org := jsonLD(t, parseHTML(t, body))["NewsMediaOrganization"]
	if org == nil || org["correctionsPolicy"] != ts2.URL+"/corrections/" || org["publishingPrinciples"] != ts2.URL+"/about-the-courier/" {
		t.Errorf("the publisher's data: %v", org)
	}
}

// TestAuthorProfilePage: an author's page shows the profile (role, bio,
// links) with ProfilePage data about the Person; the box under their
// articles shows the role too.
func TestAuthorProfilePage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	a := ts.add(t, &article.Article{Title: "Harbour Strike Ends", Body: "Dockers went back.\n", PublishedAt: published, Author: &article.Author{Name: "Jonas Ek"}})
	au, err := ts.store.Author(ctx, "jonas-ek")
	if err != nil {
		t.Fatal(err)
	}
	au.Bio = "Jonas covers the port."
	au.Profile = &article.Profile{RoleTitle: "Port reporter", Links: []article.Link{{Label: "Mastodon", URL: "https://social.example/@jonas"}}}
	if err := ts.store.UpdateAuthor(ctx, au); err != nil {
		t.Fatal(err)
	}
	_, body := ts.get(t, "/author/jonas-ek/")
	doc := parseHTML(t, body)
	profile := findAll(doc, hasClass("profile"))
	if len(profile) != 1 || !strings.Contains(text(profile[0]), "Port reporter") || !strings.Contains(body, `<a href="https://social.example/@jonas" rel="me">Mastodon</a>`) {
		t.Errorf("the author page does not show the profile")
	}
	ld := jsonLD(t, doc)["ProfilePage"]
	person, _ := ld["mainEntity"].(map[string]any)
	if person == nil || person["jobTitle"] != "Port reporter" || person["description"] != "Jonas covers the port." {
		t.Errorf("ProfilePage data: %v", ld)
	}
	_, body = ts.get(t, "/"+a.Slug+"/")
	if box := findAll(parseHTML(t, body), hasClass("author-box")); len(box) != 1 || !strings.Contains(text(box[0]), "Port reporter") {
		t.Error("the author box does not show the role")
	}
}
