package seo

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/render"
)

// Status is the verdict of one check of the SEO analysis.
type Status string

// The verdicts, from best to worst.
const (
	OK      Status = "ok"      // nothing to do
	Improve Status = "improve" // worth changing
	Problem Status = "problem" // hurts how the article is found or read
)

// Check is one finding of the SEO analysis.
type Check struct {
	// ID names the check for scripts, such as "title-length"; it never
	// changes.
	ID string
	// Name names the check for people, such as "Title length".
	Name   string
	Status Status
	// Reason says on one line what was found and, unless Status is OK,
	// what to change.
	Reason string
	// Bonus marks a check that counts towards the score only when it
	// passes; see Report.Score.
	Bonus bool
}

// Report is the SEO analysis of one article.
type Report struct {
	// Score rates the article from 0 to 100. Every check has the same
	// weight: OK earns it in full, Improve half and Problem nothing, and
	// Score is the share earned of the weight of the checks counted,
	// rounded. A bonus check (keyphrase density) is counted only when
	// it is OK, so it can raise the score but never lower it. An
	// article without a focus keyphrase has one Improve check in place
	// of the keyphrase checks.
	Score  int
	Checks []Check
	// Text holds the measurements behind the readability checks.
	Text TextStats
}

// Check returns the check with the given ID and whether the report has
// it.
func (r Report) Check(id string) (Check, bool) {
	for _, c := range r.Checks {
		if c.ID == id {
			return c, true
		}
	}
	return Check{}, false
}

// SiteFacts is what the analysis knows of the site around the article.
type SiteFacts struct {
	// BaseURL is the site's public address, such as
	// https://news.example.org: links to its host (with or without www.)
	// are internal. Relative links are internal in any case, so it may be
	// empty.
	BaseURL string
	// Images are the library images the article uses (its featured image,
	// those its body names), for the image checks: an image named in the
	// body with no alt text of its own has the library's.
	Images render.Images
	// SetKeyphrase says where the reader of the report sets an article's
	// focus keyphrase, in the words of the adapter that shows it, such as
	// "in the Focus keyphrase field above": the advice to an article
	// without one is to "set the search phrase the article should be
	// found by" followed by it. Empty says "as its focus keyphrase".
	SetKeyphrase string
	// Topics are the site's topic pages the focus keyphrase may name:
	// when it is one of them, the analysis says so and asks for a link
	// to it.
	Topics []Topic
}

// Topic is a topic page of the site: an entity's, with the names that
// are its own (its name, initials, other spellings).
type Topic struct {
	Name  string
	Names []string
	Path  string // its address on the site, such as /topic/pakistan/
}

// MinFeaturedWidth is the narrowest featured image Google's Article
// guidelines and Discover take.
const MinFeaturedWidth = 1200

// Thresholds of the checks. The description bounds are MinDescription
// and MaxDescription, the ones a generated description keeps to, and the
// longest headline is MaxHeadline, the limit of NewsArticle's headline.
const (
	// MinTitle and MaxTitle bound a title that search results show
	// whole.
	MinTitle = 30
	MaxTitle = 60
	// MinWords is the shortest body that is OK; under MinWordsImprove it
	// is a problem.
	MinWords        = 300
	MinWordsImprove = 200
	// A long sentence has more than LongSentence words; at most
	// MaxLongSentenceShare of them are OK.
	LongSentence         = 20
	MaxLongSentenceShare = 0.25
	// A long paragraph has more than LongParagraph words.
	LongParagraph = 150
	// A section of more than SectionWords words needs a sub-heading.
	SectionWords = 300
	// FleschOK and FleschProblem are the Flesch reading ease at or above
	// which the text is OK, and under which it is a problem; between
	// them it needs improving.
	FleschOK      = 60
	FleschProblem = 30
	// MinDensity and MaxDensity bound the keyphrase density: how many
	// times the keyphrase occurs per 100 words, in percent.
	MinDensity = 0.5
	MaxDensity = 3.0
)

