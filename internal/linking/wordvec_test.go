package linking

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/linking/wordvec"
	"github.com/datelinehq/dateline/internal/linking/wordvec/wordvectest"
)

// Issue 16: with the English word vectors, an article on the same subject
// told in other words ranks above one that shares as many words with the
// query but is about something else; a site in another language keeps
// the ranking without them.
func TestWordVectorsRerank(t *testing.T) {
	english := wordvectest.English(t)
	day := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	docs := []Doc{
		{ID: 1, Title: "Striker scores twice as United win the derby", Published: day,
			Text: "The striker scored twice on Saturday as United won the derby in front of a full stadium. The goalkeeper made three saves and the manager praised the defence after the final whistle."},
		{ID: 2, Title: "Keeper saves penalty in cup tie", Published: day.Add(time.Hour),
			Text: "A late penalty was saved by the keeper on Saturday and the home team held on to reach the quarter-final. Fans sang until the referee blew for full time."},
		{ID: 3, Title: "Central bank raises interest rates again", Published: day.Add(2 * time.Hour),
			Text: "The central bank raised interest rates on Saturday for the third time this year, saying inflation had not fallen as fast as the markets expected. Mortgage lenders will pass the rise to borrowers."},
		{ID: 4, Title: "Council approves the new harbour budget", Published: day.Add(3 * time.Hour),
			Text: "The council approved the harbour budget on Saturday after a long debate about ferry fares and the cost of dredging the channel."},
	}
	for _, lang := range []string{"en", "ur"} {
		ix := NewIndexFor(lang, nil)
		for _, d := range docs {
			ix.Upsert(d)
		}
		got := ix.Related(1, 3, 0)
		if len(got) == 0 {
			t.Fatalf("%s: no related articles", lang)
		}
		if lang == "en" && got[0].ID != 2 {
			t.Errorf("with word vectors the cup tie should come first: %+v", got)
		}
	}
	if NewIndexFor("ur", nil).words != nil || NewIndexFor("en-GB", nil).words != english {
		t.Error("only an English site gets the English word vectors")
	}
	// Vectors trained on the archive join the English ones; a site in
	// another language keeps its ranking without vectors.
	var texts [][]string
	for range 5 {
		for _, d := range docs {
			texts = append(texts, TrainingWords(d))
		}
	}
	trained := wordvec.Train(context.Background(), slices.Values(texts), wordvec.TrainOptions{Dim: 10})
	if trained == nil {
		t.Fatal("nothing trained")
	}
	if ix := NewIndexFor("en", trained); ix.words.Dim != english.Dim+10 {
		t.Errorf("an English site with trained vectors ranks with %d dimensions; want %d", ix.words.Dim, english.Dim+10)
	}
	if NewIndexFor("ur", trained).words != nil {
		t.Error("a site in Urdu uses word vectors")
	}
}

func TestTrainingWords(t *testing.T) {
	d := Doc{Title: "The Mayor's new ferries", Headings: []string{"Fares in 2026"}, Text: "Ferries sail at 6 a.m. from the harbour."}
	want := []string{"mayor", "new", "ferri", "fare", "ferri", "sail", "harbour"}
	if got := TrainingWords(d); !slices.Equal(got, want) {
		t.Errorf("TrainingWords = %q; want %q", got, want)
	}
}
