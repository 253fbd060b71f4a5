// Package linkingtest generates archives of articles for the linking
// engine's benchmarks: internal/linking's own benchmarks and the
// benchlinking command (scripts/bench-linking.sh). Nothing in the dateline
// binary imports it.
package linkingtest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/linking"
)

// GenerateArchive returns n generated articles of about words words each
// (see Archive). The same seed gives the same archive.
func GenerateArchive(n, words int, seed uint64) []linking.Doc {
	a := NewArchive(words, seed)
	docs := make([]linking.Doc, n)
	for i := range docs {
		docs[i] = a.Doc(i)
	}
	return docs
}

// Archive generates articles of about a given number of words for
// benchmarks, one at a time, so that a large archive can be indexed
// without holding its text: each is mostly about one of a set of topics
// (its own words and multi-word names) with general vocabulary following
// Zipf's law, so that related articles exist. Article i is the same for
// the same seed, whatever the order articles are asked for in, and Doc is
// safe for concurrent use.
type Archive struct {
	words   int
	seed    uint64
	general []string
	topics  []topic
}

type topic struct {
	words, names []string
	tag          string
}

// NewArchive returns the generator of an archive of articles of about
// words words, made of invented words.
func NewArchive(words int, seed uint64) *Archive {
	return NewArchiveOf(words, seed, nil)
}

// NewArchiveOf is NewArchive with its words drawn from vocabulary (such
// as a language's word-vector keys) when it is not empty, so that the
// articles have images in that language's word vectors.
func NewArchiveOf(words int, seed uint64, vocabulary []string) *Archive {
	r := rand.New(rand.NewPCG(seed, seed^0x5DEECE66D))
	syll := []string{"ka", "lo", "mi", "ran", "te", "sul", "vo", "ne", "dar", "pi", "zen", "ho", "bri", "tas", "mor", "qui", "el", "fa", "gon", "ush"}
	word := func() string {
		if len(vocabulary) > 0 {
			return vocabulary[r.IntN(len(vocabulary))]
		}
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteString(syll[r.IntN(len(syll))])
		}
		return b.String()
	}
	a := &Archive{words: words, seed: seed, general: make([]string, 20000), topics: make([]topic, 200)}
	for i := range a.general {
		a.general[i] = word()
	}
	for i := range a.topics {
		t := &a.topics[i]
		for range 120 {
			t.words = append(t.words, word())
		}
		for range 8 {
			w1, w2 := word(), word()
			t.names = append(t.names, strings.ToUpper(w1[:1])+w1[1:]+" "+strings.ToUpper(w2[:1])+w2[1:])
		}
		t.tag = fmt.Sprintf("Topic %d", i)
	}
	return a
}

// Doc returns article i (from 0), with ID i+1.
func (a *Archive) Doc(i int) linking.Doc {
	r := rand.New(rand.NewPCG(a.seed^uint64(i+1)*0x9E3779B97F4A7C15, uint64(i)))
	zipf := rand.NewZipf(r, 1.1, 2, uint64(len(a.general)-1))
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	t := &a.topics[r.IntN(len(a.topics))]
	t2 := &a.topics[r.IntN(len(a.topics))]
	pick := func() string {
		switch x := r.Float64(); {
		case x < 0.04:
			return t.names[r.IntN(len(t.names))]
		case x < 0.25:
			return t.words[r.IntN(len(t.words))]
		case x < 0.30:
			return t2.words[r.IntN(len(t2.words))]
		default:
			return a.general[zipf.Uint64()]
		}
	}
	var title []string
	for range 7 {
		title = append(title, pick())
	}
	var b strings.Builder
	var heads []string
	count := 0
	for count < a.words {
		if count > 0 && count%300 < 18 {
			heads = append(heads, pick()+" "+pick()+" "+pick())
		}
		for s := 0; s < 5 && count < a.words; s++ {
			k := 12 + r.IntN(10)
			for j := range k {
				w := pick()
				if j == 0 {
					w = strings.ToUpper(w[:1]) + w[1:]
				}
				b.WriteString(w)
				if j < k-1 {
					b.WriteByte(' ')
				}
			}
			b.WriteString(". ")
			count += k
		}
		b.WriteString("\n\n")
	}
	title[0] = strings.ToUpper(title[0][:1]) + title[0][1:]
	return linking.Doc{
		ID: int64(i + 1), Slug: fmt.Sprintf("article-%d", i+1), Title: strings.Join(title, " "),
		Headings: heads, Text: b.String(), Tags: []string{t.tag},
		Published: base.Add(time.Duration(i) * time.Hour),
	}
}
