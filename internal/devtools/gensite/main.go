// Command gensite writes one invented news site twice, for comparing
// Dateline's static export with Hugo on the same content
// (scripts/bench-export.sh, issue 18):
//
//   - DIR/markdown/SECTION/*.md: N articles as Markdown files whose front
//     matter 'dateline import DIR/markdown' reads (title, slug, date,
//     description, author, categories, whose first is the section, tags;
//     keywords too, which Dateline ignores and Hugo's related content
//     uses);
//   - DIR/hugo/: a complete, minimal Hugo site with the same files under
//     content/, a hugo.toml (related content on tags and keywords,
//     pagination of 10, feeds of 20, the tags and categories
//     taxonomies) and a tiny theme of our own in layouts/: article pages
//     with a table of contents, five related articles and five more in
//     the section; the home page, sections and tags and categories
//     paginated; the list of each taxonomy's terms; Hugo's own RSS feeds,
//     sitemap and robots.txt.
//
// Each article has about WORDS words of invented text in paragraphs under
// H2 and H3 headings, with the odd list and quotation, three tags (two of
// its section's, one of the whole site's), one of six sections and one of
// eight authors. Article 1 is the newest; each next one is an hour older
// (the newest dated 2025-01-01 12:00 UTC, so nothing is in the future).
// The text is drawn from math/rand/v2 seeded by the article's number, so
// article i is the same whatever N is, and every run writes the same
// bytes. Files are named NNNNNN-SLUG.md (the number zero-padded), so the
// newest sorts first.
//
// Usage: go run ./internal/devtools/gensite -n 1000 -words 2000 -out DIR
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

func main() {
	n := flag.Int("n", 1000, "how many articles")
	words := flag.Int("words", 2000, "about how many words each article has")
	out := flag.String("out", "", "the folder to write markdown/ and hugo/ in (neither may exist yet)")
	flag.Parse()
	if *out == "" || *n < 1 || *words < 50 || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: gensite [-n 1000] [-words 2000] -out DIR (WORDS at least 50)")
		os.Exit(2)
	}
	start := time.Now()
	size, err := run(*out, *n, *words)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gensite:", err)
		os.Exit(1)
	}
	fmt.Printf("gensite: %d articles of about %d words (%.1f MB of Markdown each) in %s and %s, %.1f s\n",
		*n, *words, float64(size)/1e6, filepath.Join(*out, "markdown"), filepath.Join(*out, "hugo"), time.Since(start).Seconds())
}

// run writes the site into out and returns the size of one copy of the
// articles.
func run(out string, n, words int) (int64, error) {
	md, hugo := filepath.Join(out, "markdown"), filepath.Join(out, "hugo")
	for _, d := range []string{md, hugo} {
		if _, err := os.Stat(d); err == nil {
			return 0, fmt.Errorf("%s exists already: remove it first, or choose another -out", d)
		}
	}
	for _, s := range sections {
		for _, d := range []string{filepath.Join(md, s.slug), filepath.Join(hugo, "content", s.slug)} {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return 0, err
			}
		}
		// Hugo's section page takes its title from here (not "Cultures").
		index := fmt.Sprintf("---\ntitle: %q\n---\n", s.name)
		if err := os.WriteFile(filepath.Join(hugo, "content", s.slug, "_index.md"), []byte(index), 0o644); err != nil {
			return 0, err
		}
	}
	if err := writeHugoSite(hugo); err != nil {
		return 0, err
	}
	var size int64
	var buf strings.Builder
	for i := 1; i <= n; i++ {
		buf.Reset()
		s, slug := writeArticle(&buf, i, words)
		name := fmt.Sprintf("%06d-%s.md", i, slug)
		for _, p := range []string{filepath.Join(md, s.slug, name), filepath.Join(hugo, "content", s.slug, name)} {
			if err := os.WriteFile(p, []byte(buf.String()), 0o644); err != nil {
				return 0, err
			}
		}
		size += int64(buf.Len())
	}
	return size, nil
}

// newest is the first article's date; each next one is an hour older.
var newest = time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)