// Analyze checks an article for search engines and readers, as Yoast's
// panel does in WordPress: the focus keyphrase (in the title, OK when it
// starts in the title's first half; in the description, the first
// paragraph, an H2 or H3 and the slug; and its density), the lengths of
// the title, description and text, the heading structure (no H1 in the
// body, whose H1 is the title, and no skipped level), readability (Flesch
// reading ease, long sentences, long paragraphs, sub-heading
// distribution), internal and outbound links (in Markdown and raw HTML)
// and images without alternative text; a keyphrase that names one of the
// site's topic pages asks for a link to it. The thresholds are the
// constants above. The keyphrase matches the same words in the same order,
// whatever their case, accents, punctuation or plural s. doc is the
// article's parsed body; a is not changed. Analyze reads nothing but its
// arguments.
func Analyze(a *article.Article, doc *render.Document, site SiteFacts) Report {
	f := collectFacts(doc)
	slug := a.Slug
	if slug == "" {
		slug = article.Slugify(a.Title)
	}
	words := doc.WordCount()
	var checks []Check
	checks = append(checks, keyphraseChecks(a, slug, f, words, site.SetKeyphrase)...)
	if c, ok := keyphraseTopic(a.FocusKeyphrase, f, site); ok {
		checks = append(checks, c)
	}
	checks = append(checks,
		titleLength(a.Title, a.SEOTitle),
		descriptionLength(a.Description),
		singleH1(f),
		headingLevels(f),
		textLength(words),
		subheadingDistribution(f, words),
		fleschCheck(f.stats),
		sentenceLength(f.stats),
		paragraphLength(f),
		internalLinks(a, f, site),
		outboundLinks(f, site),
		imageAlt(f, site.Images),
		featuredImage(a, site.Images),
	)
	return Report{Score: reportScore(checks), Checks: checks, Text: f.stats}
}

// reportScore computes Report.Score.
func reportScore(checks []Check) int {
	earned, counted := 0.0, 0.0
	for _, c := range checks {
		if c.Bonus && c.Status != OK {
			continue
		}
		counted++
		switch c.Status {
		case OK:
			earned++
		case Improve:
			earned += 0.5
		}
	}
	if counted == 0 {
		return 0
	}
	return int(math.Round(100 * earned / counted))
}

