// Package linking is Dateline's internal linking engine: an index of the
// published articles, the articles related to each, the phrases each is
// about (the anchors other articles can link it with), and the resolution
// of an author's requested links by title.
//
// # Where the index lives and what it costs
//
// The index lives in memory. The server builds it from the store at start
// (one pass over the published articles) and keeps it current with Upsert
// and Remove as articles are published, changed or unpublished; an update
// touches only that article's entries, never the whole index. Nothing is
// written to the database, so both backends behave the same.
//
// Measured on the project's 2-core machine with generated archives of
// articles of about 1,500 words, streamed into the index one article at a
// time from two goroutines (scripts/bench-linking.sh; figures and commands
// in docs/benchmarks.md): 100,000 articles build in 49–74 s (the machine
// is noisy), hold about 440 MB of Go heap (peak RSS 0.82 GB with the
// default GOGC), and Related answers in 4.5 ms (p50) / 9–11 ms (p99),
// Suggest in 6 ms / 15–18 ms. An article costs about 3 KB: its 64-term
// vector and the matching postings (1 KB), up to 24 key phrases with
// their display texts (0.6 KB), its entry and title; it brings some ten
// new terms (title phrases and repeated word pairs, mostly held by that
// article only), each about 50 bytes in the vocabulary (a hash, a
// document frequency) and, when it enters a vector, 80 bytes of postings
// and display form. Each single word that two or more articles hold in
// their vectors has a 2 KB co-occurrence vector; the generated archive
// has 14,000 such words, a real one may have several times more.
//
// On removal or replacement, only the terms of the article's cut vector
// are taken back from the document frequencies (see Index.Stale); the
// server builds the index again once a fifth of it is stale.
//
// # Ranking
//
// An article is a vector of terms: stemmed words (English Snowball stemmer
// for the Latin script; other scripts lowercased, Han characters paired as
// bigrams), stop words left out, multi-word names ("Doha Agreement",
// "Afghan Taliban") and the title's phrases as terms of their own, and its
// tags as terms apart from words; a pair of adjacent words is a term when
// the article repeats it. A term weighs (1 + ln tf)·idf, with tf counted
// double for tags and by half again in headings,
// idf = ln(1 + N/df), and the vector is cut to its 64 (maxTerms) heaviest
// terms so that 100,000 articles fit. Candidates come from an inverted
// index (postings) walked from the rarest query term down, within a budget,
// so that very common terms never make a query scan the archive; the best
// are scored by cosine similarity. The query is then expanded with the
// centroid of its 10 nearest neighbours (Rocchio pseudo-relevance
// feedback) and candidates retrieved and scored again; to that cosine is
// added a second-order similarity: the cosine of the two articles' images
// in a 512-dimension random projection of word co-occurrence (each word
// held by two or more articles accumulates the random directions of the
// articles that contain it, so articles whose words keep the same company
// score close even when they share few words; a phrase is placed there by
// its words). The two images compared are taken without the random
// directions of the two articles themselves, so that they say only what
// the articles' words keep company with in other articles, and an article
// and its draft have the same image. An article must share a term with
// the query. Ties go to the more recent article. On the labelled corpora
// this lifts
// precision@5 from 0.795 to 0.856 (Reuters-21578) and from 0.772 to 0.816
// (AG News) over a plain TF-IDF cosine (scripts/eval-related.sh).
//
// A match's score is the mean of the two cosines (the expanded query's
// TF-IDF cosine and the co-occurrence cosine), from 0 to 1; its cosine is
// the plain TF-IDF cosine of the two articles.
//
// With word vectors (UseWordVectors; the English GloVe vectors of package
// wordvec for an English site, in a binary built after
// scripts/gen-vectors.sh made them), the best 30 candidates are re-ranked:
// each article has an image in the space of word meanings (the sum of its
// words' unit vectors weighted as in its TF-IDF vector), both images are
// taken from the archive's mean image, and the score becomes 0.6 times
// the score above plus 0.4 times the cosine of the two images (rerank).
// On the labelled corpora this lifts AG News from 0.816 to 0.844 and
// leaves Reuters at 0.853–0.856 (0.856 without). Joined with vectors
// trained on the archive itself (wordvec.Train on TrainingWords,
// wordvec.ForSite), which know the site's own names and subjects, it
// lifts Reuters to 0.860 and AG News to 0.846. Each article's image costs
// 2 bytes a dimension (16 bits a value), the tables some 10 to 25 MB of
// heap once read. Related leaves out the
// articles whose cosine is below a floor (DefaultRelatedFloor): the
// co-occurrence cosine says little in a small archive, where an article
// on a subject the archive lacks otherwise scores high against stories
// that share one word with it.
package linking

