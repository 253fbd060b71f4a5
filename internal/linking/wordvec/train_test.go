package wordvec

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// topicTexts are texts on two subjects that share no word but "said":
// one about harbours and ships, one about courts and judges. Each text
// draws its words from one subject, so a word's contexts are its
// subject's words.
func topicTexts(n int) [][]string {
	sea := []string{"harbour", "ship", "ferri", "dock", "cargo", "crew", "port", "vessel"}
	law := []string{"court", "judg", "trial", "juri", "verdict", "appeal", "lawyer", "sentenc"}
	r := rand.New(rand.NewPCG(1, 2))
	var texts [][]string
	for i := range n {
		words := sea
		if i%2 == 1 {
			words = law
		}
		var text []string
		for range 40 {
			text = append(text, words[r.IntN(len(words))])
			if r.IntN(5) == 0 {
				text = append(text, "said")
			}
		}
		texts = append(texts, text)
	}
	return texts
}

func each(texts [][]string) func(func([]string) bool) {
	return slices.Values(texts)
}

func cosine(t *Table, a, b string) float64 {
	va, vb := make([]float32, t.Dim), make([]float32, t.Dim)
	if !t.AddTo(va, a, 1) || !t.AddTo(vb, b, 1) {
		return math.NaN()
	}
	var dot float64
	for i := range va {
		dot += float64(va[i]) * float64(vb[i])
	}
	return dot
}

func TestTrainPlacesWordsOfOneSubjectTogether(t *testing.T) {
	tab := Train(context.Background(), each(topicTexts(400)), TrainOptions{Dim: 20, Seed: 7})
	if tab == nil || tab.Len() != 17 {
		t.Fatalf("trained %v; want the 17 words", tab)
	}
	for _, pair := range [][3]string{{"ship", "cargo", "verdict"}, {"court", "trial", "ferri"}, {"juri", "judg", "dock"}} {
		same, other := cosine(tab, pair[0], pair[1]), cosine(tab, pair[0], pair[2])
		if !(same > other+0.3) {
			t.Errorf("cos(%s, %s) = %.2f, cos(%s, %s) = %.2f; want words of one subject much closer", pair[0], pair[1], same, pair[0], pair[2], other)
		}
	}
}

func TestTrainIsRepeatableWithOneWorker(t *testing.T) {
	texts := topicTexts(50)
	a, _ := Train(context.Background(), each(texts), TrainOptions{Dim: 8, Seed: 3}).MarshalBinary()
	b, _ := Train(context.Background(), each(texts), TrainOptions{Dim: 8, Seed: 3}).MarshalBinary()
	if !slices.Equal(a, b) {
		t.Error("two trainings of the same texts with the same seed differ")
	}
}

func TestTrainLimits(t *testing.T) {
	texts := topicTexts(100)
	// A word seen fewer than MinCount times is left out.
	rare := append(slices.Clone(texts), []string{"lighthous", "harbour", "ship"})
	if tab := Train(context.Background(), each(rare), TrainOptions{Dim: 8}); tab == nil {
		t.Fatal("no table")
	} else if _, ok := tab.Index("lighthous"); ok {
		t.Error("a word seen once has a vector (MinCount 5)")
	}
	// MaxWords stops each pass: a word only in later texts is not learnt.
	late := append(slices.Clone(texts), slices.Repeat([][]string{{"lighthous", "keeper", "lamp"}}, 20)...)
	if tab := Train(context.Background(), each(late), TrainOptions{Dim: 8, MaxWords: 100 * 40}); tab == nil {
		t.Fatal("no table")
	} else if _, ok := tab.Index("lighthous"); ok {
		t.Error("a word past MaxWords has a vector")
	}
	// Texts with no word seen often enough give no table.
	if tab := Train(context.Background(), each([][]string{{"one", "two"}}), TrainOptions{}); tab != nil {
		t.Errorf("texts of words seen once gave a table of %d words", tab.Len())
	}
}

func TestTrainStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	texts := topicTexts(200)
	read := 0
	got := Train(ctx, func(yield func([]string) bool) {
		for _, text := range texts {
			if read++; read == 300 { // in the first epoch
				cancel()
			}
			if !yield(text) {
				return
			}
		}
	}, TrainOptions{Dim: 8})
	if got != nil {
		t.Errorf("a cancelled training gave a table of %d words", got.Len())
	}
	if read > 400 {
		t.Errorf("training read %d texts after it was cancelled at the 300th", read-300)
	}
}

func ExampleTrain() {
	tab := Train(context.Background(), each(topicTexts(200)), TrainOptions{Dim: 16, Seed: 1})
	fmt.Println(tab.Len(), tab.Dim)
	// Output: 17 16
}
