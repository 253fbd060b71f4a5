package linking

import (
	"math"
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

// imageCosine gives, to the last bit, the cosine of the two images with
// the directions taken out of copies of them, whichever signs and shares,
// a share of 0 (no article's direction to take out) and an empty image
// included.
func TestImageCosineIsTheCosineOfTheImagesLessTheDirections(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	image := func() []float32 {
		v := make([]float32, semDim)
		for i := range v {
			v[i] = float32(rng.NormFloat64())
		}
		return v
	}
	signs := func() (s [semDim / 64]uint64) {
		for i := range s {
			s[i] = rng.Uint64()
		}
		return s
	}
	cosine := func(a, b []float32) float64 {
		var dot, na, nb float64
		for i := range a {
			dot += float64(a[i]) * float64(b[i])
			na += float64(a[i]) * float64(a[i])
			nb += float64(b[i]) * float64(b[i])
		}
		if na == 0 || nb == 0 {
			return 0
		}
		return dot / math.Sqrt(na*nb)
	}
	for i := range 200 {
		q, d := image(), image()
		qs, ds := signs(), signs()
		ofQ, ofD := float32(rng.Float64()*2), float32(rng.Float64()*2)
		switch i % 4 {
		case 1:
			ofD = 0
		case 2:
			d = make([]float32, semDim)
			ofD = 0
		}
		lessQ, lessD := slices.Clone(q), slices.Clone(d)
		addSigned(lessQ, qs, -ofQ)
		addSigned(lessD, ds, -ofD)
		if got, want := imageCosine(q, qs, ofQ, d, ds, ofD), cosine(lessQ, lessD); got != want {
			t.Fatalf("case %d: imageCosine = %v, the images less the directions have a cosine of %v", i, got, want)
		}
	}
}