import (
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/render/headings"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// Doc is what the index knows of one published article.
type Doc struct {
	ID    int64
	Slug  string
	Title string
	// Standfirst is the article's description, shown under its headline.
	// It is not ranked (the body says the same at more length); its key
	// phrase is one an anchor may be (see Phrase.About).
	Standfirst string
	Headings   []string // H2/H3 texts
	Text       string   // the body as plain text (paragraphs separated by blank lines), no Markdown
	Tags       []string // tag names
	Published  time.Time
}

// DocInfo is what the index keeps of an article besides its terms.
type DocInfo struct {
	ID        int64
	Slug      string
	Title     string
	Tags      []string
	Published time.Time
}

// Match is an indexed article found for a query.
type Match struct {
	ID    int64  `json:"id"`
	Slug  string `json:"slug"`
	Title string `json:"title"`
	// Score is how related the article is, from 0 to 1: for Related,
	// the mean of the expanded query's TF-IDF cosine and the
	// co-occurrence cosine (see the package doc); for ResolveTitle, the
	// titles' cosine.
	Score float64 `json:"score"`
	// Cosine is the plain TF-IDF cosine of the two articles (Related only).
	Cosine float64 `json:"cosine,omitempty"`
	// Reason says in a few words why it matched, such as
	// `shares "doha agreement", "afghan taliban"; tag Pakistan`.
	Reason string `json:"reason"`
	// requested marks a target the source's author asked to link to.
	requested bool
}

// Phrase is something an article is about, as an editor would write it
// as a link anchor.
type Phrase struct {
	Text   string  `json:"text"`   // display form, as most often written in the article
	Key    string  `json:"key"`    // normalised: the Token keys of its words joined by spaces
	Weight float64 `json:"weight"` // higher is more distinctive of the article
	Kind   string  `json:"kind"`   // "name", "title", "tag" or "word"
	// About marks the phrases that say what the article is about, as an
	// anchor for a link to it should: those in its title, its
	// standfirst's key phrase (the heaviest name or title phrase there)
	// and its main key phrase (its heaviest name or title phrase).
	About bool `json:"about"`
	// Articles is how many indexed articles hold the phrase.
	Articles int `json:"articles"`
	// InTitle marks a phrase the article's title is about: one of its
	// title, other than as the story's place ("at St Anne's Hospital").
	InTitle bool `json:"in_title"`
}

// DocFromArticle builds a Doc from a stored article: its H2/H3 headings,
// and the text of its paragraphs, list items and quotes as plain text, one
// paragraph per block, separated by blank lines. Code, HTML and link
// targets are left out; link texts stay.
func DocFromArticle(r *render.Renderer, a *article.Article) Doc {
	return docFromParsed(a, r.ParseProse([]byte(a.Body)))
}

// docFromParsed is DocFromArticle for a body already parsed into doc.
func docFromParsed(a *article.Article, doc *render.Document) Doc {
	d := Doc{ID: a.ID, Slug: a.Slug, Title: a.Title, Standfirst: a.Description, Published: a.PublishedAt}
	for _, t := range a.Tags {
		d.Tags = append(d.Tags, t.Name)
	}
	src := doc.Source
	var text []byte
	_ = ast.Walk(doc.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			if n.Level == 2 || n.Level == 3 {
				d.Headings = append(d.Headings, headings.PlainText(n, src))
			}
			return ast.WalkSkipChildren, nil
		case *ast.CodeBlock, *ast.FencedCodeBlock, *ast.HTMLBlock, *ast.ThematicBreak:
			return ast.WalkSkipChildren, nil
		case *ast.Paragraph, *ast.TextBlock, *east.TableCell:
			start := len(text)
			if start > 0 {
				text = append(text, "\n\n"...)
			}
			mark := len(text)
			text = appendInline(text, n, src)
			if len(text) == mark {
				text = text[:start]
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	d.Text = string(text)
	return d
}

// appendInline appends the plain text of an inline container.
func appendInline(dst []byte, n ast.Node, src []byte) []byte {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			dst = append(dst, c.Segment.Value(src)...)
			if c.SoftLineBreak() || c.HardLineBreak() {
				dst = append(dst, ' ')
			}
		case *ast.String:
			dst = append(dst, c.Value...)
		case *ast.CodeSpan, *ast.RawHTML, *ast.Image:
			// not prose
		case *ast.AutoLink:
			dst = append(dst, c.Label(src)...)
		default:
			dst = appendInline(dst, c, src)
		}
	}
	return dst
}