func keyphraseChecks(a *article.Article, slug string, f *docFacts, words int, where string) []Check {
	kp := strings.Join(strings.Fields(a.FocusKeyphrase), " ")
	if kp == "" {
		if where == "" {
			where = "as its focus keyphrase"
		}
		return []Check{{
			ID: "keyphrase", Name: "Focus keyphrase", Status: Improve,
			Reason: "no focus keyphrase: set the search phrase the article should be found by " + where,
		}}
	}
	key := matchWords(kp)
	if len(key) == 0 {
		return []Check{{
			ID: "keyphrase", Name: "Focus keyphrase", Status: Problem,
			Reason: fmt.Sprintf("the focus keyphrase %q has no words: set one made of words", kp),
		}}
	}
	var checks []Check

	// Title: present, and ideally in its first half.
	// Search results show the SEO title when there is one.
	c := Check{ID: "keyphrase-title", Name: "Keyphrase in title"}
	which := "title"
	if a.SEOTitle != "" {
		which = "SEO title"
	}
	title := matchWords(a.SearchTitle())
	switch i := indexWords(title, key); {
	case i < 0:
		c.Status, c.Reason = Problem, fmt.Sprintf("the %s does not contain %q: work it in, near the start", which, kp)
	case i > 0 && i >= len(title)/2:
		c.Status, c.Reason = Improve, fmt.Sprintf("the %s has %q only from its word %d of %d: move it towards the start", which, kp, i+1, len(title))
	default:
		c.Status, c.Reason = OK, fmt.Sprintf("the %s has %q near its start (from word %d of %d)", which, kp, i+1, len(title))
	}
	checks = append(checks, c)

	c = Check{ID: "keyphrase-description", Name: "Keyphrase in description"}
	switch {
	case strings.TrimSpace(a.Description) == "":
		c.Status, c.Reason = Improve, fmt.Sprintf("there is no description to hold %q: write one that mentions it", kp)
	case indexWords(matchWords(a.Description), key) < 0:
		c.Status, c.Reason = Improve, fmt.Sprintf("the description does not mention %q: work it in", kp)
	default:
		c.Status, c.Reason = OK, fmt.Sprintf("the description mentions %q", kp)
	}
	checks = append(checks, c)

	c = Check{ID: "keyphrase-intro", Name: "Keyphrase in first paragraph"}
	switch {
	case !f.hasParagraph:
		c.Status, c.Reason = Improve, fmt.Sprintf("the body has no paragraph: open it with one that mentions %q", kp)
	case indexWords(matchWords(f.firstParagraph), key) < 0:
		c.Status, c.Reason = Improve, fmt.Sprintf("the first paragraph (%s) does not mention %q: work it in", quoteOpening(f.firstParagraph), kp)
	default:
		c.Status, c.Reason = OK, fmt.Sprintf("the first paragraph mentions %q", kp)
	}
	checks = append(checks, c)

	c = Check{ID: "keyphrase-subheading", Name: "Keyphrase in sub-heading"}
	subs, with := 0, 0
	for _, h := range f.headings {
		if h.level == 2 || h.level == 3 {
			subs++
			if indexWords(matchWords(h.text), key) >= 0 {
				with++
			}
		}
	}
	switch {
	case subs == 0:
		c.Status, c.Reason = Improve, fmt.Sprintf("the body has no H2 or H3 sub-headings: add some, one of them with %q", kp)
	case with == 0:
		c.Status, c.Reason = Improve, fmt.Sprintf("none of the %d H2/H3 sub-headings mentions %q: work it into one or two", subs, kp)
	default:
		c.Status, c.Reason = OK, fmt.Sprintf("%d of %d H2/H3 sub-headings mention %q", with, subs, kp)
	}
	checks = append(checks, c)

	c = Check{ID: "keyphrase-slug", Name: "Keyphrase in slug"}
	kslug := article.Slugify(kp)
	if indexWords(stems(strings.Split(slug, "-")), stems(strings.Split(kslug, "-"))) >= 0 {
		c.Status, c.Reason = OK, fmt.Sprintf("the slug %q contains %q", slug, kslug)
	} else {
		c.Status, c.Reason = Improve, fmt.Sprintf("the slug %q does not contain %q: include it while the article is unpublished (a published address should stay)", slug, kslug)
	}
	checks = append(checks, c)

	c = Check{ID: "keyphrase-density", Name: "Keyphrase density", Bonus: true}
	n := 0
	for _, t := range f.texts {
		n += countWords(matchWords(t), key)
	}
	density := 0.0
	if words > 0 {
		density = 100 * float64(n) / float64(words)
	}
	switch {
	case words == 0:
		c.Status, c.Reason = Improve, fmt.Sprintf("the body has no words to mention %q", kp)
	case density < MinDensity:
		more := int(math.Ceil(MinDensity*float64(words)/100)) - n
		c.Status, c.Reason = Improve, fmt.Sprintf("%q occurs %s in %d words (%.1f%%): use it about %d more time(s) to reach %.1f%%", kp, timesWord(n), words, density, more, MinDensity)
	case density > MaxDensity:
		fewer := n - int(math.Floor(MaxDensity*float64(words)/100))
		c.Status, c.Reason = Improve, fmt.Sprintf("%q occurs %s in %d words (%.1f%%): use it %d time(s) less, or synonyms, to stay within %.0f%%", kp, timesWord(n), words, density, fewer, MaxDensity)
	default:
		c.Status, c.Reason = OK, fmt.Sprintf("%q occurs %s in %d words (%.1f%%, within %.1f–%.0f%%)", kp, timesWord(n), words, density, MinDensity, MaxDensity)
	}
	checks = append(checks, c)
	return checks
}

