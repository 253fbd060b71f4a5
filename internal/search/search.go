// Package search holds what full-text search means to Dateline, apart
// from the databases that run it: the query language a reader types
// (Parse), the options of a search and its results. The engines are the
// databases' own (SQLite's FTS5, PostgreSQL's text search), behind
// store.Searcher; this package never builds their syntax from raw input:
// a query is parsed into words first, and each backend writes those as
// quoted data.
package search

import (
	"html"
	"html/template"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/datelinehq/dateline/internal/article"
)

// Limits on what a query may hold: a longer one is cut, not refused.
const (
	MaxQueryBytes = 512
	MaxTerms      = 16
	MaxPhrase     = 8 // words of one phrase
	// MinPrefix is the shortest prefix searched as one: "a*" would
	// match most words of the index, and is searched as the word "a".
	MinPrefix = 3
)

// Term is a word, a prefix of words (Prefix) or an exact phrase (several
// Words), each word lower case, made of letters and digits only.
type Term struct {
	Words  []string
	Prefix bool
}

// Clause is a term that must match, or one of several (OR), or, Negated,
// a term that must not.
type Clause struct {
	Any     []Term
	Negated bool
}

// Query is a parsed query: every clause must hold.
type Query struct {
	Clauses []Clause
	Text    string // the query as typed, trimmed and cut to MaxQueryBytes
}

// Empty reports whether q has nothing to find: no clause that is not
// negated (a query of exclusions alone finds nothing).
func (q Query) Empty() bool {
	for _, c := range q.Clauses {
		if !c.Negated {
			return false
		}
	}
	return true
}

// Words lists the words of the clauses that must match, in order: what a
// result's snippet marks, and what a "did you mean" respells.
func (q Query) Words() []string {
	var words []string
	for _, c := range q.Clauses {
		if c.Negated {
			continue
		}
		for _, t := range c.Any {
			words = append(words, t.Words...)
		}
	}
	return words
}

// Negated reports whether q excludes a word or phrase.
func (q Query) Negated() bool {
	for _, c := range q.Clauses {
		if c.Negated {
			return true
		}
	}
	return false
}

// PhraseWords are the words of q's plain one-word clauses, in order: a
// text that holds them as one phrase ranks first.
func (q Query) PhraseWords() []string {
	var words []string
	for _, c := range q.Clauses {
		if !c.Negated && len(c.Any) == 1 && len(c.Any[0].Words) == 1 && !c.Any[0].Prefix {
			words = append(words, c.Any[0].Words[0])
		}
	}
	return words
}

// Parse reads the query language a reader expects: words (all must
// match), "exact phrases", -excluded words or phrases, prefix* and OR
// between two terms. Anything else (punctuation, an unbalanced quote, a
// lone -, operators of the engines' own languages such as NEAR( or :*,
// control characters) separates words or is dropped: every input parses,
// and what a backend receives is only words.
func Parse(text string) Query {
	text = strings.TrimSpace(text)
	if len(text) > MaxQueryBytes {
		text = text[:MaxQueryBytes]
		for !utf8.ValidString(text) {
			text = text[:len(text)-1]
		}
	}
	q := Query{Text: text}
	orNext := false
	terms := 0
	add := func(t Term, negated bool) {
		if len(t.Words) == 0 || terms >= MaxTerms {
			return
		}
		terms++
		if orNext && !negated && len(q.Clauses) > 0 && !q.Clauses[len(q.Clauses)-1].Negated {
			last := &q.Clauses[len(q.Clauses)-1]
			last.Any = append(last.Any, t)
		} else {
			q.Clauses = append(q.Clauses, Clause{Any: []Term{t}, Negated: negated})
		}
		orNext = false
	}
	rest := text
	for rest != "" {
		r, size := utf8.DecodeRuneInString(rest)
		switch {
		case r == '"':
			end := strings.IndexByte(rest[size:], '"')
			var inner string
			if end < 0 { // unbalanced: the rest is the phrase
				inner, rest = rest[size:], ""
			} else {
				inner, rest = rest[size:size+end], rest[size+end+1:]
			}
			words := splitWords(inner)
			if len(words) > MaxPhrase {
				words = words[:MaxPhrase]
			}
			add(Term{Words: words}, false)
		case r == '-' && startsTerm(rest[size:]):
			rest = rest[size:]
			if strings.HasPrefix(rest, `"`) {
				end := strings.IndexByte(rest[1:], '"')
				var inner string
				if end < 0 {
					inner, rest = rest[1:], ""
				} else {
					inner, rest = rest[1:1+end], rest[1+end+1:]
				}
				add(Term{Words: splitWords(inner)}, true)
				continue
			}
			word, n := nextChunk(rest)
			rest = rest[n:]
			for _, w := range splitWords(word) {
				add(Term{Words: []string{w}}, true)
			}
		case isSpace(r):
			rest = rest[size:]
		default:
			chunk, n := nextChunk(rest)
			rest = rest[n:]
			if chunk == "OR" {
				orNext = len(q.Clauses) > 0
				continue
			}
			words := splitWords(chunk)
			prefix := strings.HasSuffix(chunk, "*")
			for i, w := range words {
				add(Term{Words: []string{w}, Prefix: prefix && i == len(words)-1 && utf8.RuneCountInString(w) >= MinPrefix}, false)
			}
		}
	}
	return q
}

