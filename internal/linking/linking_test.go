package linking

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/google/go-cmp/cmp"
)

// Our own small newsroom: three subjects, two articles each.
var newsroom = []Doc{
	{ID: 1, Slug: "doha-agreement", Title: "Why the Doha Agreement Still Shapes South Asia’s Security Politics",
		Headings: []string{"What the Doha Agreement promised"},
		Text: "The Doha Agreement, signed by the United States and the Afghan Taliban in February 2020, set a timetable for the withdrawal of foreign troops.\n\n" +
			"Critics of the Doha Agreement say the Afghan Taliban gave few guarantees in return, and that Pakistan has paid the price on its border.",
		Tags: []string{"Afghanistan", "Diplomacy"}, Published: day(1)},
	{ID: 2, Slug: "doha-talks-anniversary", Title: "Four years after Doha: the withdrawal deal revisited",
		Text: "Four years on, diplomats who negotiated the Doha Agreement with the Afghan Taliban disagree about what the withdrawal achieved.\n\n" +
			"The agreement bound the Taliban to cut ties with armed groups, a promise the diplomats say was never tested.",
		Tags: []string{"Afghanistan"}, Published: day(2)},
	{ID: 3, Slug: "ttp-attacks", Title: "Tehrik-e-Taliban Pakistan steps up attacks in Khyber Pakhtunkhwa",
		Text: "Tehrik-e-Taliban Pakistan, the militant group known as the TTP, claimed three attacks on police posts in Khyber Pakhtunkhwa this week.\n\n" +
			"Security officials say TTP fighters cross the border from Afghanistan, where the group found shelter after 2021.",
		Tags: []string{"Pakistan", "Security"}, Published: day(3)},
	{ID: 4, Slug: "ttp-talks", Title: "Islamabad weighs new talks with the TTP",
		Text: "Pakistan's government is weighing a new round of talks with Tehrik-e-Taliban Pakistan after a month of attacks on police in Khyber Pakhtunkhwa.\n\n" +
			"Earlier talks with the TTP collapsed when the militants refused to disarm.",
		Tags: []string{"Pakistan"}, Published: day(4)},
	{ID: 5, Slug: "afghan-economy", Title: "Afghanistan’s economy shrinks as aid dries up",
		Text: "Afghanistan's economy has shrunk by a quarter since foreign aid was cut, the World Bank says, and banks ration cash withdrawals.\n\n" +
			"Traders in Kabul say prices of flour and fuel have doubled while wages have fallen.",
		Tags: []string{"Afghanistan", "Economy"}, Published: day(5)},
	{ID: 6, Slug: "kabul-prices", Title: "Flour and fuel prices double in Kabul markets",
		Text: "Flour and fuel prices in Kabul markets have doubled in a year, traders say, as the economy shrinks and aid dries up.\n\n" +
			"The World Bank expects the Afghan economy to shrink again next year.",
		Tags: []string{"Economy"}, Published: day(6)},
}

func day(n int) time.Time { return time.Date(2024, 1, n, 9, 0, 0, 0, time.UTC) }

func newsroomIndex(t testing.TB) *Index {
	t.Helper()
	ix := NewIndex()
	for _, d := range newsroom {
		ix.Upsert(d)
	}
	return ix
}

func ids(ms []Match) []int64 {
	var out []int64
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return out
}

