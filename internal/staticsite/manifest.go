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
const manifestVersion = 4

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

// The manifest on disk names each article's listings by their place in
// one list of them: spelt out for each article, they were a third of a
// large site's manifest, which every incremental export reads and writes.
type manifestOnDisk struct {
	Head     manifestHead
	Files    map[string]fileEntry
	Extra    map[string]string
	Listings []string
	Articles map[int64]articleOnDisk
	Gone     []string
}

type articleOnDisk struct {
	Path     string
	State    string
	Card     string
	Order    string
	Listings []int
	Group    string
}

// pageIndex is the file of the HTML page at path when path names a
// folder ("" otherwise), as fileFor names it.
func pageIndex(path string) string {
	if !strings.HasSuffix(path, "/") {
		return ""
	}
	return strings.TrimPrefix(path, "/") + "index.html"
}

// onDisk is m as it is written.
func (m *manifest) onDisk() *manifestOnDisk {
	d := &manifestOnDisk{Head: m.manifestHead,
		Files: make(map[string]fileEntry, len(m.Files)), Extra: m.Extra, Articles: make(map[int64]articleOnDisk, len(m.Articles)), Gone: m.Gone}
	for p, f := range m.Files {
		if f.File == pageIndex(p) {
			f.File = ""
		}
		d.Files[p] = f
	}
	// In the order of the articles' IDs, so that the same articles give
	// the same list.
	ids := slices.Sorted(maps.Keys(m.Articles))
	place := map[string]int{}
	for _, id := range ids {
		a := m.Articles[id]
		e := articleOnDisk{Path: a.Path, State: a.State, Card: a.Card, Order: a.Order, Group: a.Group, Listings: make([]int, len(a.Listings))}
		for i, l := range a.Listings {
			n, ok := place[l]
			if !ok {
				n = len(d.Listings)
				place[l] = n
				d.Listings = append(d.Listings, l)
			}
			e.Listings[i] = n
		}
		d.Articles[id] = e
	}
	return d
}

// inMemory is the manifest d was written from; an error names what in it
// does not fit.
func (d *manifestOnDisk) inMemory() (*manifest, error) {
	m := &manifest{manifestHead: d.Head,
		Files: d.Files, Extra: d.Extra, Articles: make(map[int64]articleEntry, len(d.Articles)), Gone: d.Gone}
	if m.Files == nil {
		m.Files = map[string]fileEntry{}
	}
	for p, f := range m.Files {
		if f.File == "" {
			if f.File = pageIndex(p); f.File == "" {
				return nil, fmt.Errorf("the page %q has no file", p)
			}
			m.Files[p] = f
		}
	}
	for id, e := range d.Articles {
		a := articleEntry{Path: e.Path, State: e.State, Card: e.Card, Order: e.Order, Group: e.Group}
		if len(e.Listings) > 0 {
			a.Listings = make([]string, len(e.Listings))
		}
		for i, n := range e.Listings {
			if n < 0 || n >= len(d.Listings) {
				return nil, fmt.Errorf("article %d names listing %d of %d", id, n, len(d.Listings))
			}
			a.Listings[i] = d.Listings[n]
		}
		m.Articles[id] = a
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

// writeManifest writes m as the file name in state, whole or not at all.
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
	if err == nil {
		err = tmp.Sync()
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
