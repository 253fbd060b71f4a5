package importer

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"

	"github.com/datelinehq/dateline/internal/importer/ghost"
	"github.com/datelinehq/dateline/internal/importer/wordpress"
)

// The whole-site formats.
const (
	// WXR is a WordPress export (WordPress eXtended RSS).
	WXR Format = "wxr"
	// Ghost is a Ghost export (JSON).
	Ghost Format = "ghost"
)

// siteReaders are the readers of the whole-site formats.
var siteReaders = map[Format]SiteReader{
	WXR:   wordpress.Read,
	Ghost: ghost.Read,
}

// GhostReader reads Ghost exports of a site whose posts' addresses
// followed permalink ("/:year/:month/:slug/"; "" for Ghost's default).
func GhostReader(permalink string) (SiteReader, error) {
	if permalink != "" {
		if err := ghost.CheckPermalink(permalink); err != nil {
			return nil, err
		}
	}
	return ghost.Reader{Permalink: permalink}.Read, nil
}

// SiteReaderOf returns the reader of a whole-site format, or nil for a
// format of single articles.
func SiteReaderOf(f Format) SiteReader { return siteReaders[f] }

// headSize is how much of a file detection looks at: enough for an XML
// prolog, the comments WordPress puts before its root element, and the
// channel's first elements.
const headSize = 64 << 10

// DetectSite reports which whole-site format the file at path is in, or
// "" for a file that is not a whole-site export (an article, or
// something else, which the article import then names).
func DetectSite(path string) (Format, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", describeFSError(err)
	}
	defer f.Close()
	head, err := readHead(f)
	if err != nil {
		return "", err
	}
	if ok, _ := wordpress.Detect(head); ok {
		return WXR, nil
	}
	if ok, _ := ghost.Detect(head); ok {
		return Ghost, nil
	}
	return "", nil
}

// readHead reads the start of a file, decompressed when it is gzipped.
func readHead(r io.Reader) ([]byte, error) {
	head := make([]byte, headSize)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, err
	}
	head = head[:n]
	if !bytes.HasPrefix(head, []byte("\x1f\x8b")) {
		return head, nil
	}
	zr, err := gzip.NewReader(io.MultiReader(bytes.NewReader(head), r))
	if err != nil {
		return head, nil // not gzip after all: the article import names it
	}
	plain := make([]byte, headSize)
	n, err = io.ReadFull(zr, plain)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return plain[:n], nil
	}
	return plain[:n], nil
}

// Describe names a whole-site format for messages: "a WordPress export".
func (f Format) Describe() string {
	switch f {
	case WXR:
		return "a WordPress export"
	case Ghost:
		return "a Ghost export"
	}
	return string(f)
}
