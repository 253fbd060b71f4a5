package cli

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/linking"
	"github.com/datelinehq/dateline/internal/linking/wordvec"
	"github.com/datelinehq/dateline/internal/store"
)

// An export keeps the linking index it built as an image beside its memo
// (linking.WriteImage), with what the index was built from: the memo's
// key and every indexed article's version and digest. An export whose
// memo no longer holds (an article's text changed) reads the image and
// indexes again only the articles that changed since, instead of reading
// and analysing every article: most of an export after an edit. The image
// is written by an export that built the index from the store, and read
// until an export builds it again: when the key changes, when an article
// was published or deleted since, when more articles changed since than
// maxMemoChecks, or when a share of the index is stale (as a server
// builds its index again, see liveIndex.sync). The same image and the
// same edits give the same index, so that the memo of answers holds for
// an index read from an image as for one built.

// linkImageFile is the image's name in the export's state folder.
const linkImageFile = "links.index"

// linkImageFormat changes with the header's format (linking.ReadImage
// checks the index's own).
const linkImageFormat = 2

// The image file begins with two values in encoding/gob, its header and
// the indexed articles, before the index: imageID, which every export
// that reads a memo calls, reads the first alone.

// imageHeader is the first value of the image file.
type imageHeader struct {
	Format int
	// ID names this image: a memo of answers says which image the index
	// that gave them was read from.
	ID string
	// Key is the memo key of the index's input besides the articles.
	Key string
}

// imageArticle is an indexed article, in build order: the second value
// is a list of them.
type imageArticle struct {
	ID      int64
	Version int
	Digest  uint64
}

// indexImage is where an export keeps the index's image, and the
// export's fingerprint (part of the key).
type indexImage struct {
	path, fingerprint string
}

// readImageHeader reads the header of an image file from d.
func readImageHeader(d *gob.Decoder) (imageHeader, error) {
	var h imageHeader
	if err := d.Decode(&h); err != nil {
		return h, err
	}
	if h.Format != linkImageFormat {
		return h, fmt.Errorf("an image of format %d, not %d", h.Format, linkImageFormat)
	}
	return h, nil
}

// imageID returns the ID of the image at path, "" when there is none or
// it cannot be read.
func imageID(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	h, err := readImageHeader(gob.NewDecoder(bufio.NewReader(f)))
	if err != nil {
		return ""
	}
	return h.ID
}

// readImage makes the current index from the image, when it was made from
// the same key and the same articles: it reads the image and indexes
// again the articles edited since. It reports false when it did not (no
// image, another key, an article published or deleted since, too much
// changed since, or an image it cannot read, which it logs), and the
// caller builds the index from the store. The caller holds l.mu.
func (l *liveIndex) readImage(ctx context.Context, language string, table *wordvec.Table, trained store.WordVectors) (bool, error) {
	f, err := os.Open(l.image.path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		l.logger.Warn("read the linking index's image: building the index", "err", err)
		return false, nil
	}
	defer f.Close()
	start := time.Now()
	// The decoder reads no further than its values from r (a
	// ByteReader), where the index begins.
	r := bufio.NewReaderSize(f, 1<<16)
	if first, _ := r.Peek(1); string(first) == "{" {
		// An image of the earlier format, whose header was a line of
		// JSON: built anew, as for other settings, and not a damaged one.
		return false, nil
	}
	dec := gob.NewDecoder(r)
	h, err := readImageHeader(dec)
	if err != nil {
		l.logger.Warn("read the linking index's image: building the index", "file", l.image.path, "err", err)
		return false, nil
	}
	if h.Key != memoKey(l.image.fingerprint, language, trained) {
		return false, nil
	}
	var indexed []imageArticle
	if err := dec.Decode(&indexed); err != nil {
		l.logger.Warn("read the linking index's image: building the index", "file", l.image.path, "err", err)
		return false, nil
	}
	// The versions first: an image too far behind is not read at all.
	public, err := l.store.ArticleVersions(ctx, store.ArticleQuery{PublicAt: l.now(), Kind: article.Story})
	if err != nil {
		return false, err
	}
	versions := make(map[int64]int, len(indexed))
	digests := make(map[int64]uint64, len(indexed))
	for _, a := range indexed {
		versions[a.ID], digests[a.ID] = a.Version, a.Digest
	}
	// The same articles, or none of the image: an article published or
	// deleted renders every article page again, and those pages are
	// then those of an index built from the store, as a server started
	// now ranks them.
	if len(public) != len(indexed) {
		return false, nil
	}
	changed := 0
	for _, v := range public {
		have, ok := versions[v.ID]
		if !ok {
			return false, nil
		}
		if have != v.Version {
			changed++
		}
	}
	if changed > maxMemoChecks {
		return false, nil
	}
	ix, err := linking.ReadImage(r, table)
	if err != nil {
		l.logger.Warn("read the linking index's image: building the index", "file", l.image.path, "err", err)
		return false, nil
	}
	// The changed articles in the listing's order: the same image and
	// the same edits give the same index.
	order := make([]int64, len(public))
	for i, v := range public {
		order[i] = v.ID
		if have, ok := versions[v.ID]; ok && have == v.Version {
			continue
		}
		whole, err := l.store.ArticleByID(ctx, v.ID)
		if errors.Is(err, store.ErrNotFound) {
			return false, nil // deleted since the listing: build instead
		}
		if err != nil {
			return false, err
		}
		d := linking.DocFromArticle(l.renderer, whole)
		if digest := docDigest(d); digest != digests[v.ID] {
			ix.Upsert(d)
			digests[v.ID] = digest
		}
		versions[v.ID] = whole.Version
	}
	if stale, n := ix.Stale(); stale > 0 && float64(stale) >= l.rebuildShare*float64(max(n, 1)) {
		return false, nil
	}
	l.ix.Store(ix)
	l.versions, l.digests, l.order, l.rebuilt, l.fromImage = versions, digests, order, true, h.ID
	l.built, l.trained, l.checked = language, trained, l.now()
	l.logger.Info("linking index read from its image", "articles", ix.Len(), "indexed again", changed, "duration", time.Since(start).Round(time.Millisecond))
	return true, nil
}

// writeImage writes the current index to the image file, when it was
// built from the store and is as built; the index is then the image's
// (see fromImage). The file is written to a temporary name first: a
// half-written image is never read.
func (l *liveIndex) writeImage(fingerprint string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	ix := l.ix.Load()
	if l.image == nil || ix == nil || !l.rebuilt || l.fromImage != "" {
		return nil
	}
	key := memoKey(fingerprint, l.built, l.trained)
	var id [16]byte
	rand.Read(id[:])
	h := imageHeader{Format: linkImageFormat, ID: hex.EncodeToString(id[:]), Key: key}
	indexed := make([]imageArticle, len(l.order))
	for i, a := range l.order {
		indexed[i] = imageArticle{ID: a, Version: l.versions[a], Digest: l.digests[a]}
	}
	tmp, err := os.CreateTemp(filepath.Dir(l.image.path), linkImageFile+".*")
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(tmp, 1<<16)
	enc := gob.NewEncoder(w)
	err = enc.Encode(h)
	if err == nil {
		err = enc.Encode(indexed)
	}
	if err == nil {
		err = ix.WriteImage(w)
	}
	if err == nil {
		err = w.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), l.image.path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	// The index is the image's now: an export that reads it gives the
	// same answers.
	l.fromImage = h.ID
	return nil
}