// writeArticle writes article i (front matter and body of about words
// words) to b, and returns its section and slug.
func writeArticle(b *strings.Builder, i, words int) (*section, string) {
	g := &gen{r: rand.New(rand.NewPCG(20260101, uint64(i)))}
	s := &sections[g.r.IntN(len(sections))]
	g.sec = s
	g.place = pick(g.r, places)
	title := g.headline()
	slug := slugify(title) + "-" + strconv.Itoa(i)
	tags := g.distinct(2, s.tags)
	tags = append(tags, pick(g.r, siteTags))
	keywords := []string{g.place, pick(g.r, s.nouns)}
	description := g.sentence()
	author := pick(g.r, authors)

	fmt.Fprintf(b, "---\ntitle: %q\nslug: %s\ndate: %s\ndescription: %q\nauthor: %q\ncategories: [%q]\ntags: [%s]\nkeywords: [%s]\n---\n\n",
		title, slug, newest.Add(-time.Duration(i-1)*time.Hour).Format(time.RFC3339), description, author, s.name,
		quoteAll(tags), quoteAll(keywords))
	g.body(b, words)
	return s, slug
}

// gen writes one article's text.
type gen struct {
	r     *rand.Rand
	sec   *section
	place string // where the story happens, named often
}

// body writes about words words: an opening paragraph or two, then
// parts under H2 headings (some with an H3), now and then a quotation
// or a list.
func (g *gen) body(b *strings.Builder, words int) {
	written := 0
	para := func() {
		n := 3 + g.r.IntN(4)
		var p []string
		for range n {
			p = append(p, g.sentence())
		}
		text := strings.Join(p, " ")
		written += len(strings.Fields(text))
		b.WriteString(text)
		b.WriteString("\n\n")
	}
	para()
	for written < words {
		h := g.heading()
		fmt.Fprintf(b, "## %s\n\n", h)
		written += len(strings.Fields(h))
		parts := 3 + g.r.IntN(3)
		for k := 0; k < parts && written < words; k++ {
			switch {
			case k == 2 && g.r.IntN(3) == 0:
				h := g.heading()
				fmt.Fprintf(b, "### %s\n\n", h)
				written += len(strings.Fields(h))
			case k == 1 && g.r.IntN(4) == 0:
				q := g.quote()
				fmt.Fprintf(b, "> %s\n\n", q)
				written += len(strings.Fields(q))
			case k == 3 && g.r.IntN(5) == 0:
				for range 3 {
					item := capitalize(g.phrase())
					fmt.Fprintf(b, "- %s.\n", item)
					written += len(strings.Fields(item))
				}
				b.WriteString("\n")
			}
			para()
		}
	}
}

// headline is a title such as "Velmora council delays harbour budget".
func (g *gen) headline() string {
	v := pick(g.r, verbs)
	switch g.r.IntN(4) {
	case 0:
		return fmt.Sprintf("%s %s %s %s %s", g.place, pick(g.r, g.sec.nouns), v[0], pick(g.r, adjectives), pick(g.r, g.sec.nouns))
	case 1:
		return fmt.Sprintf("%s %s %s the %s in %s", capitalize(pick(g.r, adjectives)), pick(g.r, g.sec.nouns), v[0], pick(g.r, nouns), g.place)
	case 2:
		return fmt.Sprintf("Why the %s %s the %s of %s", pick(g.r, g.sec.nouns), v[0], pick(g.r, nouns), g.place)
	default:
		return fmt.Sprintf("%s %s after %d %s of %s", capitalize(pick(g.r, g.sec.nouns)), v[0], 2+g.r.IntN(30), pick(g.r, units), pick(g.r, nouns))
	}
}

// heading is a section heading of the body.
func (g *gen) heading() string {
	switch g.r.IntN(3) {
	case 0:
		return fmt.Sprintf("The %s and the %s", g.noun(), g.noun())
	case 1:
		return fmt.Sprintf("%s %s in %s", capitalize(pick(g.r, adjectives)), g.noun(), g.place)
	default:
		return fmt.Sprintf("What the %s %s", g.noun(), pick(g.r, verbs)[1])
	}
}

// noun is a noun of the story's section more often than not.
func (g *gen) noun() string {
	if g.r.IntN(5) < 3 {
		return pick(g.r, g.sec.nouns)
	}
	return pick(g.r, nouns)
}

// phrase is a short noun phrase, for lists.
func (g *gen) phrase() string {
	return fmt.Sprintf("the %s %s %s %s", pick(g.r, adjectives), g.noun(), pick(g.r, prepositions), pick(g.r, []string{g.place, "the " + g.noun(), pick(g.r, places)}))
}

