package linking

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// GenerateArchive returns n generated articles of about words words each,
// for benchmarks: each is mostly about one of a set of topics (its own
// words and multi-word names) with general vocabulary following Zipf's
// law, so that related articles exist. The same seed gives the same
// archive.
func GenerateArchive(n, words int, seed uint64) []Doc {
	r := rand.New(rand.NewPCG(seed, seed^0x5DEECE66D))
	syll := []string{"ka", "lo", "mi", "ran", "te", "sul", "vo", "ne", "dar", "pi", "zen", "ho", "bri", "tas", "mor", "qui", "el", "fa", "gon", "ush"}
	word := func() string {
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteString(syll[r.IntN(len(syll))])
		}
		return b.String()
	}
	general := make([]string, 20000)
	for i := range general {
		general[i] = word()
	}
	const topics = 200
	type topic struct {
		words, names []string
		tag          string
	}
	ts := make([]topic, topics)
	for i := range ts {
		for range 120 {
			ts[i].words = append(ts[i].words, word())
		}
		for range 8 {
			w1, w2 := word(), word()
			ts[i].names = append(ts[i].names, strings.ToUpper(w1[:1])+w1[1:]+" "+strings.ToUpper(w2[:1])+w2[1:])
		}
		ts[i].tag = fmt.Sprintf("Topic %d", i)
	}
	zipf := rand.NewZipf(r, 1.1, 2, uint64(len(general)-1))
	docs := make([]Doc, n)
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range docs {
		t := &ts[r.IntN(topics)]
		t2 := &ts[r.IntN(topics)]
		pick := func() string {
			switch x := r.Float64(); {
			case x < 0.04:
				return t.names[r.IntN(len(t.names))]
			case x < 0.25:
				return t.words[r.IntN(len(t.words))]
			case x < 0.30:
				return t2.words[r.IntN(len(t2.words))]
			default:
				return general[zipf.Uint64()]
			}
		}
		var title []string
		for range 7 {
			title = append(title, pick())
		}
		var b strings.Builder
		var heads []string
		count := 0
		for count < words {
			if count > 0 && count%300 < 18 {
				heads = append(heads, pick()+" "+pick()+" "+pick())
			}
			for s := 0; s < 5 && count < words; s++ {
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
		docs[i] = Doc{
			ID: int64(i + 1), Slug: fmt.Sprintf("article-%d", i+1), Title: strings.Join(title, " "),
			Headings: heads, Text: b.String(), Tags: []string{t.tag},
			Published: base.Add(time.Duration(i) * time.Hour),
		}
	}
	return docs
}
