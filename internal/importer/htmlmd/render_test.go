package htmlmd

import (
	"bytes"
	"testing"

	"github.com/datelinehq/dateline/internal/render"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// TestConvertedMarkdownRendersThroughDatelinesSanitizer renders what
// Convert writes with Dateline's own renderer, so that conversion and
// rendering agree: the players survive the sanitizer, tables are tables.
func TestConvertedMarkdownRendersThroughDatelinesSanitizer(t *testing.T) {
	t.Parallel()
	body := `<!-- wp:paragraph --><p>Results and the count:</p><!-- /wp:paragraph -->
<!-- wp:embed {"url":"https://youtu.be/aBcDeFgHiJk","providerNameSlug":"youtube"} -->
<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">https://youtu.be/aBcDeFgHiJk</div></figure>
<!-- /wp:embed -->
<!-- wp:embed {"url":"https://vimeo.com/123456789","providerNameSlug":"vimeo"} -->
<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">https://vimeo.com/123456789</div></figure>
<!-- /wp:embed -->
<!-- wp:table --><figure class="wp-block-table"><table><thead><tr><th>Ward</th><th>Turnout</th></tr></thead><tbody><tr><td>Riverside</td><td>61%</td></tr></tbody></table></figure><!-- /wp:table -->
<table><tr><td rowspan="2">North</td><td>Yes</td></tr><tr><td>No</td></tr></table>`
	got, err := Convert(body, Options{})
	if err != nil {
		t.Fatalf("Convert: %v", err)
	}
	r := render.New()
	out, err := r.HTML(r.Parse([]byte(got.Markdown)))
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	doc, err := html.Parse(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("parse rendered HTML: %v", err)
	}

	var srcs []string
	for _, f := range findAll(doc, isElement(atom.Iframe)) {
		srcs = append(srcs, attr(f, "src"))
		if attr(f, "title") == "" || attr(f, "loading") != "lazy" {
			t.Errorf("iframe %s lost its title or loading=lazy in the sanitizer: %s", attr(f, "src"), out)
		}
	}
	wantSrcs := []string{"https://www.youtube-nocookie.com/embed/aBcDeFgHiJk", "https://player.vimeo.com/video/123456789"}
	if len(srcs) != len(wantSrcs) || srcs[0] != wantSrcs[0] || srcs[1] != wantSrcs[1] {
		t.Errorf("rendered iframes = %q, want %q\nMarkdown:\n%s\nHTML:\n%s", srcs, wantSrcs, got.Markdown, out)
	}

	tables := findAll(doc, isElement(atom.Table))
	if len(tables) != 2 {
		t.Fatalf("rendered %d tables, want 2 (the GFM one and the one kept as HTML)\nMarkdown:\n%s\nHTML:\n%s", len(tables), got.Markdown, out)
	}
	if th := find(tables[0], isElement(atom.Th)); th == nil || textOf(th) != "Ward" {
		t.Errorf("the GFM table has no Ward header cell:\n%s", out)
	}
	if td := find(tables[1], isElement(atom.Td)); td == nil || attr(td, "rowspan") != "2" {
		t.Errorf("the table kept as HTML lost its rowspan:\n%s", out)
	}
}