func TestRelated(t *testing.T) {
	ix := newsroomIndex(t)
	for _, test := range []struct {
		id   int64
		want int64 // the best match
	}{{1, 2}, {2, 1}, {3, 4}, {4, 3}, {5, 6}, {6, 5}} {
		got := ix.Related(test.id, 5, 0)
		if len(got) > 0 && got[0].Reason != "" {
			t.Errorf("Related(%d)[0] says why (%q) before Explain", test.id, got[0].Reason)
		}
		ix.Explain(test.id, got)
		if len(got) == 0 || got[0].ID != test.want {
			t.Errorf("Related(%d) = %v, want %d first", test.id, ids(got), test.want)
			continue
		}
		for _, m := range got {
			if m.ID == test.id {
				t.Errorf("Related(%d) holds itself", test.id)
			}
		}
		if got[0].Reason == "" {
			t.Errorf("Related(%d)[0] has no reason", test.id)
		}
	}
	related := ix.Related(1, 5, 0)
	ix.Explain(1, related)
	got := related[0]
	if !strings.Contains(got.Reason, `"doha agreement"`) || !strings.Contains(got.Reason, "tag Afghanistan") {
		t.Errorf("reason = %q, want the shared name and tag", got.Reason)
	}
	if got := ix.Related(1, 2, 0); len(got) != 2 {
		t.Errorf("Related(1, 2) returned %d", len(got))
	}
	if got := ix.Related(99, 5, 0); got != nil {
		t.Errorf("Related(unknown) = %v", got)
	}
}

// Related articles had no relevance floor, and scores above 1: a story
// sharing one word with the newsroom was related to its articles.
func TestRelatedScoreAndFloor(t *testing.T) {
	ix := newsroomIndex(t)
	tugs := Doc{ID: 7, Slug: "tug-pay", Title: "Harbour tug crews end their strike",
		Text: "Tug crews in the harbour went back to work on Monday after a pay agreement with the port's operators.\n\n" +
			"Ships waited at anchor for three days while the crews stayed ashore.",
		Tags: []string{"Harbour"}, Published: day(7)}
	ix.Upsert(tugs)
	for _, d := range append(newsroom, tugs) {
		for _, m := range ix.Related(d.ID, 10, 0) {
			cos, ok := ix.Cosine(d.ID, m.ID)
			if m.Score < 0 || m.Score > 1 || !ok || m.Cosine != cos || m.Cosine <= 0 {
				t.Errorf("Related(%d) holds %d with score %v and cosine %v (Cosine %v, %v); want a score in [0, 1] and the articles' cosine",
					d.ID, m.ID, m.Score, m.Cosine, cos, ok)
			}
		}
	}
	if got := ix.Related(7, 5, 0); len(got) == 0 {
		t.Fatal("with no floor, the tug story shares a word with nothing")
	}
	if got := ix.Related(7, 5, DefaultRelatedFloor); len(got) != 0 {
		t.Errorf("Related(tugs) above the default floor = %+v, want none: it shares only %q", got, "agreement")
	}
	for _, test := range []struct{ id, want int64 }{{1, 2}, {3, 4}, {5, 6}} {
		if got := ix.Related(test.id, 5, DefaultRelatedFloor); len(got) == 0 || got[0].ID != test.want {
			t.Errorf("Related(%d) above the default floor = %v, want %d first", test.id, ids(got), test.want)
		}
		for _, m := range ix.Related(test.id, 5, DefaultRelatedFloor) {
			if m.Cosine < DefaultRelatedFloor || m.ID == 7 {
				t.Errorf("Related(%d) above the default floor holds %d, cosine %v", test.id, m.ID, m.Cosine)
			}
		}
	}
}

func TestRelatedToDoc(t *testing.T) {
	ix := newsroomIndex(t)
	draft := Doc{Title: "Police posts attacked again", Text: "The TTP said its fighters attacked police in Khyber Pakhtunkhwa."}
	got := ix.RelatedToDoc(draft, 2)
	if len(got) != 2 || (got[0].ID != 3 && got[0].ID != 4) {
		t.Errorf("RelatedToDoc = %v, want the TTP articles", ids(got))
	}
	// An indexed article's own ID is left out.
	d := newsroom[0]
	for _, m := range ix.RelatedToDoc(d, 5) {
		if m.ID == d.ID {
			t.Error("RelatedToDoc returned the article itself")
		}
	}
}

