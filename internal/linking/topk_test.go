package linking

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// topK keeps the same entries a full sort puts first, ties to the lower
// slot.
func TestTopKKeepsTheBest(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 5, 99, 100, 101, 1000, 5000} {
		c := make([]scored, n)
		for i := range c {
			// Few distinct scores, so that ties are many.
			c[i] = scored{slot: int32(i), score: float64(rng.IntN(40))}
		}
		rng.Shuffle(len(c), func(i, j int) { c[i], c[j] = c[j], c[i] })
		want := slices.Clone(c)
		slices.SortFunc(want, func(a, b scored) int {
			if a.score != b.score {
				if a.score > b.score {
					return -1
				}
				return 1
			}
			return int(a.slot - b.slot)
		})
		want = want[:min(n, 100)]
		got := topK(slices.Clone(c), 100)
		slot := func(a, b scored) int { return int(a.slot - b.slot) }
		slices.SortFunc(want, slot)
		slices.SortFunc(got, slot)
		if !slices.Equal(got, want) {
			t.Errorf("n=%d: topK kept %v, want %v", n, got, want)
		}
	}
}
