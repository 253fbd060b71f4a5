package staticsite

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// manifestVersion is the manifest's format; an export finding another
// renders everything again.
const manifestVersion = 2

// manifest is what an export leaves for the next one: every file it
// wrote with its digest and the articles its page links to, and every
// article as it stood.
type manifest struct {
	Version     int       `json:"version"`
	Fingerprint string    `json:"fingerprint"`
	BaseURL     string    `json:"base_url"`
	ExportedAt  time.Time `json:"exported_at"`
	// Files are the pages, by address.
	Files map[string]fileEntry `json:"files"`
	// Extra are the files that are no page of their own (the not-found
	// page, the redirects), by name: their digests.
	Extra    map[string]string      `json:"extra"`
	Articles map[int64]articleEntry `json:"articles"`
	// Gone are the addresses of articles exported once and since deleted
	// or unpublished, which hosts answer with 410.
	Gone []string `json:"gone"`
}

type fileEntry struct {
	File  string  `json:"file"` // relative to the directory, with slashes
	Hash  string  `json:"hash"`
	Links []int64 `json:"links,omitempty"` // the articles it links to, by ID
}

type articleEntry struct {
	Path     string   `json:"path"`
	State    string   `json:"state"`
	Card     string   `json:"card,omitempty"`
	Order    string   `json:"order,omitempty"`
	Listings []string `json:"listings,omitempty"`
	Group    string   `json:"group,omitempty"`
}

const manifestFile = "manifest.json"

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
	var m manifest
	if err := json.NewDecoder(bufio.NewReader(f)).Decode(&m); err != nil {
		// One of another format may not fit this one's types.
		var other struct {
			Version int `json:"version"`
		}
		if _, serr := f.Seek(0, io.SeekStart); serr == nil && json.NewDecoder(bufio.NewReader(f)).Decode(&other) == nil && other.Version != manifestVersion {
			return nil, nil
		}
		return nil, fmt.Errorf("read the last export's manifest %s: %w (remove it to export everything again)", f.Name(), err)
	}
	if m.Version != manifestVersion {
		return nil, nil
	}
	if m.Files == nil {
		m.Files = map[string]fileEntry{}
	}
	return &m, nil
}

// writeManifest writes m as the file name in state, whole or not at all.
func writeManifest(state, name string, m *manifest) error {
	tmp, err := os.CreateTemp(state, "manifest-*.tmp")
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(tmp, 1<<20)
	err = json.NewEncoder(w).Encode(m)
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
