package eval

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/datelinehq/dateline/internal/linking"
	"github.com/datelinehq/dateline/internal/linking/wordvec"
	"github.com/datelinehq/dateline/internal/linking/wordvec/wordvectest"
)

// corpusDir is where the labelled corpora live, outside the repository.
const corpusDir = "../../../../shared/fixtures/news"

// full runs the whole evaluation: scripts/eval-related.sh reports the
// same figures, and CI runs the test with -full (issue 11 moved it out of
// the default run, where it took minutes under the race detector).
var full = flag.Bool("full", false, "index every article of the corpora and hold precision to the issue's floors")

// TestPrecision checks that related articles stay above quality floors on
// the labelled corpora, and above the plain TF-IDF baseline, and checks
// linking.DefaultRelatedFloor against what its doc says of it: on each
// full corpus it lies among the cosines that articles on different
// subjects reach by chance (between the 90th and 99th percentiles), and
// costs precision@5 little. By default it indexes a sample of each corpus
// (see load): a quick check of the same code, which must beat the
// baseline by quickMargin. A smaller index finds fewer neighbours of the
// same topic, and unrelated articles come closer in it by chance, so
// neither the full precision floors nor the related floor's checks apply.
func TestPrecision(t *testing.T) {
	for _, test := range corpora {
		t.Run(test.name, func(t *testing.T) {
			items, sample := load(t, test)
			// The full run's floors are the engine's as a site ranks
			// once trained: the English vectors joined with vectors
			// trained on the corpus. The quick one measures whatever
			// vectors this build ships.
			words := wordvec.English()
			if *full {
				wordvectest.English(t)
				words = wordvec.ForSite("en", Train(items))
			}
			c := Calibrate(items, 5, sample, []float64{0, linking.DefaultRelatedFloor}, words)
			got, floored := c.Floors[0], c.Floors[1]
			base := Baseline(items, 5, sample)
			t.Logf("precision@5 over %d articles: baseline %.4f, engine %.4f, with the floor %.4f (%.2f kept a query, wrong dropped %.4f); chance cosines p90/p95/p99 %.4f",
				len(items), base.Precision, got.Precision, floored.Precision, floored.PerQuery, floored.WrongDropped, c.Chance)
			floor := test.fullFloor
			if !*full {
				floor = base.Precision + quickMargin
			}
			if got.Precision < floor {
				t.Errorf("precision@5 = %.4f, want at least %.4f", got.Precision, floor)
			}
			if got.Precision <= base.Precision {
				t.Errorf("precision@5 = %.4f, not above the baseline %.4f", got.Precision, base.Precision)
			}
			if !*full {
				return
			}
			if lo, hi := c.Chance[0], c.Chance[2]; floored.Floor < lo || floored.Floor > hi {
				t.Errorf("related floor %.3f is outside the chance cosines of differently labelled pairs, %.4f to %.4f", floored.Floor, lo, hi)
			}
			if cost := got.Precision - floored.Precision; cost > maxFloorCost {
				t.Errorf("the related floor costs precision@5 %.4f, more than %.4f", cost, maxFloorCost)
			}
		})
	}
}

// quickMargin is how far above the baseline the quick run must be.
const quickMargin = 0.03

// corpus is a labelled corpus the tests measure.
type corpus struct {
	name       string
	file       string
	load       func(string) ([]Item, error)
	fullSample int
	fullFloor  float64 // a floor under what the engine measures, against regressions
}

// The engine with the English word vectors and vectors trained on the
// corpus measures 0.861 (Reuters, every article) and 0.846 (AG News,
// every article; its first 1,000 here) in docs/benchmarks.md, "Issue 16";
// issue 16's targets are 0.86 and 0.84. The floors leave room for the
// training's randomness (two cores train at once, in no fixed order).
var corpora = []corpus{
	{"reuters", "reuters21578_modapte_test.jsonl", LoadReuters, 0, 0.855},
	{"agnews", "ag_news_test.csv", LoadAGNews, 1000, 0.835},
}

// load reads a corpus and returns its items and how many to query: the
// full run's, or for the quick run an evenly spread tenth of the corpus
// (a 25th under the race detector), every item queried. It skips the
// test when the corpus is absent, unless CI is set.
func load(t *testing.T, test corpus) ([]Item, int) {
	t.Helper()
	path := filepath.Join(corpusDir, test.file)
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("corpus missing in CI: %v", err)
		}
		t.Skipf("corpus not present: %v", err)
	}
	items, err := test.load(path)
	if err != nil {
		t.Fatal(err)
	}
	if *full {
		return items, test.fullSample
	}
	n := 10
	if raceEnabled {
		n = 25 // the race detector makes indexing 15 times slower
	}
	return everyNth(items, n), 0
}

// maxFloorCost is how much precision@5 the default related floor may
// cost on the full corpora.
const maxFloorCost = 0.005

// everyNth keeps every nth item, so that a subset has the corpus's mix of
// labels whatever its order.
func everyNth(items []Item, n int) []Item {
	var out []Item
	for i := 0; i < len(items); i += n {
		out = append(out, items[i])
	}
	return out
}
