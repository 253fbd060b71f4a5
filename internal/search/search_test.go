package search

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func w(words ...string) Term        { return Term{Words: words} }
func p(word string) Term            { return Term{Words: []string{word}, Prefix: true} }
func must(terms ...Term) Clause     { return Clause{Any: terms} }
func not(t Term) Clause             { return Clause{Any: []Term{t}, Negated: true} }
func clauses(cs ...Clause) []Clause { return cs }

func TestParse(t *testing.T) {
	for _, test := range []struct {
		query string
		want  []Clause
	}{
		{"Taliban talks", clauses(must(w("taliban")), must(w("talks")))},
		{`"Doha Agreement" Qatar`, clauses(must(w("doha", "agreement")), must(w("qatar")))},
		{"talks -Istanbul", clauses(must(w("talks")), not(w("istanbul")))},
		{`talks -"peace deal"`, clauses(must(w("talks")), not(w("peace", "deal")))},
		{"Pakis* border", clauses(must(p("pakis")), must(w("border")))},
		{"Ankara OR Istanbul talks", clauses(must(w("ankara"), w("istanbul")), must(w("talks")))},
		{"Tehrik-e-Taliban", clauses(must(w("tehrik")), must(w("e")), must(w("taliban")))},
		{"تحریک طالبان", clauses(must(w("تحریک")), must(w("طالبان")))},
		// What the engines' own languages would read as syntax is words
		// or nothing here.
		{`"unbalanced quote`, clauses(must(w("unbalanced", "quote")))},
		{"-", nil},
		{"- talks", clauses(must(w("talks")))},
		{"*", nil},
		{"NEAR(a b)", clauses(must(w("near")), must(w("a")), must(w("b")))},
		{"title:taliban", clauses(must(w("title")), must(w("taliban")))},
		{"a & b | !c <-> d:*", clauses(must(w("a")), must(w("b")), must(w("c")), must(w("d")))},
		// A prefix of one or two letters would match most of the index.
		{"ta* tal*", clauses(must(w("ta")), must(p("tal")))},
		{"OR talks", clauses(must(w("talks")))},
		{"talks OR", clauses(must(w("talks")))},
		{"x\x00y\x1b[31m", clauses(must(w("x")), must(w("y")), must(w("31m")))},
		{`'; DROP TABLE articles; --`, clauses(must(w("drop")), must(w("table")), must(w("articles")))},
	} {
		if got := Parse(test.query).Clauses; !cmp.Equal(got, test.want) {
			t.Errorf("Parse(%q):\n%s", test.query, cmp.Diff(test.want, got))
		}
	}
}

func TestParseBounds(t *testing.T) {
	long := Parse(strings.Repeat("word ", 2000))
	if len(long.Text) > MaxQueryBytes || len(long.Clauses) != MaxTerms {
		t.Errorf("a 10,000-character query kept %d bytes and %d clauses; want at most %d and %d", len(long.Text), len(long.Clauses), MaxQueryBytes, MaxTerms)
	}
	cut := Parse(strings.Repeat("é", 400)) // 800 bytes, cut inside no character
	if !strings.HasPrefix(cut.Text, "é") || len(cut.Text) > MaxQueryBytes || strings.ContainsRune(cut.Text, '\uFFFD') {
		t.Errorf("cut query %q", cut.Text)
	}
	if !Parse("-taliban").Empty() || Parse("taliban").Empty() {
		t.Error("a query of exclusions alone should be empty, one with a word not")
	}
}

func TestSnippetHTML(t *testing.T) {
	s := Snippet("The **" + SnippetStart + "ceasefire" + SnippetEnd + "** held, said [the minister](https://example.com/a?b=1&c=2) <script>x</script>\n\n## Next")
	want := "The <mark>ceasefire</mark> held, said the minister &lt;script&gt;x&lt;/script&gt; Next"
	if got := string(s.HTML()); got != want {
		t.Errorf("HTML() =\n%s\nwant\n%s", got, want)
	}
}
