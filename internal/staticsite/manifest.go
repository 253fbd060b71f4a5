package staticsite

import (
	"bufio"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// manifestVersion is the manifest's format; an export finding another
// renders everything again.
const manifestVersion = 5

// manifest is what an export leaves for the next one: every file it
// wrote with its digest and the articles its page links to, and every
// article as it stood.
type manifest struct {
	manifestHead
	// Files are the pages, by address.
	Files map[string]fileEntry
	// Extra are the files that are no page of their own (the not-found
	// page, the redirects), by name: their digests.
	Extra    map[string]string
	Articles map[int64]articleEntry
	// Gone are the addresses of articles exported once and since deleted
	// or unpublished, which hosts answer with 410.
	Gone []string
}

// manifestHead is what a manifest says of the export as a whole, the
// same in memory and on disk.
type manifestHead struct {
	Version     int
	Fingerprint string
	BaseURL     string
	ExportedAt  time.Time
}

type fileEntry struct {
	// File is relative to the directory, with slashes. The manifest on
	// disk leaves it out where it is the page's own index.html (see
	// pageIndex).
	File  string
	Hash  string
	Links []int64 // the articles it links to, by ID
}

type articleEntry struct {
	Path     string
	State    string // a digest of Article.State (see export.run)
	Card     string
	Order    string
	Listings []string
	Group    string
}

// The manifest on disk is kept in columns: a list for each field of the
// pages and of the articles, the links of every page one after the other.
// gob writes and reads a list of strings or numbers at once, where a map
// took a step of its machinery for every entry: at 10,000 articles
// (37,000 pages) writing the maps was most of an export's commit after a
// note. Each article's listings are named by their place in one list of
// them: spelt out for each article, they were a third of a large site's
// manifest.
type manifestOnDisk struct {
	Head     manifestHead
	Pages    pageColumns
	Extra    map[string]string
	Listings []string
	Articles articleColumns
	Gone     []string
}

// pageColumns are the manifest's pages: the i-th page is at Paths[i],
// its file is Files[i] ("" where it is the page's own index.html, see
// pageIndex), and it links to the next LinkCounts[i] articles of Links.
type pageColumns struct {
	Paths, Files, Hashes []string
	LinkCounts           []int32
	Links                []int64
}

// articleColumns are the manifest's articles, in the order of their
// IDs: the i-th is on the next ListingCounts[i] listings of Listings,
// which are places in manifestOnDisk.Listings.
type articleColumns struct {
	IDs                                  []int64
	Paths, States, Cards, Orders, Groups []string
	ListingCounts                        []int32
	Listings                             []int32
}

// pageIndex is the file of the HTML page at path when path names a
// folder ("" otherwise), as fileFor names it.
func pageIndex(path string) string {
	if !strings.HasSuffix(path, "/") {
		return ""
	}
	return strings.TrimPrefix(path, "/") + "index.html"
}

// isPageIndex reports whether file is pageIndex(path), without making
// it.
func isPageIndex(path, file string) bool {
	return strings.HasSuffix(path, "/") && strings.HasSuffix(file, "index.html") &&
		file[:len(file)-len("index.html")] == strings.TrimPrefix(path, "/")
}

// onDisk is m as it is written.
func (m *manifest) onDisk() *manifestOnDisk {
	d := &manifestOnDisk{Head: m.manifestHead, Extra: m.Extra, Gone: m.Gone}
	n, links := len(m.Files), 0
	for _, f := range m.Files {
		links += len(f.Links)
	}
	pc := pageColumns{Paths: make([]string, 0, n), Files: make([]string, 0, n), Hashes: make([]string, 0, n),
		LinkCounts: make([]int32, 0, n), Links: make([]int64, 0, links)}
	for p, f := range m.Files {
		file := f.File
		if isPageIndex(p, file) {
			file = ""
		}
		pc.Paths, pc.Files, pc.Hashes = append(pc.Paths, p), append(pc.Files, file), append(pc.Hashes, f.Hash)
		pc.LinkCounts, pc.Links = append(pc.LinkCounts, int32(len(f.Links))), append(pc.Links, f.Links...)
	}
	d.Pages = pc
	// In the order of the articles' IDs, so that the same articles give
	// the same list.
	ids := slices.Sorted(maps.Keys(m.Articles))
	n, listings := len(ids), 0
	for _, a := range m.Articles {
		listings += len(a.Listings)
	}
	ac := articleColumns{IDs: ids, Paths: make([]string, n), States: make([]string, n), Cards: make([]string, n),
		Orders: make([]string, n), Groups: make([]string, n), ListingCounts: make([]int32, n), Listings: make([]int32, 0, listings)}
	place := map[string]int32{}
	for i, id := range ids {
		a := m.Articles[id]
		ac.Paths[i], ac.States[i], ac.Cards[i], ac.Orders[i], ac.Groups[i] = a.Path, a.State, a.Card, a.Order, a.Group
		ac.ListingCounts[i] = int32(len(a.Listings))
		for _, l := range a.Listings {
			at, ok := place[l]
			if !ok {
				at = int32(len(d.Listings))
				place[l] = at
				d.Listings = append(d.Listings, l)
			}
			ac.Listings = append(ac.Listings, at)
		}
	}
	d.Articles = ac
	return d
}

// inMemory is the manifest d was written from; an error names what in it
// does not fit.
func (d *manifestOnDisk) inMemory() (*manifest, error) {
	pc, ac := &d.Pages, &d.Articles
	n := len(pc.Paths)
	if len(pc.Files) != n || len(pc.Hashes) != n || len(pc.LinkCounts) != n {
		return nil, fmt.Errorf("its %d pages have %d files, %d digests and %d counts of links", n, len(pc.Files), len(pc.Hashes), len(pc.LinkCounts))
	}
	m := &manifest{manifestHead: d.Head, Files: make(map[string]fileEntry, n), Extra: d.Extra, Articles: make(map[int64]articleEntry, len(ac.IDs)), Gone: d.Gone}
	links := pc.Links
	for i, p := range pc.Paths {
		f := fileEntry{File: pc.Files[i], Hash: pc.Hashes[i]}
		if f.File == "" {
			if f.File = pageIndex(p); f.File == "" {
				return nil, fmt.Errorf("the page %q has no file", p)
			}
		}
		k := int(pc.LinkCounts[i])
		if k < 0 || k > len(links) {
			return nil, fmt.Errorf("the page %q links to %d articles, more than the %d left in the list", p, k, len(links))
		}
		if k > 0 {
			f.Links = links[:k:k]
		}
		links = links[k:]
		m.Files[p] = f
	}
	if len(links) > 0 {
		return nil, fmt.Errorf("%d links are no page's", len(links))
	}
	n = len(ac.IDs)
	if len(ac.Paths) != n || len(ac.States) != n || len(ac.Cards) != n || len(ac.Orders) != n || len(ac.Groups) != n || len(ac.ListingCounts) != n {
		return nil, fmt.Errorf("its %d articles have %d addresses, %d states, %d cards, %d orders, %d groups and %d counts of listings",
			n, len(ac.Paths), len(ac.States), len(ac.Cards), len(ac.Orders), len(ac.Groups), len(ac.ListingCounts))
	}
	places := ac.Listings
	for i, id := range ac.IDs {
		a := articleEntry{Path: ac.Paths[i], State: ac.States[i], Card: ac.Cards[i], Order: ac.Orders[i], Group: ac.Groups[i]}
		k := int(ac.ListingCounts[i])
		if k < 0 || k > len(places) {
			return nil, fmt.Errorf("article %d is on %d listings, more than the %d left in the list", id, k, len(places))
		}
		if k > 0 {
			a.Listings = make([]string, k)
		}
		for j, l := range places[:k] {
			if l < 0 || int(l) >= len(d.Listings) {
				return nil, fmt.Errorf("article %d names listing %d of %d", id, l, len(d.Listings))
			}
			a.Listings[j] = d.Listings[l]
		}
		places = places[k:]
		m.Articles[id] = a
	}
	if len(places) > 0 {
		return nil, fmt.Errorf("%d listings are no article's", len(places))
	}
	return m, nil
}

// The manifest is kept in encoding/gob, which a large site's every
// incremental export reads and writes: at 10,000 articles (8 MB as JSON)
// it decodes in a seventh of the time JSON took.
const manifestFile = "manifest.gob"

// legacyManifestFile is where exports before format 4 kept their
// manifest, as JSON: an export finding it renders everything, and
// removes it once its own manifest is in place.
const legacyManifestFile = "manifest.json"

// readManifest reads the manifest in state, or returns nil when there is
// none or it has another format.
func readManifest(state string) (*manifest, error) {
	f, err := os.Open(filepath.Join(state, manifestFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the last export's manifest: %w", err)
	}
	defer f.Close()
	var d manifestOnDisk
	if err := gob.NewDecoder(bufio.NewReader(f)).Decode(&d); err != nil {
		// One of another format may not fit this one's types.
		var other struct{ Head struct{ Version int } }
		if _, serr := f.Seek(0, io.SeekStart); serr == nil && gob.NewDecoder(bufio.NewReader(f)).Decode(&other) == nil && other.Head.Version != manifestVersion {
			return nil, nil
		}
		return nil, fmt.Errorf("read the last export's manifest %s: %w (remove it to export everything again)", f.Name(), err)
	}
	if d.Head.Version != manifestVersion {
		return nil, nil
	}
	m, err := d.inMemory()
	if err != nil {
		return nil, fmt.Errorf("read the last export's manifest %s: %w (remove it to export everything again)", f.Name(), err)
	}
	return m, nil
}

// Pages lists the pages of the export in dir, as its manifest keeps
// them: each page's address and its file, relative to dir, with slashes.
// A folder that holds no export has none.
func Pages(dir string) (map[string]string, error) {
	m, err := readManifest(filepath.Join(dir, stateDir))
	if err != nil || m == nil {
		return nil, err
	}
	out := make(map[string]string, len(m.Files))
	for p, f := range m.Files {
		out[p] = f.File
	}
	return out, nil
}

// writeManifest writes m as the file name in state, whole or not at all;
// recordCommit flushes it to the disk with the staged files.
func writeManifest(state, name string, m *manifest) error {
	tmp, err := os.CreateTemp(state, "manifest-*.tmp")
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(tmp, 1<<20)
	err = gob.NewEncoder(w).Encode(m.onDisk())
	if err == nil {
		err = w.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(state, name))
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write the export's manifest: %w", unwrapPath(err))
	}
	return nil
}
