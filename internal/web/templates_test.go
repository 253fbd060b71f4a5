package web

import (
	"bytes"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/datelinehq/dateline/internal/store"
)

// TestSiteTimeZone checks that pages show dates and times in the time
// zone an administrator set, and in UTC without one.
func TestSiteTimeZone(t *testing.T) {
	tpl, err := LoadTemplates("")
	if err != nil {
		t.Fatal(err)
	}
	// 23:30 UTC on 27 November is already the 28th in Karachi (UTC+5).
	at := time.Date(2026, 11, 27, 23, 30, 0, 0, time.UTC)
	site := &Site{Templates: tpl, Now: func() time.Time { return at }}
	fm := tpl.Engine().funcs
	show := func() []string {
		var out []string
		for _, name := range []string{"date", "clock", "datetime", "shortdate", "shortdatetime"} {
			out = append(out, fm[name].(func(time.Time) string)(at))
		}
		return out
	}
	if got, want := strings.Join(show(), " | "), "27 November 2026 | 23:30 | 2026-11-27T23:30:00Z | 27 Nov 2026 | 27 Nov 2026 23:30 UTC"; got != want {
		t.Errorf("without a time zone: %s, want %s", got, want)
	}
	site.SetOverrides(SiteOverrides(store.SiteSettings{TimeZone: "Asia/Karachi"}))
	if got, want := strings.Join(show(), " | "), "28 November 2026 | 04:30 | 2026-11-28T04:30:00+05:00 | 28 Nov 2026 | 28 Nov 2026 04:30 PKT"; got != want {
		t.Errorf("in Asia/Karachi: %s, want %s", got, want)
	}
	site.SetOverrides(SiteInfo{})
	if d := show()[0]; d != "27 November 2026" {
		t.Errorf("after the zone was cleared: %q, want UTC again", d)
	}
}

// TestNumbersOfAnyIntegerType checks that number and plural take the
// integers of every page struct, whatever their type.
func TestNumbersOfAnyIntegerType(t *testing.T) {
	type counts struct {
		I   int
		I32 int32
		I64 int64
		U8  uint8
	}
	set := NewEngine().NewSet(fstest.MapFS{
		"layout.html": {Data: []byte(`{{define "layout"}}{{template "content" .}}{{end}}`)},
		"counts.html": {Data: []byte(`{{define "content"}}{{number .I}} {{plural .I "x" "xs"}}, {{number .I32}} {{plural .I32 "x" "xs"}}, {{number .I64}} {{plural .I64 "x" "xs"}}, {{number .U8}} {{plural .U8 "x" "xs"}}{{end}}`)},
		"text.html":   {Data: []byte(`{{define "content"}}{{plural . "x" "xs"}}{{end}}`)},
	}, "layout", "layout.html")
	page, err := Declare[counts](set, "counts")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := page.Execute(&buf, counts{I: 1, I32: 2, I64: 12345, U8: 1}); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "1 x, 2 xs, 12,345 xs, 1 x"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, err := Declare[string](set, "text"); err == nil || !strings.Contains(err.Error(), "not an integer") {
		t.Errorf("plural of a string: %v, want an error", err)
	}
}