func TestUpsertRemove(t *testing.T) {
	ix := newsroomIndex(t)
	if ix.Len() != 6 {
		t.Fatalf("Len = %d", ix.Len())
	}
	ix.Remove(2)
	ix.Remove(2) // twice is fine
	if ix.Len() != 5 {
		t.Fatalf("Len after Remove = %d", ix.Len())
	}
	if stale, n := ix.Stale(); stale != 1 || n != 5 {
		t.Errorf("Stale after one removal = %d of %d, want 1 of 5", stale, n)
	}
	for _, m := range ix.Related(1, 5, 0) {
		if m.ID == 2 {
			t.Error("removed article still related")
		}
	}
	// Replacing an article's text moves it to its new subject.
	moved := newsroom[5]
	moved.Text, moved.Title = newsroom[3].Text, "More on talks with the TTP"
	ix.Upsert(moved)
	if ix.Len() != 5 {
		t.Errorf("Len after replacing = %d", ix.Len())
	}
	if stale, _ := ix.Stale(); stale != 2 {
		t.Errorf("Stale after a removal and a replacement = %d, want 2", stale)
	}
	if got := ix.Related(6, 1, 0); len(got) == 0 || (got[0].ID != 3 && got[0].ID != 4) {
		t.Errorf("after update Related(6) = %v, want a TTP article", ids(got))
	}
	info, ok := ix.Doc(6)
	if !ok || info.Title != "More on talks with the TTP" || info.Slug != "kabul-prices" {
		t.Errorf("Doc(6) = %+v, %v", info, ok)
	}
	// Remove then re-add restores the same ranking as a fresh index (the
	// scores drift a little: weights use the idf of the time of insertion).
	ix.Upsert(newsroom[1])
	ix.Upsert(newsroom[5])
	fresh := newsroomIndex(t)
	for _, d := range newsroom {
		if diff := cmp.Diff(ids(fresh.Related(d.ID, 1, 0)), ids(ix.Related(d.ID, 1, 0))); diff != "" {
			t.Errorf("Related(%d) after churn differs from a fresh index (-fresh +churned):\n%s", d.ID, diff)
		}
	}
}

func TestResolveTitle(t *testing.T) {
	ix := newsroomIndex(t)
	for _, test := range []struct {
		title string
		want  int64 // 0: no match
	}{
		{"Why the Doha Agreement Still Shapes South Asia’s Security Politics", 1},
		{"Why the Doha Agreement still shapes South Asia's security politics", 1},
		{"How the Doha Agreement shapes South Asia’s security", 1},
		{"Afghanistan's Economy Shrinks as Aid Dries Up", 5},
		{"A recipe for lemon cake", 0},
		{"", 0},
	} {
		m, ok := ix.ResolveTitle(test.title)
		if test.want == 0 {
			if ok {
				t.Errorf("ResolveTitle(%q) = %d (%.2f), want none", test.title, m.ID, m.Score)
			}
			continue
		}
		if !ok || m.ID != test.want {
			t.Errorf("ResolveTitle(%q) = %d, %v; want %d", test.title, m.ID, ok, test.want)
		}
	}
}

func TestKeyPhrases(t *testing.T) {
	ix := newsroomIndex(t)
	got := ix.KeyPhrases(1, 20)
	byKey := map[string]Phrase{}
	for _, p := range got {
		byKey[p.Key] = p
		if p.Weight <= 0 {
			t.Errorf("phrase %q has weight %v", p.Key, p.Weight)
		}
	}
	for key, text := range map[string]string{"doha agreement": "Doha Agreement", "afghan taliban": "Afghan Taliban", "afghanistan": "Afghanistan"} {
		if p, ok := byKey[key]; !ok || p.Text != text {
			t.Errorf("KeyPhrases(1) lacks %q as %q: %+v", key, text, got)
		}
	}
	ttp := ix.KeyPhrases(3, 20)
	found := false
	for _, p := range ttp {
		if p.Key == "tehrik e taliban pakistan" && p.Text == "Tehrik-e-Taliban Pakistan" && p.Kind == "name" {
			found = true
		}
	}
	if !found {
		t.Errorf("KeyPhrases(3) lacks Tehrik-e-Taliban Pakistan: %+v", ttp)
	}
	// Every key is found in the article's own text by Normalize.
	for _, p := range got {
		if p.Kind == "tag" {
			continue
		}
		if !containsKey(Normalize(newsroom[0].Title+"\n\n"+strings.Join(newsroom[0].Headings, "\n\n")+"\n\n"+newsroom[0].Text), p.Key) {
			t.Errorf("key %q not found in the text by Normalize", p.Key)
		}
	}
	if got := ix.KeyPhrases(1, 2); len(got) != 2 {
		t.Errorf("KeyPhrases(1, 2) returned %d", len(got))
	}
}