// keyphraseTopic notes a focus keyphrase that names one of the site's
// topic pages: a link from the text to it tells readers and search
// engines where the rest of the coverage is. It is a bonus check, so an
// article about a topic scores no lower than one about anything else.
func keyphraseTopic(keyphrase string, f *docFacts, site SiteFacts) (Check, bool) {
	key := matchWords(keyphrase)
	if len(key) == 0 {
		return Check{}, false
	}
	for _, t := range site.Topics {
		if !namesTopic(key, t) {
			continue
		}
		c := Check{ID: "keyphrase-topic", Name: "Keyphrase topic page", Bonus: true}
		host := site.host()
		for _, l := range f.links {
			if classifyLink(l, host) == linkInternal && linkPath(l) == t.Path {
				c.Status, c.Reason = OK, fmt.Sprintf("the focus keyphrase is the topic %s, and the text links its topic page (%s)", t.Name, t.Path)
				return c, true
			}
		}
		c.Status, c.Reason = Improve, fmt.Sprintf("the focus keyphrase is the topic %s, which has a topic page: link it (%s) where the text first mentions %s", t.Name, t.Path, t.Name)
		return c, true
	}
	return Check{}, false
}

// namesTopic says whether the keyphrase's words are those of one of the
// topic's names.
func namesTopic(key []string, t Topic) bool {
	for _, name := range append([]string{t.Name}, t.Names...) {
		if n := matchWords(name); len(n) == len(key) && indexWords(n, key) == 0 {
			return true
		}
	}
	return false
}