// TestDeclareExecutesTheZeroValue checks that a page that does not
// render its type's zero value is refused when it is declared, with an
// error naming the file at fault, and that a declared page renders.
func TestDeclareExecutesTheZeroValue(t *testing.T) {
	type inner struct{ Name string }
	type page struct {
		Title string
		Inner *inner
	}
	set := NewEngine().NewSet(fstest.MapFS{
		"layout.html":    {Data: []byte(`{{define "layout"}}<h1>{{.Title}}</h1>{{template "content" .}}{{end}}`)},
		"good.html":      {Data: []byte(`{{define "content"}}{{with .Inner}}<p>{{.Name}}</p>{{end}}{{end}}`)},
		"missing.html":   {Data: []byte(`{{define "content"}}{{.Nope}}{{end}}`)},
		"nil.html":       {Data: []byte(`{{define "content"}}{{.Inner.Name}}{{end}}`)},
		"syntax.html":    {Data: []byte(`{{define "content"}}{{.Title}{{end}}`)},
		"nocontent.html": {Data: []byte(`{{define "other"}}{{end}}`)},
	}, "layout", "layout.html")
	for _, test := range []struct{ name, want string }{
		{"missing", `missing.html:1:22: executing "content" at <.Nope>: can't evaluate field Nope`},
		{"nil", `nil.html:1:28: executing "content" at <.Inner.Name>: nil pointer evaluating`},
		{"syntax", "syntax.html:1: bad character"},
		{"nocontent", `nocontent.html defines no "content"`},
		{"absent", `absent.html`},
	} {
		_, err := Declare[page](set, test.name)
		if err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("%s: err = %v, want one with %q", test.name, err, test.want)
		}
	}
	good, err := Declare[page](set, "good")
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	if err := good.Render(w, 201, page{Title: "A & B", Inner: &inner{Name: "<i>"}}); err != nil {
		t.Fatal(err)
	}
	if got, want := w.Body.String(), "<h1>A &amp; B</h1><p>&lt;i&gt;</p>"; got != want || w.Code != 201 || w.Header().Get("Content-Length") != "34" {
		t.Errorf("rendered %d %q (length %s), want 201 %q", w.Code, got, w.Header().Get("Content-Length"), want)
	}
	// Bytes gives the same page, its own copy: rendering another does not
	// change it.
	first, err := good.Bytes(page{Title: "A & B", Inner: &inner{Name: "<i>"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := good.Bytes(page{Title: "Other"}); err != nil {
		t.Fatal(err)
	}
	if string(first) != w.Body.String() {
		t.Errorf("Bytes = %q, want %q", first, w.Body.String())
	}
	if files, err := set.Undeclared(); err != nil || strings.Join(files, " ") != "missing.html nil.html nocontent.html syntax.html" {
		t.Errorf("undeclared: %v %v", files, err)
	}
}

// A theme's broken template stops LoadTemplates, with the error naming
// the theme's file.
func TestBrokenThemeTemplate(t *testing.T) {
	for _, test := range []struct{ file, src, want string }{
		{"error.html", `{{define "content"}}{{.Nope}}{{end}}`, `error.html:1:22: executing "content" at <.Nope>: can't evaluate field Nope in type web.ErrorPage`},
		{"layout.html", `{{define "layout"}}{{.Nope`, "layout.html:1: unclosed action"},
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, test.file), []byte(test.src), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := LoadTemplates(dir)
		if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, test.want)) {
			t.Errorf("%s: err = %v, want one naming %s", test.file, err, filepath.Join(dir, test.want))
		}
	}
}

// A theme folder's digest follows every file's name and bytes; its
// Templates are the built-in ones it replaces, not its static files or
// files no page reads.
func TestReadThemeFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("static/style.css", "body { color: navy }")
	write("notes.txt", "the designer's notes")
	first, err := ReadThemeFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	if first.Digest == "" || len(first.Templates) != 0 {
		t.Errorf("a theme of a style sheet: %+v; want a digest and no templates", first)
	}
	write("partials.html", `{{define "card"}}{{.Title}}{{end}}`)
	second, err := ReadThemeFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	if second.Digest == first.Digest || !slices.Equal(second.Templates, []string{"partials.html"}) {
		t.Errorf("with partials.html: %+v (before %+v); want a new digest and partials.html", second, first)
	}
	write("static/style.css", "body { color: teal }")
	if third, err := ReadThemeFiles(dir); err != nil || third.Digest == second.Digest {
		t.Errorf("after the style sheet changed: %+v, %v; want a new digest", third, err)
	}
	if none, err := ReadThemeFiles(""); err != nil || none.Digest != "" {
		t.Errorf("the built-in theme: %+v, %v", none, err)
	}
	if _, err := ReadThemeFiles(filepath.Join(dir, "missing")); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("a missing folder: %v; want an error naming it", err)
	}
}