// quote is something a person said, with who said it.
func (g *gen) quote() string {
	return fmt.Sprintf("\u201cThe %s %s the %s, and the %s will %s it %s,\u201d said %s, %s.",
		g.noun(), pick(g.r, verbs)[1], g.noun(), g.noun(), pick(g.r, bareVerbs), pick(g.r, whens), g.person(), g.role())
}

func (g *gen) person() string {
	return pick(g.r, firstNames) + " " + pick(g.r, places[:24])
}

func (g *gen) role() string {
	return fmt.Sprintf("%s of the %s %s", pick(g.r, roles), pick(g.r, adjectives), g.noun())
}

// sentence is one sentence of the text.
func (g *gen) sentence() string {
	var s string
	switch g.r.IntN(8) {
	case 0:
		s = fmt.Sprintf("the %s %s in %s %s the %s %s", pick(g.r, adjectives), g.noun(), g.place, pick(g.r, verbs)[1], g.noun(), pick(g.r, whens))
	case 1:
		s = fmt.Sprintf("%s said that the %s had %s the %s %s after %d %s", g.person(), g.noun(), pick(g.r, verbs)[1], pick(g.r, adjectives), g.noun(), 2+g.r.IntN(40), pick(g.r, units))
	case 2:
		s = fmt.Sprintf("according to the %s, the %s %s %s the %s of %s", g.noun(), g.noun(), pick(g.r, verbs)[1], pick(g.r, prepositions), g.noun(), pick(g.r, []string{g.place, pick(g.r, places)}))
	case 3:
		adj := pick(g.r, adjectives)
		s = fmt.Sprintf("residents of %s %s the %s and asked for %s %s %s %s", g.place, pick(g.r, verbs)[1], g.noun(), article(adj), adj, g.noun(), pick(g.r, whens))
	case 4:
		s = fmt.Sprintf("it was the %s time this %s that the %s had %s a %s", pick(g.r, ordinals), pick(g.r, periods), g.noun(), pick(g.r, verbs)[1], g.noun())
	case 5:
		s = fmt.Sprintf("by %s the %s %s more than %d %s, %s", pick(g.r, times), g.noun(), pick(g.r, verbs)[1], 3+g.r.IntN(900), pick(g.r, units), pick(g.r, asides))
	case 6:
		s = fmt.Sprintf("the %s will %s the %s %s, the %s of %s said", g.noun(), pick(g.r, bareVerbs), g.noun(), pick(g.r, whens), pick(g.r, roles), g.place)
	default:
		s = fmt.Sprintf("%s %s %s, but the %s %s will %s the %s %s %s", pick(g.r, openers), g.noun(), pick(g.r, verbs)[1], pick(g.r, adjectives), g.noun(), pick(g.r, bareVerbs), g.noun(), pick(g.r, prepositions), pick(g.r, []string{g.place, "the " + g.noun()}))
	}
	return capitalize(s) + "."
}

// distinct picks k different words of list.
func (g *gen) distinct(k int, list []string) []string {
	var got []string
	for _, j := range g.r.Perm(len(list))[:k] {
		got = append(got, list[j])
	}
	return got
}