func containsKey(toks []Token, key string) bool {
	keys := strings.Fields(key)
	for i := 0; i+len(keys) <= len(toks); i++ {
		ok := true
		for k := range keys {
			if toks[i+k].Key != keys[k] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func TestNormalize(t *testing.T) {
	text := "Pakistan’s talks with Tehrik-e-Taliban Pakistan (TTP) resumed, officials said."
	var got []string
	for _, tk := range Normalize(text) {
		got = append(got, fmt.Sprintf("%s=%s", text[tk.Start:tk.End], tk.Key))
	}
	want := []string{"Pakistan’s=pakistan", "talks=talk", "with=with", "Tehrik=tehrik", "e=e", "Taliban=taliban", "Pakistan=pakistan", "TTP=ttp", "resumed=resum", "officials=offici", "said=said"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Normalize (-want +got):\n%s", diff)
	}
	stops := map[string]bool{}
	for _, tk := range Normalize("the 2,600 troops of a U.S. unit") {
		stops[tk.Key] = tk.Stop
	}
	for k, want := range map[string]bool{"the": true, "2": true, "600": true, "troop": false, "u": true, "unit": false} {
		if stops[k] != want {
			t.Errorf("Stop(%q) = %v, want %v", k, stops[k], want)
		}
	}
}

func TestNonLatin(t *testing.T) {
	for _, test := range []struct {
		name, text string
		want       []string
	}{
		{"urdu", "پاکستان کی معیشت", []string{"پاکستان", "کی", "معیشت"}},
		{"arabic diacritics", "السَّلَامُ عليكم", []string{"السلام", "عليكم"}},
		{"pashto", "د افغانستان اقتصاد", []string{"د", "افغانستان", "اقتصاد"}},
		{"chinese", "巴基斯坦经济", []string{"巴", "基", "斯", "坦", "经", "济"}},
	} {
		t.Run(test.name, func(t *testing.T) {
			var got []string
			for _, tk := range Normalize(test.text) {
				got = append(got, tk.Key)
				if tk.Stop {
					t.Errorf("%q marked as a stop word", tk.Key)
				}
			}
			if diff := cmp.Diff(test.want, got); diff != "" {
				t.Errorf("keys (-want +got):\n%s", diff)
			}
		})
	}
	ix := NewIndex()
	docs := []Doc{
		{ID: 1, Title: "پاکستان کی معیشت", Text: "پاکستان کی معیشت میں مہنگائی بڑھ گئی ہے اور روپیہ کمزور ہوا ہے"},
		{ID: 2, Title: "معیشت اور مہنگائی", Text: "مہنگائی نے پاکستان کی معیشت کو متاثر کیا اور روپیہ گر گیا"},
		{ID: 3, Title: "کرکٹ میچ", Text: "لاہور میں کرکٹ میچ دیکھنے کے لیے ہزاروں لوگ آئے"},
		{ID: 4, Title: "巴基斯坦经济", Text: "巴基斯坦经济增长放缓，通货膨胀上升。"},
		{ID: 5, Title: "经济增长", Text: "巴基斯坦的经济增长放缓，物价上涨。"},
		{ID: 6, Title: "足球比赛", Text: "北京举行足球比赛，观众很多。"},
		{ID: 7, Title: "اقتصاد افغانستان", Text: "اقتصاد افغانستان پس از قطع کمک\u200cها کوچک شد"},
		{ID: 8, Title: "الاقتصاد", Text: "تراجع الاقتصاد في المنطقة بعد توقف المساعدات"},
	}
	for _, d := range docs {
		ix.Upsert(d)
	}
	if got := ix.Related(1, 1, 0); len(got) != 1 || got[0].ID != 2 {
		t.Errorf("Related(urdu) = %v, want 2", ids(got))
	}
	if got := ix.Related(4, 1, 0); len(got) != 1 || got[0].ID != 5 {
		t.Errorf("Related(chinese) = %v, want 5", ids(got))
	}
	for _, d := range docs {
		for _, m := range ix.Related(d.ID, 5, 0) {
			if m.ID == d.ID {
				t.Errorf("Related(%d) holds itself", d.ID)
			}
		}
		_ = ix.KeyPhrases(d.ID, 10)
		checkSuggest(t, ix, d)
	}
	if m, ok := ix.ResolveTitle("巴基斯坦经济"); !ok || m.ID != 4 {
		t.Errorf("ResolveTitle(chinese) = %v, %v", m.ID, ok)
	}
}

func TestBadInput(t *testing.T) {
	t.Run("empty", func(t *testing.T) {
		ix := newsroomIndex(t)
		ix.Upsert(Doc{ID: 100})
		if got := checkSuggest(t, ix, Doc{ID: 100}); len(got) != 0 {
			t.Errorf("Suggest(empty) = %+v", got)
		}
		if got := ix.Related(100, 5, 0); len(got) != 0 {
			t.Errorf("Related(empty) = %v", ids(got))
		}
		if got := ix.KeyPhrases(100, 5); len(got) != 0 {
			t.Errorf("KeyPhrases(empty) = %v", got)
		}
		for _, d := range newsroom {
			for _, m := range ix.Related(d.ID, 10, 0) {
				if m.ID == 100 {
					t.Errorf("the empty article is related to %d", d.ID)
				}
			}
		}
		if _, ok := ix.ResolveTitle("   "); ok {
			t.Error("ResolveTitle(blank) matched")
		}
		if got := ix.RelatedToDoc(Doc{}, 5); len(got) != 0 {
			t.Errorf("RelatedToDoc(empty) = %v", ids(got))
		}
	})
	t.Run("one word", func(t *testing.T) {
		ix := newsroomIndex(t)
		ix.Upsert(Doc{ID: 100, Text: "Taliban"})
		checkSuggest(t, ix, Doc{ID: 100, Text: "Taliban"})
		for _, m := range ix.Related(100, 5, 0) {
			if m.ID == 100 {
				t.Error("itself")
			}
			if m.ID == 5 || m.ID == 6 {
				t.Errorf("Taliban related to the economy article %d", m.ID)
			}
		}
		if got := ix.KeyPhrases(100, 5); len(got) != 1 || got[0].Key != "taliban" {
			t.Errorf("KeyPhrases(one word) = %+v", got)
		}
	})
	t.Run("identical", func(t *testing.T) {
		t.Parallel()
		ix := newsroomIndex(t)
		text := newsroom[2].Text
		for i := range 1000 {
			ix.Upsert(Doc{ID: int64(1000 + i), Title: "Same story", Text: text, Published: day(1).Add(time.Duration(i) * time.Minute)})
		}
		checkSuggest(t, ix, Doc{ID: 1500, Title: "Same story", Text: text})
		got := ix.Related(1500, 5, 0)
		if len(got) != 5 {
			t.Fatalf("Related = %v", ids(got))
		}
		for i, m := range got {
			if m.ID == 1500 {
				t.Error("itself")
			}
			// Equal scores: the most recent first.
			if want := int64(1999 - i); m.ID != want {
				t.Errorf("Related[%d] = %d, want %d (recency breaks ties)", i, m.ID, want)
			}
		}
	})
	t.Run("5 MB", func(t *testing.T) {
		t.Parallel()
		var b strings.Builder
		for b.Len() < 5<<20 {
			for _, d := range newsroom {
				b.WriteString(d.Text)
				b.WriteString("\n\n")
			}
		}
		ix := newsroomIndex(t)
		ix.Upsert(Doc{ID: 100, Title: "Everything", Text: b.String()})
		checkSuggest(t, ix, Doc{ID: 100, Title: "Everything", Text: b.String()})
		for _, id := range []int64{100, 1, 5} {
			for _, m := range ix.Related(id, 5, 0) {
				if m.ID == id {
					t.Error("itself")
				}
			}
		}
		if got := ix.KeyPhrases(100, 50); len(got) == 0 || len(got) > maxPhrases {
			t.Errorf("KeyPhrases(5 MB) returned %d", len(got))
		}
	})
}

func TestConcurrent(t *testing.T) {
	t.Parallel()
	ix := newsroomIndex(t)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 60 {
				d := newsroom[(g+i)%len(newsroom)]
				d.ID = int64(100 + g*1000 + i%20)
				ix.Upsert(d)
				ix.Related(d.ID, 5, 0)
				ix.KeyPhrases(d.ID, 5)
				ix.ResolveTitle(d.Title)
				if i%3 == 0 {
					ix.Remove(d.ID)
				}
			}
		})
	}
	wg.Wait()
}

