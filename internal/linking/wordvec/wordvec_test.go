package wordvec_test

import (
	"math"
	"slices"
	"testing"

	"github.com/datelinehq/dateline/internal/linking"
	"github.com/datelinehq/dateline/internal/linking/wordvec"
	"github.com/datelinehq/dateline/internal/linking/wordvec/wordvectest"
)

// cosine is the cosine of two keys' vectors in t.
func cosine(t *testing.T, tab *wordvec.Table, a, b string) float64 {
	t.Helper()
	va, vb := make([]float32, tab.Dim), make([]float32, tab.Dim)
	if !tab.AddTo(va, a, 1) || !tab.AddTo(vb, b, 1) {
		t.Fatalf("the table lacks %q or %q", a, b)
	}
	var dot float64
	for i := range va {
		dot += float64(va[i]) * float64(vb[i])
	}
	return dot
}

func key(t *testing.T, word string) string {
	t.Helper()
	toks := linking.Normalize(word)
	if len(toks) != 1 {
		t.Fatalf("%q is %d tokens", word, len(toks))
	}
	return toks[0].Key
}

// The embedded English table is keyed as the linking engine keys words,
// and its vectors put words of one subject close.
func TestEnglish(t *testing.T) {
	tab := wordvectest.English(t)
	if tab.Len() < 50_000 || tab.Dim != 100 {
		t.Fatalf("%d keys of %d dimensions", tab.Len(), tab.Dim)
	}
	for _, w := range []string{"elections", "ferry", "minister", "football", "inflation", "earthquake"} {
		v := make([]float32, tab.Dim)
		if !tab.AddTo(v, key(t, w), 1) {
			t.Errorf("the table has no vector for %q (key %q)", w, key(t, w))
		}
	}
	for _, c := range []struct{ a, near, far string }{
		{"election", "vote", "banana"},
		{"football", "soccer", "inflation"},
		{"earthquake", "tsunami", "election"},
	} {
		near, far := cosine(t, tab, key(t, c.a), key(t, c.near)), cosine(t, tab, key(t, c.a), key(t, c.far))
		if near <= far {
			t.Errorf("%s is as close to %s (%.3f) as to %s (%.3f)", c.a, c.near, near, c.far, far)
		}
	}
	if wordvec.ForLanguage("en-GB") != tab || wordvec.ForLanguage("EN") != tab || wordvec.ForLanguage("ur") != nil || wordvec.ForLanguage("") != nil {
		t.Error("ForLanguage gives the English table for English only")
	}
}

func TestParse(t *testing.T) {
	tab := &wordvec.Table{Dim: 3}
	tab.Add("tide", []float64{0.5, -1, 0.25})
	tab.Add("tide", []float64{9, 9, 9}) // the first vector stays
	tab.Add("quay", []float64{0, 0, 2})
	data, err := tab.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	back, err := wordvec.Parse(data)
	if err != nil || back.Len() != 2 || back.Dim != 3 {
		t.Fatalf("Parse: %v, %+v", err, back)
	}
	v := make([]float32, 3)
	back.AddTo(v, "tide", 1)
	want := []float64{0.5, -1, 0.25}
	norm := math.Sqrt(0.25 + 1 + 0.0625)
	for i := range v {
		if math.Abs(float64(v[i])-want[i]/norm) > 0.01 {
			t.Errorf("tide[%d] = %.4f, want %.4f", i, v[i], want[i]/norm)
		}
	}
	for _, bad := range [][]byte{nil, []byte("DLWV"), []byte("DLWV\x01\x03\x02"), append(data[:len(data)-1:len(data)-1], 1, 2)} {
		if _, err := wordvec.Parse(bad); err == nil {
			t.Errorf("wordvec.Parse(%q) accepted a broken table", bad)
		}
	}
}

// A joined table places a key by both its vectors, each a unit vector,
// and by the one it has where the other table lacks it.
func TestConcat(t *testing.T) {
	a := &wordvec.Table{Dim: 2}
	a.Add("harbour", []float64{3, 4})
	a.Add("ferri", []float64{0, 2})
	b := &wordvec.Table{Dim: 3}
	b.Add("harbour", []float64{0, 0, 5})
	b.Add("dredg", []float64{1, 0, 0})
	j := wordvec.Concat(a, b)
	if j.Dim != 5 || j.Len() != 3 {
		t.Fatalf("joined table of %d keys, %d dimensions; want 3 and 5", j.Len(), j.Dim)
	}
	s := float32(math.Sqrt2 / 2)
	for key, want := range map[string][]float32{
		"harbour": {0.6 * s, 0.8 * s, 0, 0, s},
		"ferri":   {0, 1, 0, 0, 0},
		"dredg":   {0, 0, 1, 0, 0},
	} {
		got := make([]float32, 5)
		if !j.AddTo(got, key, 1) {
			t.Fatalf("%s is not in the joined table", key)
		}
		for i := range want {
			if math.Abs(float64(got[i]-want[i])) > 0.01 {
				t.Errorf("%s = %v; want %v", key, got, want)
				break
			}
		}
	}
	if keys := j.Keys(); !slices.Equal(keys, []string{"harbour", "ferri", "dredg"}) {
		t.Errorf("joined keys %q; want the first table's, then the second's others", keys)
	}
	if j.AddTo(make([]float32, 5), "tide", 1) {
		t.Error("a key of neither table has a vector")
	}
	if _, err := j.MarshalBinary(); err == nil {
		t.Error("a joined table was written")
	}
}
