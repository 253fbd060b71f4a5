package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"strings"

	"github.com/datelinehq/dateline/internal/urls"
)

//go:embed static
var staticFiles embed.FS

// Assets serves the theme's static files under content-hashed names
// (style.3f2a9c1b.css), so that they can be cached for a year and still
// change the moment the file does.
type Assets struct {
	prefix       string // where they are served: "/static/"
	cacheControl string
	byName       map[string]*asset // "style.css"
	byURL        map[string]*asset // "/static/style.3f2a9c1b.css"
}

func newAssets(prefix, cacheControl string) *Assets {
	return &Assets{prefix: prefix, cacheControl: cacheControl, byName: map[string]*asset{}, byURL: map[string]*asset{}}
}

// NewAssets serves the files of folder dir of fsys under prefix, by their
// hashed names, with the given Cache-Control (they never change under one
// name, so it can be a year).
func NewAssets(fsys fs.FS, dir, prefix, cacheControl string) (*Assets, error) {
	a := newAssets(prefix, cacheControl)
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		a.add(strings.TrimPrefix(p, dir+"/"), body)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load static files under %s: %w", prefix, err)
	}
	return a, nil
}

type asset struct {
	url         string
	contentType string
	body        []byte
	gzipped     []byte // nil when compression does not pay
	etag        string
}

// LoadAssets reads the embedded static files, each replaced by the file of
// the same name in themeDir/static when there is one.
func LoadAssets(themeDir string) (*Assets, error) {
	a := newAssets(urls.Static, "public, max-age=31536000, immutable")
	err := fs.WalkDir(staticFiles, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		body, err := fs.ReadFile(staticFiles, p)
		if err != nil {
			return err
		}
		if themeDir != "" {
			if b, err := os.ReadFile(path.Join(themeDir, "static", name)); err == nil {
				body = b
			} else if !os.IsNotExist(err) {
				return fmt.Errorf("theme: %w", err)
			}
		}
		a.add(name, body)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load assets: %w", err)
	}
	return a, nil
}

func (a *Assets) add(name string, body []byte) {
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])[:12]
	ext := path.Ext(name)
	url := a.prefix + strings.TrimSuffix(name, ext) + "." + hash + ext
	ct := mime.TypeByExtension(ext)
	if ct == "" {
		ct = "application/octet-stream"
	}
	as := &asset{url: url, contentType: ct, body: body, etag: `"` + hash + `"`}
	if strings.HasPrefix(ct, "text/") || strings.Contains(ct, "svg") || strings.Contains(ct, "javascript") {
		as.gzipped = gzipBytes(body)
	}
	a.byName[name] = as
	a.byURL[url] = as
}

// URL returns the hashed address of the static file name, for templates.
func (a *Assets) URL(name string) (string, error) {
	if a == nil {
		// Only for rendering a page without a site, as template tests do.
		return "/static/" + name, nil
	}
	as, ok := a.byName[name]
	if !ok {
		return "", fmt.Errorf("no static file %q", name)
	}
	return as.url, nil
}

// ServeHTTP serves a static file by its hashed address. Anything else,
// including a path that tries to climb out with "..", is not found.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) error {
	as, ok := a.byURL[r.URL.Path]
	if !ok {
		return ErrNotFound
	}
	ServeBytes(w, r, Response{
		Body: as.body, Gzipped: as.gzipped, ETag: as.etag, ContentType: as.contentType,
		CacheControl: a.cacheControl,
	})
	return nil
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	if buf.Len() >= len(b) {
		return nil
	}
	return buf.Bytes()
}
