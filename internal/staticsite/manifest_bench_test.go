package staticsite

import (
	"fmt"
	"testing"
)

// BenchmarkManifest writes and reads the manifest of a site the size of
// the generated 10,000-article benchmark's (scripts/bench-export.sh):
// 37,000 pages linking twenty articles each, 10,000 articles on 28
// listings each. An export after a note reads it as it begins and writes
// it as it ends.
func BenchmarkManifest(b *testing.B) {
	m := &manifest{manifestHead: manifestHead{Version: manifestVersion, Fingerprint: "f", BaseURL: "https://news.example.org"},
		Files: map[string]fileEntry{}, Articles: map[int64]articleEntry{}}
	for i := range 37_000 {
		p := fmt.Sprintf("/topic/place-%d/page/%d/", i%48, i)
		links := make([]int64, 20)
		for j := range links {
			links[j] = int64((i*7 + j*13) % 10_000)
		}
		m.Files[p] = fileEntry{File: pageIndex(p), Hash: digest(p), Links: links}
	}
	for i := range 10_000 {
		listings := make([]string, 28)
		for j := range listings {
			listings[j] = fmt.Sprintf("/topic/place-%d/", (i+j)%48)
		}
		m.Articles[int64(i)] = articleEntry{Path: fmt.Sprintf("/story-%d/", i), State: digest(fmt.Sprint(i)), Card: digest(fmt.Sprint(i, "card")),
			Order: "2026-11-29T09:00:00Z", Listings: listings, Group: "/news/"}
	}
	state := b.TempDir()
	b.Run("write", func(b *testing.B) {
		for b.Loop() {
			if err := writeManifest(state, manifestFile, m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("read", func(b *testing.B) {
		for b.Loop() {
			if got, err := readManifest(state); err != nil || len(got.Files) != len(m.Files) {
				b.Fatalf("read %d pages, %v; want %d", len(got.Files), err, len(m.Files))
			}
		}
	})
}
