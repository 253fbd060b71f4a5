package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/urls"
)

//go:embed templates/*.html
var templateFiles embed.FS

// pages are the templates a handler may render; each is parsed with the
// layout and the partials. Startup fails when one is missing.
var pages = []string{"home", "article", "list", "error"}

// Partials and the layout are shared by every page.
var shared = []string{"layout", "partials"}

// Templates renders the site's pages. A theme folder may override any of
// the embedded files by holding one of the same name.
type Templates struct {
	pages map[string]*template.Template
	bufs  sync.Pool
	// loc is the site's time zone, in which pages show dates and times.
	loc atomic.Pointer[time.Location]
}

// SetLocation makes pages show dates and times in loc (UTC when nil).
func (t *Templates) SetLocation(loc *time.Location) { t.loc.Store(loc) }

func (t *Templates) location() *time.Location {
	if loc := t.loc.Load(); loc != nil {
		return loc
	}
	return time.UTC
}

// LoadTemplates parses the embedded templates, each replaced by the file of
// the same name in themeDir when themeDir is set and has it.
func LoadTemplates(themeDir string) (*Templates, error) {
	read := func(name string) (string, error) {
		file := name + ".html"
		if themeDir != "" {
			b, err := os.ReadFile(path.Join(themeDir, file))
			if err == nil {
				return string(b), nil
			}
			if !os.IsNotExist(err) {
				return "", fmt.Errorf("theme: %w", err)
			}
		}
		b, err := fs.ReadFile(templateFiles, "templates/"+file)
		if err != nil {
			return "", fmt.Errorf("template %s: %w", file, err)
		}
		return string(b), nil
	}
	t := &Templates{pages: map[string]*template.Template{}}
	t.bufs.New = func() any { return new(bytes.Buffer) }
	for _, page := range pages {
		// Files are parsed under names of their own, so that the templates
		// they define ("layout", "content", ...) never clash with them.
		tpl := template.New("page " + page).Funcs(t.funcs())
		for _, name := range append(append([]string(nil), shared...), page) {
			src, err := read(name)
			if err != nil {
				return nil, err
			}
			if _, err := tpl.New("file " + name).Parse(src); err != nil {
				return nil, fmt.Errorf("parse template %s.html: %w", name, err)
			}
		}
		if tpl.Lookup("content") == nil {
			return nil, fmt.Errorf("template %s.html defines no \"content\"", page)
		}
		t.pages[page] = tpl
	}
	return t, nil
}

// Render executes page into a buffer first, so that a failing template
// sends an error page rather than half a page.
func (t *Templates) Render(w http.ResponseWriter, status int, page string, data any) error {
	buf := t.bufs.Get().(*bytes.Buffer)
	defer func() { buf.Reset(); t.bufs.Put(buf) }()
	if err := t.Execute(buf, page, data); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// Execute renders page into buf.
func (t *Templates) Execute(buf *bytes.Buffer, page string, data any) error {
	tpl, ok := t.pages[page]
	if !ok {
		return fmt.Errorf("no template for page %q", page)
	}
	if err := tpl.ExecuteTemplate(buf, "layout", data); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	return nil
}

// funcs are the functions templates may call; dates and times are shown
// in the site's time zone.
func (t *Templates) funcs() template.FuncMap {
	fm := template.FuncMap{
		"date":     func(x time.Time) string { return x.In(t.location()).Format("2 January 2006") },
		"clock":    func(x time.Time) string { return x.In(t.location()).Format("15:04") },
		"datetime": func(x time.Time) string { return x.In(t.location()).Format(time.RFC3339) },
	}
	for name, fn := range sharedFuncs {
		fm[name] = fn
	}
	return fm
}

var sharedFuncs = template.FuncMap{
	"number": FormatNumber,
	"plural": func(n int64, one, many string) string {
		if n == 1 {
			return one
		}
		return many
	},
	"add":         func(a, b int) int { return a + b },
	"commentHTML": comment.HTML,
	"int64":       func(n int) int64 { return int64(n) },
	// Addresses on the site, from the one package that makes them.
	"homePath":        func() string { return urls.Home },
	"articlePath":     urls.Article,
	"commentsPath":    urls.Comments,
	"postCommentPath": urls.PostComment,
	"tagPath":         urls.Tag,
	"authorPath":      urls.Author,
}

// FormatNumber writes n with thousands separators: 12,345.
func FormatNumber(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
