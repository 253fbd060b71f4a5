package admin

import (
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the preview's rules in static/admin.css from the public style.css")

// previewSelectors are the public stylesheet's selectors that style an
// article's text, and what each becomes inside the editor's preview.
var previewSelectors = map[string]string{
	":root": ".article-preview", // the theme's colours and measure
	"body":  ".article-preview", // its font
}

func init() {
	for _, sel := range []string{"a", "a:hover", "h1", "h2", "h3", "p", "ul", "ol", "blockquote", "table", "th", "td", "img", "iframe",
		"code", "pre", ".standfirst", "figure.photo", "figure.photo img", "figure.photo figcaption", "figure.photo .credit", ".footnotes"} {
		previewSelectors[sel] = ".article-preview " + sel
	}
}

// The markers of the preview's rules in admin.css.
const (
	previewBegin = "/* BEGIN preview: the article rules of internal/web/static/style.css, scoped to the editor's preview.\n" +
		"   Made by go test ./internal/web/admin -run TestPreviewStyle -update; do not edit by hand. */\n"
	previewEnd = "/* END preview */\n"
)

// previewRules scopes the article rules of the public stylesheet css to
// the editor's preview: the rules at its top level (not those inside @media
// and other at-rules) with a selector of previewSelectors, keeping only
// those selectors. The preview is light, as the admin is, so the theme's
// colour-scheme is left out.
func previewRules(css string) string {
	css = regexp.MustCompile(`(?s)/\*.*?\*/`).ReplaceAllString(css, "")
	var b strings.Builder
	for len(css) > 0 {
		open := strings.IndexByte(css, '{')
		if open < 0 {
			break
		}
		prelude := strings.TrimSpace(css[:open])
		// The end of the block, past any nested one.
		depth, end := 0, open
		for ; end < len(css); end++ {
			if css[end] == '{' {
				depth++
			} else if css[end] == '}' {
				if depth--; depth == 0 {
					break
				}
			}
		}
		body := css[open+1 : min(end, len(css))]
		css = css[min(end+1, len(css)):]
		if strings.HasPrefix(prelude, "@") {
			continue
		}
		var sels []string
		for _, s := range strings.Split(prelude, ",") {
			if scoped, ok := previewSelectors[strings.Join(strings.Fields(s), " ")]; ok {
				sels = append(sels, scoped)
			}
		}
		var decls []string
		for _, d := range strings.Split(body, ";") {
			if d = strings.Join(strings.Fields(d), " "); d != "" && !strings.HasPrefix(d, "color-scheme") {
				decls = append(decls, d+";")
			}
		}
		if len(sels) > 0 && len(decls) > 0 {
			b.WriteString(strings.Join(sels, ", ") + " { " + strings.Join(decls, " ") + " }\n")
		}
	}
	return b.String()
}

// Issue 14: the editor's preview shows the text in the public theme's
// typography: admin.css holds the public stylesheet's article rules,
// scoped to the preview, and they follow it.
func TestPreviewStyle(t *testing.T) {
	public, err := os.ReadFile("../static/style.css")
	if err != nil {
		t.Fatal(err)
	}
	want := previewRules(string(public))
	for _, rule := range []string{".article-preview { --bg: #ffffff; --fg: #1a1a1a;", ".article-preview h1, .article-preview h2, .article-preview h3 { font-family: system-ui",
		".article-preview blockquote {", ".article-preview figure.photo figcaption {"} {
		if !strings.Contains(want, rule) {
			t.Errorf("the preview's rules lack %s:\n%s", rule, want)
		}
	}
	const path = "static/admin.css"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	admin := string(b)
	i, j := strings.Index(admin, previewBegin), strings.Index(admin, previewEnd)
	if i < 0 || j < i {
		t.Fatalf("%s has no preview rules between the markers %q and %q", path, previewBegin, previewEnd)
	}
	got := admin[i+len(previewBegin) : j]
	if *update {
		if err := os.WriteFile(path, []byte(admin[:i+len(previewBegin)]+want+admin[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got != want {
		t.Errorf("the preview's rules in %s differ from style.css's; run go test ./internal/web/admin -run TestPreviewStyle -update\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}