// startsTerm reports whether s, after a minus sign, starts a word or a
// phrase to exclude (a lone "-" or "- x" excludes nothing).
func startsTerm(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r == '"' || isWordRune(r)
}

// nextChunk returns the run of s up to the next space or quote, and its
// length.
func nextChunk(s string) (string, int) {
	end := strings.IndexFunc(s, func(r rune) bool { return isSpace(r) || r == '"' })
	if end < 0 {
		end = len(s)
	}
	return s[:end], end
}

// splitWords lower-cases s and splits it into runs of letters, marks and
// digits: "Tehrik-e-Taliban" is three words, as the engines index it.
func splitWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !isWordRune(r) })
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func isSpace(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }

// Options narrow a search and choose the page of results.
type Options struct {
	// PublicAt, when set, keeps the articles readers may see at that
	// time; zero searches drafts too (the admin).
	PublicAt time.Time
	// OwnerID, when set, keeps the articles of that owner (a contributor
	// searching their own drafts).
	OwnerID     int64
	Status      article.Status // only this status, when set
	SectionSlug string
	TagSlug     string
	AuthorSlug  string
	Kind        article.Kind
	// From and To bound the publication time: From included, To not.
	From, To time.Time
	Limit    int // results a page (10 when 0)
	Offset   int
	// Plain ranks by the engine's defaults alone (every field weighted
	// alike, no lift for a phrase or for recent stories): the baseline
	// scripts/eval-search.sh measures the ranking against.
	Plain bool
}

// Hit is one article found, with a snippet of its text around the words
// found: plain text in which SnippetStart and SnippetEnd mark the
// matches (see Snippet.HTML).
type Hit struct {
	Article *article.Article
	Snippet Snippet
	Score   float64
}

// Snippet is text with marked matches. The marks are characters of
// Unicode's private use area, which no article text is expected to
// hold; HTML escapes the text and turns them into <mark> elements.
type Snippet string

// The marks a backend puts around a match in a snippet.
const (
	SnippetStart = "\uE000"
	SnippetEnd   = "\uE001"
)

// Window is how many of the newest matches of a query are ranked: a
// word in half of 100,000 articles is not scored 50,000 times for a page
// of ten. The newest Window of the articles whose headline, standfirst or
// tags match are ranked too, however old, so that an old story is still
// found by its headline. 200 ranks known items as well as ranking every
// match did on the labelled corpora (docs/benchmarks.md), and keeps
// PostgreSQL's reads of whole vectors within its buffer cache.
const Window = 200

// Results is a page of hits and how many there are in all.
type Results struct {
	Hits  []Hit
	Total int
	// More is set when Total may not count every match: a search ranks
	// the newest matches and those that match by their head (see Window),
	// not every article a common word is in; as many as the window may be
	// all there are, so Total is then "at least".
	More bool
	// Suggestion, for a query that found nothing, is a respelling of it
	// that finds something ("did you mean"), or "".
	Suggestion string
}

// HTML is the snippet for a page: its text escaped, Markdown's marks
// (emphasis, link targets, heading hashes) taken out, runs of space made
// one, and each match in a <mark> element.
func (s Snippet) HTML() template.HTML {
	text := html.EscapeString(plainText(string(s)))
	text = strings.ReplaceAll(text, SnippetStart, "<mark>")
	text = strings.ReplaceAll(text, SnippetEnd, "</mark>")
	return template.HTML(text)
}

// Text is the snippet as plain text, each match between mark and mark.
func (s Snippet) Text(start, end string) string {
	return strings.NewReplacer(SnippetStart, start, SnippetEnd, end).Replace(plainText(string(s)))
}

// plainText takes Markdown's marks out of a snippet of an article's
// body: a link's target ("[text](url)" reads "text"), emphasis and code
// marks, heading hashes and quote marks; runs of space become one.
func plainText(s string) string {
	var b strings.Builder
	lineStart := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\n' {
			lineStart = true
			b.WriteByte(' ')
			continue
		}
		if lineStart && (c == '#' || c == '>' || c == ' ') {
			continue // a heading's hashes, a quote's marks
		}
		lineStart = false
		switch c {
		case ']':
			if i+1 < len(s) && s[i+1] == '(' {
				if end := strings.IndexByte(s[i+1:], ')'); end >= 0 {
					i += end + 1
				}
			}
			continue
		case '*', '_', '`', '[', '|':
			continue
		case '!':
			if i+1 < len(s) && s[i+1] == '[' {
				continue
			}
		}
		b.WriteByte(c)
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