// linkPath is the path a link leads to on the site, with a slash at its
// end, as topic pages' addresses are written.
func linkPath(dest string) string {
	u, err := url.Parse(strings.TrimSpace(dest))
	if err != nil {
		return ""
	}
	p := u.Path
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

func timesWord(n int) string {
	if n == 1 {
		return "once"
	}
	return fmt.Sprintf("%d times", n)
}

// titleLength judges the title search results show: the SEO title when
// the article has one, else the headline, which must also fit a
// NewsArticle's headline.
func titleLength(headline, seoTitle string) Check {
	c := Check{ID: "title-length", Name: "Title length"}
	if h := utf8.RuneCountInString(strings.TrimSpace(headline)); h > MaxHeadline {
		c.Status, c.Reason = Problem, fmt.Sprintf("the title has %d characters, more than the %d a NewsArticle headline may have: cut it to %d or fewer, ideally %d", h, MaxHeadline, MaxHeadline, MaxTitle)
		return c
	}
	which, title := "title", headline
	if strings.TrimSpace(seoTitle) != "" {
		which, title = "SEO title", seoTitle
	}
	n := utf8.RuneCountInString(strings.TrimSpace(title))
	switch {
	case n > MaxTitle:
		c.Status, c.Reason = Improve, fmt.Sprintf("the %s has %d characters; search results show about %d: cut %d, or put the words that matter in the first %d", which, n, MaxTitle, n-MaxTitle, MaxTitle)
	case n < MinTitle:
		c.Status, c.Reason = Improve, fmt.Sprintf("the %s has %d characters: use %d–%d (%d more) to tell searchers what the article is about", which, n, MinTitle, MaxTitle, MinTitle-n)
	default:
		c.Status, c.Reason = OK, fmt.Sprintf("the %s has %d characters (%d–%d)", which, n, MinTitle, MaxTitle)
	}
	return c
}

func descriptionLength(description string) Check {
	c := Check{ID: "description-length", Name: "Description length"}
	n := utf8.RuneCountInString(strings.TrimSpace(description))
	switch {
	case n == 0:
		c.Status, c.Reason = Problem, fmt.Sprintf("no description: write one of %d–%d characters (Meta Description: in a text file, description: in front matter), or search engines pick a snippet themselves", MinDescription, MaxDescription)
	case n > MaxDescription:
		c.Status, c.Reason = Improve, fmt.Sprintf("the description has %d characters; search results cut it at about %d: cut %d", n, MaxDescription, n-MaxDescription)
	case n < MinDescription:
		c.Status, c.Reason = Improve, fmt.Sprintf("the description has %d characters: add %d to reach %d–%d", n, MinDescription-n, MinDescription, MaxDescription)
	default:
		c.Status, c.Reason = OK, fmt.Sprintf("the description has %d characters (%d–%d)", n, MinDescription, MaxDescription)
	}
	return c
}

func singleH1(f *docFacts) Check {
	c := Check{ID: "single-h1", Name: "Single H1"}
	var h1s []docHeading
	for _, h := range f.headings {
		if h.level == 1 {
			h1s = append(h1s, h)
		}
	}
	if len(h1s) == 0 {
		c.Status, c.Reason = OK, "the title is the page's only H1; the body has none"
		return c
	}
	c.Status = Problem
	c.Reason = fmt.Sprintf("the body has %d H1 heading(s), the first %q, besides the title, which is the page's H1: make them H2 (## in Markdown)", len(h1s), h1s[0].text)
	return c
}

func headingLevels(f *docFacts) Check {
	c := Check{ID: "heading-levels", Name: "Heading levels"}
	prev, skips := 1, 0 // the title is the H1
	var first docHeading
	var firstPrev int
	for _, h := range f.headings {
		if h.level > prev+1 {
			if skips == 0 {
				first, firstPrev = h, prev
			}
			skips++
		}
		prev = h.level
	}
	switch {
	case skips > 0:
		c.Status = Improve
		if firstPrev == 1 {
			c.Reason = fmt.Sprintf("%q is an H%d with no H2 before it: make it an H2", first.text, first.level)
		} else {
			c.Reason = fmt.Sprintf("%q is an H%d right under an H%d: make it an H%d", first.text, first.level, firstPrev, firstPrev+1)
		}
		if skips > 1 {
			c.Reason += fmt.Sprintf(" (%d headings skip a level)", skips)
		}
	case len(f.headings) == 0:
		c.Status, c.Reason = OK, "no sub-headings, so no level is skipped"
	default:
		c.Status, c.Reason = OK, fmt.Sprintf("%d headings, none skips a level", len(f.headings))
	}
	return c
}

func textLength(words int) Check {
	c := Check{ID: "text-length", Name: "Text length"}
	switch {
	case words >= MinWords:
		c.Status, c.Reason = OK, fmt.Sprintf("the text has %d words (at least %d)", words, MinWords)
	case words >= MinWordsImprove:
		c.Status, c.Reason = Improve, fmt.Sprintf("the text has %d words: add %d to reach %d, so that search engines see what it covers", words, MinWords-words, MinWords)
	default:
		c.Status, c.Reason = Problem, fmt.Sprintf("the text has only %d words: write at least %d (%d more)", words, MinWords, MinWords-words)
	}
	return c
}

func subheadingDistribution(f *docFacts, words int) Check {
	c := Check{ID: "subheadings", Name: "Sub-heading distribution"}
	long, longest := 0, docSection{}
	for _, s := range f.sections {
		if s.words > SectionWords {
			long++
			if s.words > longest.words {
				longest = s
			}
		}
	}
	switch {
	case long == 0 && words <= SectionWords && len(f.headings) == 0:
		c.Status, c.Reason = OK, fmt.Sprintf("the text is short enough (%d words) to need no sub-headings", words)
	case long == 0:
		c.Status, c.Reason = OK, fmt.Sprintf("no section runs over %d words without a sub-heading", SectionWords)
	case longest.heading == "":
		c.Status, c.Reason = Improve, fmt.Sprintf("%d section(s) run over %d words without a sub-heading, the longest (%d words) at the start: add an H2 or H3 about every %d words", long, SectionWords, longest.words, SectionWords)
	default:
		c.Status, c.Reason = Improve, fmt.Sprintf("%d section(s) run over %d words without a sub-heading, the longest (%d words) under %q: add an H2 or H3 about every %d words", long, SectionWords, longest.words, longest.heading, SectionWords)
	}
	return c
}

func fleschCheck(s TextStats) Check {
	c := Check{ID: "flesch-reading-ease", Name: "Flesch reading ease"}
	if s.Sentences == 0 {
		c.Status, c.Reason = Improve, "the body has no sentences to measure: write some text"
		return c
	}
	wps := float64(s.SentenceWords) / float64(s.Sentences)
	spw := float64(s.Syllables) / float64(s.SentenceWords)
	measured := fmt.Sprintf("%.1f (%s): sentences average %.1f words and words %.2f syllables", s.FleschReadingEase, fleschLabel(s.FleschReadingEase), wps, spw)
	switch {
	case s.FleschReadingEase >= FleschOK:
		c.Status, c.Reason = OK, fmt.Sprintf("reading ease %s (%d or more is OK)", measured, FleschOK)
	case s.FleschReadingEase >= FleschProblem:
		c.Status, c.Reason = Improve, fmt.Sprintf("reading ease %s: aim for %d+ with shorter sentences and plainer words", measured, FleschOK)
	default:
		c.Status, c.Reason = Problem, fmt.Sprintf("reading ease %s: under %d is hard going; aim for %d+ with shorter sentences and plainer words", measured, FleschProblem, FleschOK)
	}
	return c
}

// fleschLabel names a Flesch reading ease band as Flesch did.
func fleschLabel(score float64) string {
	switch {
	case score >= 90:
		return "very easy"
	case score >= 80:
		return "easy"
	case score >= 70:
		return "fairly easy"
	case score >= 60:
		return "plain English"
	case score >= 50:
		return "fairly difficult"
	case score >= 30:
		return "difficult"
	}
	return "very difficult"
}

func sentenceLength(s TextStats) Check {
	c := Check{ID: "sentence-length", Name: "Long sentences"}
	if s.Sentences == 0 {
		c.Status, c.Reason = OK, "the body has no sentences"
		return c
	}
	share := float64(s.LongSentences) / float64(s.Sentences)
	found := fmt.Sprintf("%.0f%% of sentences (%d of %d) have more than %d words", 100*share, s.LongSentences, s.Sentences, LongSentence)
	if share <= MaxLongSentenceShare {
		c.Status, c.Reason = OK, fmt.Sprintf("%s (at most %.0f%%)", found, 100*MaxLongSentenceShare)
		return c
	}
	// Splitting k long sentences in two leaves long-k of n+k sentences.
	k := int(math.Ceil((float64(s.LongSentences) - MaxLongSentenceShare*float64(s.Sentences)) / (1 + MaxLongSentenceShare)))
	c.Status, c.Reason = Improve, fmt.Sprintf("%s: split about %d of them to get to %.0f%%", found, k, 100*MaxLongSentenceShare)
	return c
}

func paragraphLength(f *docFacts) Check {
	c := Check{ID: "paragraph-length", Name: "Long paragraphs"}
	long, longest, longestText := 0, 0, ""
	for _, p := range f.paragraphs {
		if p.words > LongParagraph {
			long++
		}
		if p.words > longest {
			longest, longestText = p.words, p.text
		}
	}
	switch {
	case len(f.paragraphs) == 0:
		c.Status, c.Reason = OK, "the body has no paragraphs"
	case long == 0:
		c.Status, c.Reason = OK, fmt.Sprintf("none of the %d paragraphs has more than %d words (the longest has %d)", len(f.paragraphs), LongParagraph, longest)
	default:
		c.Status, c.Reason = Improve, fmt.Sprintf("%d of %d paragraphs have more than %d words, the longest (%d) %s: split them", long, len(f.paragraphs), LongParagraph, longest, quoteOpening(longestText))
	}
	return c
}

// link kinds.
const (
	linkOther = iota // in-page, mailto:, tel:...
	linkInternal
	linkExternal
)

// classifyLink tells where dest leads: relative addresses and the site's
// own host (siteHost, without "www.") are internal.
func classifyLink(dest, siteHost string) int {
	dest = strings.TrimSpace(dest)
	if dest == "" || strings.HasPrefix(dest, "#") {
		return linkOther
	}
	u, err := url.Parse(dest)
	if err != nil {
		return linkOther
	}
	switch strings.ToLower(u.Scheme) {
	case "":
		if u.Host == "" {
			return linkInternal
		}
	case "http", "https":
	default:
		return linkOther
	}
	if siteHost != "" && bareHost(u.Hostname()) == siteHost {
		return linkInternal
	}
	return linkExternal
}

func bareHost(h string) string {
	return strings.TrimPrefix(strings.TrimSuffix(strings.ToLower(h), "."), "www.")
}

func (s SiteFacts) host() string {
	u, err := url.Parse(strings.TrimSpace(s.BaseURL))
	if err != nil {
		return ""
	}
	return bareHost(u.Hostname())
}

func countLinks(f *docFacts, site SiteFacts, kind int) int {
	host, n := site.host(), 0
	for _, l := range f.links {
		if classifyLink(l, host) == kind {
			n++
		}
	}
	return n
}

func internalLinks(a *article.Article, f *docFacts, site SiteFacts) Check {
	c := Check{ID: "internal-links", Name: "Internal links"}
	if n := countLinks(f, site, linkInternal); n > 0 {
		c.Status, c.Reason = OK, fmt.Sprintf("%d link(s) to other pages of this site", n)
		return c
	}
	c.Status = Improve
	switch n := len(a.RequestedLinks); n {
	case 0:
		c.Reason = "no links to other pages of this site: link related articles where the text mentions their subject"
	case 1:
		c.Reason = fmt.Sprintf("no links to other pages of this site: link related articles in the text, such as the requested %q", a.RequestedLinks[0])
	default:
		c.Reason = fmt.Sprintf("no links to other pages of this site: link related articles in the text, such as the requested %q (and %d more)", a.RequestedLinks[0], n-1)
	}
	return c
}

func outboundLinks(f *docFacts, site SiteFacts) Check {
	c := Check{ID: "outbound-links", Name: "Outbound links"}
	if n := countLinks(f, site, linkExternal); n > 0 {
		c.Status, c.Reason = OK, fmt.Sprintf("%d link(s) to other sites", n)
		return c
	}
	c.Status, c.Reason = Improve, "no links to other sites: link the sources the article cites, such as statements, reports or data"
	return c
}

func imageAlt(f *docFacts, images render.Images) Check {
	c := Check{ID: "image-alt", Name: "Image alt text"}
	var missing []docImage
	for _, img := range f.images {
		alt := img.alt
		if id, ok := strings.CutPrefix(img.src, render.MediaRef); ok && strings.TrimSpace(alt) == "" {
			n, _ := strconv.ParseInt(id, 10, 64)
			if it := images[n]; it != nil {
				alt = it.Alt
			}
		}
		if strings.TrimSpace(alt) == "" {
			missing = append(missing, img)
		}
	}
	switch {
	case len(f.images) == 0:
		c.Status, c.Reason = OK, "no images"
	case len(missing) == 0:
		c.Status, c.Reason = OK, fmt.Sprintf("all %d image(s) have alt text", len(f.images))
	default:
		c.Status, c.Reason = Problem, fmt.Sprintf("%d of %d image(s) have no alt text, the first %q: describe each in ![the brackets](...) or an alt attribute", len(missing), len(f.images), missing[0].src)
	}
	return c
}

func featuredImage(a *article.Article, images render.Images) Check {
	c := Check{ID: "featured-image", Name: "Featured image"}
	it := images[a.FeaturedMediaID]
	switch {
	case a.FeaturedMediaID == 0:
		c.Status, c.Reason = Improve, fmt.Sprintf("no featured image: search engines and social sites show an article's picture, and Google's Top stories and Discover want one at least %d px wide", MinFeaturedWidth)
	case it == nil:
		c.Status, c.Reason = Problem, fmt.Sprintf("the featured image (%d) is not in the library or not ready", a.FeaturedMediaID)
	case it.Width < MinFeaturedWidth:
		c.Status, c.Reason = Improve, fmt.Sprintf("the featured image is %d px wide: Google asks for at least %d px, or it shows no large picture", it.Width, MinFeaturedWidth)
	case strings.TrimSpace(it.Alt) == "":
		c.Status, c.Reason = Problem, "the featured image has no alt text: describe it in the media library"
	default:
		c.Status, c.Reason = OK, fmt.Sprintf("%d×%d px, with alt text", it.Width, it.Height)
	}
	return c
}

// quoteOpening quotes the opening words of s.
func quoteOpening(s string) string {
	const n = 6
	fields := strings.Fields(s)
	if len(fields) > n {
		return fmt.Sprintf("starting %q", strings.Join(fields[:n], " ")+"…")
	}
	return fmt.Sprintf("%q", strings.Join(fields, " "))
}
