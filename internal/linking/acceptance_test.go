package linking

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/render"
)

// loadArchive reads testdata/suggest/archive.md: articles, each after a
// "== slug" line, with title, standfirst and date lines, then the body.
func loadArchive(t *testing.T) []*article.Article {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "suggest", "archive.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []*article.Article
	var cur *article.Article
	var body strings.Builder
	flush := func() {
		if cur != nil {
			cur.Body = strings.TrimSpace(body.String()) + "\n"
			out = append(out, cur)
		}
		body.Reset()
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "== "):
			flush()
			cur = &article.Article{ID: int64(len(out) + 1), Slug: strings.TrimPrefix(line, "== "), Status: article.Published}
		case cur == nil:
		case strings.HasPrefix(line, "title: ") && cur.Title == "":
			cur.Title = strings.TrimPrefix(line, "title: ")
		case strings.HasPrefix(line, "standfirst: ") && cur.Description == "":
			cur.Description = strings.TrimPrefix(line, "standfirst: ")
		case strings.HasPrefix(line, "date: ") && cur.PublishedAt.IsZero():
			d, err := time.Parse(time.DateOnly, strings.TrimPrefix(line, "date: "))
			if err != nil {
				t.Fatalf("%s: %v", cur.Slug, err)
			}
			cur.PublishedAt = d
		default:
			body.WriteString(line + "\n")
		}
	}
	flush()
	return out
}

// judgement is an editor's verdict on a link suggestion.
type judgement struct {
	source, phrase, target string
	accept                 bool
	why                    string
}

// loadJudgements reads testdata/suggest/judgements.txt: lines of
// "source | phrase | target | yes or no | why".
func loadJudgements(t *testing.T) map[string]judgement {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "suggest", "judgements.txt"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]judgement{}
	for n, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "|")
		if len(f) != 5 {
			t.Fatalf("judgements.txt:%d: want 5 fields separated by |", n+1)
		}
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		j := judgement{source: f[0], phrase: f[1], target: f[2], accept: f[3] == "yes", why: f[4]}
		out[j.source+"|"+strings.ToLower(j.phrase)+"|"+j.target] = j
	}
	return out
}

// TestSuggestionAcceptance: on an archive we wrote, the link suggestions
// are judged as an editor would judge them (testdata/suggest/
// judgements.txt, with the reason for each verdict). Precision, the share
// of suggestions made that an editor accepts, must reach 80%; a
// suggestion nobody judged counts as refused. So that fewer suggestions
// cannot pass by making none, most of the links judged acceptable must be
// made too.
func TestSuggestionAcceptance(t *testing.T) {
	arts := loadArchive(t)
	judged := loadJudgements(t)
	r := render.New()
	ix := NewIndexFor("en", nil)
	for _, a := range arts {
		ix.Upsert(DocFromArticle(r, a))
	}
	made, accepted := 0, 0
	found := map[string]bool{}
	var report strings.Builder
	for _, a := range arts {
		for _, s := range Suggest(ix, r, a, SuggestOptions{}) {
			made++
			key := a.Slug + "|" + strings.ToLower(s.Phrase) + "|" + s.Target.Slug
			found[key] = true
			j, ok := judged[key]
			verdict := "UNJUDGED"
			if ok && j.accept {
				accepted++
				verdict = "accepted"
			} else if ok {
				verdict = "refused: " + j.why
			}
			fmt.Fprintf(&report, "  %s | %s | %s | %.2f | %s\n", a.Slug, s.Phrase, s.Target.Slug, s.Score, verdict)
		}
	}
	wanted, reached := 0, 0
	for key, j := range judged {
		if j.accept {
			wanted++
			if found[key] {
				reached++
			}
		}
	}
	refused := 0
	for _, j := range judged {
		if !j.accept {
			refused++
		}
	}
	precision := float64(accepted) / float64(max(made, 1))
	t.Logf("%d judged cases (%d acceptable, %d not); %d suggestions made, %d accepted: precision %.2f; %d of the %d acceptable links made\n%s",
		len(judged), wanted, refused, made, accepted, precision, reached, wanted, report.String())
	if len(judged) < 40 {
		t.Errorf("%d judged cases, want at least 40", len(judged))
	}
	if precision < 0.8 {
		t.Errorf("precision %.2f, want at least 0.80", precision)
	}
	if reached*2 < wanted {
		t.Errorf("only %d of the %d acceptable links were suggested", reached, wanted)
	}
}