func TestDocFromArticle(t *testing.T) {
	a := &article.Article{
		ID: 7, Slug: "s", Title: "T", PublishedAt: day(1),
		Tags: []article.Tag{{Name: "Pakistan"}},
		Body: "Intro with a [link](/x/) and `code`.\n\n## First *part*\n\n- one item\n- two\n\n> A quote\n> on two lines.\n\n```\nfunc main() {}\n```\n\n### Sub\n\nLast paragraph.\n\n" +
			// Bare addresses stay text, though the index's parse makes no
			// links of them.
			"Details at www.harbour.example.org, from desk@harbour.example.org or <https://harbour.example.org/fees>.\n",
	}
	got := DocFromArticle(render.New(), a)
	want := Doc{
		ID: 7, Slug: "s", Title: "T", Published: day(1), Tags: []string{"Pakistan"},
		Headings: []string{"First part", "Sub"},
		Text:     "Intro with a link and .\n\none item\n\ntwo\n\nA quote on two lines.\n\nLast paragraph.\n\nDetails at www.harbour.example.org, from desk@harbour.example.org or https://harbour.example.org/fees.",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DocFromArticle (-want +got):\n%s", diff)
	}
}

// checkSuggest asks for link suggestions for d, indexed in ix, and fails
// on a suggestion to d itself or one whose phrase is not at its offsets.
func checkSuggest(t *testing.T, ix *Index, d Doc) []Suggestion {
	t.Helper()
	a := &article.Article{ID: d.ID, Slug: fmt.Sprintf("article-%d", d.ID), Title: d.Title, Body: d.Text}
	got := Suggest(ix, render.New(), a, SuggestOptions{})
	for _, s := range got {
		if s.Target.ID == d.ID {
			t.Errorf("suggests a link from %d to itself: %+v", d.ID, s)
		}
		if s.Start < 0 || s.End > len(a.Body) || a.Body[s.Start:s.End] != s.Phrase {
			t.Errorf("suggestion %q is not at %d:%d of the text", s.Phrase, s.Start, s.End)
		}
	}
	return got
}

// Related takes both self-shares of a pair in one walk; each is the one
// selfShare gives, to the bit, so the scores do not move.
func TestSelfSharesAsSelfShare(t *testing.T) {
	ix := newsroomIndex(t)
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	pairs := 0
	for _, self := range ix.docs {
		q := self.vec
		qw := make([]float64, len(q))
		for i, tw := range q {
			qw[i] = float64(tw.w) * ix.idfOf(tw.term)
		}
		for _, e := range ix.docs {
			if e == self {
				continue
			}
			c := ix.scoringOf(e)
			ofSelf, ofE := ix.selfShares(q, qw, self, e, c.w)
			wantSelf, wantE := ix.selfShare(e.vec, c.w, self), ix.selfShare(q, qw, e)
			if ofSelf != wantSelf || ofE != wantE {
				t.Errorf("%s and %s: selfShares = %v, %v; selfShare gives %v, %v", self.info.Slug, e.info.Slug, ofSelf, ofE, wantSelf, wantE)
			}
			if wantSelf != 0 {
				pairs++
			}
		}
	}
	if pairs == 0 {
		t.Fatal("no pair of articles shares a term with a co-occurrence vector: nothing compared")
	}
}