// article is "a" or "an", as word needs.
func article(word string) string {
	if strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

func quoteAll(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

// slugify keeps a title's letters and digits, lower-cased, with single
// hyphens between words.
func slugify(s string) string {
	var b strings.Builder
	for _, w := range strings.Fields(strings.ToLower(s)) {
		if b.Len() > 0 {
			b.WriteByte('-')
		}
		for _, c := range w {
			if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
				b.WriteRune(c)
			}
		}
	}
	return b.String()
}

// section is one of the site's sections, with the nouns its stories use
// most and the tags they take.
type section struct {
	name, slug string
	nouns      []string
	tags       []string
}

var sections = []section{
	{"News", "news", strings.Fields(`ferry harbour bridge tram road fire flood storm station hospital school police
		court library market crossing tunnel quay depot ambulance shelter`),
		strings.Fields(`transport weather crime health schools housing emergencies roads`)},
	{"Politics", "politics", strings.Fields(`council mayor vote budget election minister motion committee party
		coalition ballot referendum assembly tax policy debate candidate ward inquiry treaty`),
		strings.Fields(`elections budget parliament councils taxation campaigns referendums diplomacy`)},
	{"Business", "business", strings.Fields(`company factory market shares profit bank loan harvest shipyard
		trade contract warehouse cooperative merger supplier retailer brewery mill port wage`),
		strings.Fields(`jobs trade banking shipping farming industry retail energy`)},
	{"Sport", "sport", strings.Fields(`match club league goal coach season stadium race regatta cup final
		striker keeper derby squad tournament trophy pitch marathon relay`),
		strings.Fields(`football rowing athletics cycling sailing tennis rugby swimming`)},
	{"Culture", "culture", strings.Fields(`festival theatre gallery concert choir novel exhibition museum
		orchestra film poet painter stage choreographer premiere archive mural carnival opera bookshop`),
		strings.Fields(`music theatre books film art heritage festivals dance`)},
	{"Science", "science", strings.Fields(`survey laboratory telescope reef glacier species satellite sample
		vaccine turbine sensor fossil experiment observatory trial forest genome seabed comet aquifer`),
		strings.Fields(`climate space research medicine oceans wildlife technology geology`)},
}

// siteTags are tags of any section.
var siteTags = strings.Fields(`analysis explainer interview opinion investigation longread
	obituary review live-updates data correction local`)

var nouns = strings.Fields(`plan report year week evening morning family crowd road river window
	question answer letter meeting office street square garden village island coast valley
	price rent queue notice warning promise decision change delay repair winter summer
	spring autumn night visitor neighbour worker driver teacher pupil nurse owner tenant`)

var adjectives = strings.Fields(`new old long short quiet busy early late local northern southern
	eastern western small large narrow wide costly cheap sudden slow fresh final second
	annual public private wet dry bright dark young steady uncertain familiar rare`)

// verbs are pairs: the form a headline uses and the past tense.
var verbs = [][2]string{
	{"delays", "delayed"}, {"approves", "approved"}, {"rejects", "rejected"}, {"opens", "opened"},
	{"closes", "closed"}, {"wins", "won"}, {"loses", "lost"}, {"doubles", "doubled"},
	{"halves", "halved"}, {"repairs", "repaired"}, {"reviews", "reviewed"}, {"questions", "questioned"},
	{"backs", "backed"}, {"blocks", "blocked"}, {"extends", "extended"}, {"cuts", "cut"},
	{"expands", "expanded"}, {"moves", "moved"}, {"reopens", "reopened"}, {"funds", "funded"},
	{"plans", "planned"}, {"warns", "warned"}, {"welcomes", "welcomed"}, {"restores", "restored"},
}

var bareVerbs = strings.Fields(`decide review fund repair open close extend publish measure
	reconsider support study replace rebuild announce delay follow explain`)

var prepositions = strings.Fields(`near beside along across behind beyond outside above below`)

var whens = []string{"on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "at the weekend",
	"last week", "this morning", "late last night", "in the spring", "before the vote", "after the holidays",
	"within a month", "by the end of the year", "next season", "earlier this year"}

var times = []string{"noon", "midnight", "the afternoon", "the evening", "dawn", "the weekend", "Thursday", "the spring"}

var units = strings.Fields(`days weeks months years votes metres kilometres tonnes percent
	visitors members residents seats hours`)

var ordinals = strings.Fields(`first second third fourth fifth`)

var periods = strings.Fields(`week month year season decade`)

var openers = []string{"At first the", "For now the", "Last year the", "In the end the", "Even so the", "Since then the", "Once again the"}

var asides = []string{"figures from the council show", "as the records confirm", "which surprised nobody",
	"a rise on last year", "the highest in a decade", "though few had expected it", "its officers said"}

var roles = strings.Fields(`chair head spokeswoman spokesman director secretary treasurer founder
	captain manager curator leader`)

var firstNames = strings.Fields(`Aino Bram Cato Delia Emrys Freya Gideon Hester Idris Juno Kasimir
	Liesel Magnus Nell Orla Piet Quilla Rasmus Saoirse Tobin Una Vesna Wendel Yara Zeno`)

// places and authors are invented names, made once from syllables.
var places, authors = inventNames()

func inventNames() (places, authors []string) {
	r := rand.New(rand.NewPCG(7, 11))
	onsets := strings.Fields(`b br c d dr f g gl h k l m n p pr r s st t tr v w z`)
	vowels := strings.Fields(`a e i o u ai ea ou`)
	codas := []string{"", "", "n", "r", "l", "s", "th", "m", "nd", "ck"}
	suffixes := []string{"", "", "", "ford", "by", "wick", "haven", "mouth", "stead", "more"}
	syllable := func() string { return pick(r, onsets) + pick(r, vowels) + pick(r, codas) }
	seen := map[string]bool{}
	for len(places) < 48 {
		p := syllable() + syllable()
		if r.IntN(3) == 0 {
			p += syllable()
		}
		p = capitalize(p + pick(r, suffixes))
		if !seen[p] && len(p) <= 12 {
			seen[p] = true
			places = append(places, p)
		}
	}
	for len(authors) < 8 {
		a := pick(r, firstNames) + " " + capitalize(syllable()+syllable()+pick(r, suffixes))
		if !seen[a] {
			seen[a] = true
			authors = append(authors, a)
		}
	}
	return places, authors
}

// writeHugoSite writes the Hugo site's configuration and theme into dir.
func writeHugoSite(dir string) error {
	for name, text := range hugoFiles {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		f, err := os.Create(p)
		if err != nil {
			return err
		}
		w := bufio.NewWriter(f)
		w.WriteString(strings.TrimLeft(text, "\n"))
		if err := w.Flush(); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}

// hugoFiles are the Hugo site's files but its content. The settings
// match Dateline's: 10 articles a page (public.PerPage), 20 in a feed
// (public.FeedSize).
var hugoFiles = map[string]string{
	"hugo.toml": `
baseURL = "https://bench.example.org/"
languageCode = "en"
title = "Bench Gazette"
paginate = 10
rssLimit = 20
enableRobotsTXT = true
pluralizeListTitles = false

[taxonomies]
  category = "categories"
  tag = "tags"

[related]
  includeNewer = true
  threshold = 80
  toLower = true
  [[related.indices]]
    name = "tags"
    weight = 100
  [[related.indices]]
    name = "keywords"
    weight = 80

[markup.tableOfContents]
  startLevel = 2
  endLevel = 3
`,
	"layouts/_default/baseof.html": `
<!DOCTYPE html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} · {{ site.Title }}{{ end }}</title>
{{ with .Description }}<meta name="description" content="{{ . }}">{{ end }}
<link rel="canonical" href="{{ .Permalink }}">
{{ range .AlternativeOutputFormats }}<link rel="{{ .Rel }}" type="{{ .MediaType.Type }}" href="{{ .Permalink }}" title="{{ site.Title }}">
{{ end }}</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav>{{ range site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav>
</header>
<main>
{{ block "main" . }}{{ end }}
</main>
<footer><a href="{{ "/tags/" | relURL }}">Tags</a> · <a href="{{ "/categories/" | relURL }}">Categories</a></footer>
</body>
</html>
`,
	"layouts/_default/single.html": `
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p>By {{ .Params.author }} · <time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "2 January 2006, 15:04" }}</time>{{ with .CurrentSection }} · <a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</p>
{{ .TableOfContents }}
{{ .Content }}
<p>{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
</article>
{{ with first 5 (site.RegularPages.Related .) }}
<aside><h2>Related</h2>
<ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</aside>
{{ end }}
{{ $self := .Permalink }}{{ $n := 0 }}
<aside><h2>More in {{ .CurrentSection.Title }}</h2>
<ul>{{ range first 6 .CurrentSection.RegularPages }}{{ if and (ne .Permalink $self) (lt $n 5) }}{{ $n = add $n 1 }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}{{ end }}</ul>
</aside>
{{ end }}
`,
	"layouts/partials/item.html": `
<article>
<h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p><time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "2 January 2006" }}</time> · {{ .Params.author }}</p>
<p>{{ .Summary }}</p>
</article>
`,
	"layouts/index.html": `
{{ define "main" }}
{{ $pager := .Paginate site.RegularPages }}
{{ range $pager.Pages }}{{ partial "item.html" . }}{{ end }}
{{ template "_internal/pagination.html" . }}
{{ end }}
`,
	"layouts/_default/list.html": `
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ $pager := .Paginate .Pages }}
{{ range $pager.Pages }}{{ partial "item.html" . }}{{ end }}
{{ template "_internal/pagination.html" . }}
{{ end }}
`,
	"layouts/_default/term.html": `
{{ define "main" }}
<h1>{{ .Data.Singular | title }}: {{ .Title }}</h1>
{{ $pager := .Paginate .Pages }}
{{ range $pager.Pages }}{{ partial "item.html" . }}{{ end }}
{{ template "_internal/pagination.html" . }}
{{ end }}
`,
	"layouts/_default/taxonomy.html": `
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
`,
	"layouts/404.html": `
{{ define "main" }}
<h1>Not found</h1>
<p>There is no page at this address. <a href="{{ "/" | relURL }}">The front page</a> has the latest news.</p>
{{ end }}
`,
}
