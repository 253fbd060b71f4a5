//go:build unix

package importer

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/store/postgres"
	"github.com/datelinehq/dateline/internal/store/postgres/pgtest"
	"github.com/datelinehq/dateline/internal/store/sqlite"
)

// benchArticles is the size of the archive the import benchmarks load; the
// targets on a 2-core machine are at least 3,000 articles/s on SQLite and
// 1,500 on PostgreSQL.
const benchArticles = 10_000

var vocabulary = strings.Fields(`council budget river harbour election minister
	transport school hospital rail border talks ceasefire drought harvest port
	energy grid wind solar court ruling strike union wages inflation housing rent
	market exports imports tariff summit treaty delegation province mayor police
	report inquiry flood storm coast village district festival museum library
	university research vaccine clinic nurses doctors airport runway bridge tunnel`)

// writeArchive writes n Markdown articles of about 2,000 words each.
func writeArchive(tb testing.TB, dir string, n int) {
	tb.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	sentence := func(words int) {
		for i := range words {
			w := vocabulary[rng.IntN(len(vocabulary))]
			if i == 0 {
				w = strings.ToUpper(w[:1]) + w[1:]
			}
			b.WriteString(w)
			if i < words-1 {
				b.WriteByte(' ')
			}
		}
		b.WriteString(". ")
	}
	for i := range n {
		b.Reset()
		fmt.Fprintf(&b, "---\ntitle: Report %d on the %s %s\ndate: 2024-%02d-%02dT08:00:00Z\ntags: [%s, %s]\nauthor: Reporter %d\ndescription: ",
			i, vocabulary[i%len(vocabulary)], vocabulary[(i*7)%len(vocabulary)], i%12+1, i%28+1,
			vocabulary[i%9], vocabulary[i%13], i%20)
		sentence(20)
		b.WriteString("\n---\n")
		for section := range 8 {
			fmt.Fprintf(&b, "\n## Section %d\n\n", section+1)
			for range 3 {
				for range 5 {
					sentence(15)
				}
				b.WriteString("\n\n")
			}
			fmt.Fprintf(&b, "### Detail %d\n\n- ", section+1)
			sentence(6)
			b.WriteString("\n- ")
			sentence(6)
			b.WriteString("\n\n> ")
			sentence(12)
			b.WriteString("\n")
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("article-%05d.md", i)), []byte(b.String()), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

// benchmarkImport imports the archive into a fresh store per iteration and
// reports articles per second.
func benchmarkImport(b *testing.B, open func(b *testing.B) store.Store) {
	n := benchArticles
	if testing.Short() {
		n = 500
	}
	dir := b.TempDir()
	writeArchive(b, dir, n)
	// Write the archive out now, so that its writeback does not compete
	// with the import being measured.
	syscall.Sync()
	var elapsed time.Duration
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		s := open(b)
		b.StartTimer()
		start := time.Now()
		sum, err := New(s, newsroom.New(s, render.New(), time.Now, nil), Options{}).Run(ctx, []string{dir})
		elapsed += time.Since(start)
		b.StopTimer()
		if err != nil || sum.Counts[Created] != n {
			b.Fatalf("imported %d of %d: %v %v", sum.Counts[Created], n, err, sum.Failed())
		}
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n*b.N)/elapsed.Seconds(), "articles/s")
}

func BenchmarkImportMarkdownSQLite(b *testing.B) {
	benchmarkImport(b, func(b *testing.B) store.Store {
		s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), store.Options{Now: time.Now})
		if err != nil {
			b.Fatal(err)
		}
		return s
	})
}

func BenchmarkImportMarkdownPostgres(b *testing.B) {
	benchmarkImport(b, func(b *testing.B) store.Store {
		s, err := postgres.Open(ctx, pgtest.NewSchemaDSN(b), store.Options{Now: time.Now})
		if err != nil {
			b.Fatal(err)
		}
		return s
	})
}
