package htmlmd

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestConvert(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		name         string
		html         string
		opts         Options
		want         string
		wantImages   []Image
		wantReported []string
	}{
		{
			name: "nested lists stay nested and tight",
			html: "<ul><li>Harbour<ul><li>North quay</li><li>South quay</li></ul></li><li>Station</li></ul>\n<ol><li>First<ol><li>First, part one</li></ol></li><li>Second</li></ol>",
			want: "- Harbour\n  - North quay\n  - South quay\n- Station\n\n<!--THE END-->\n\n1. First\n   1. First, part one\n2. Second\n",
		},
		{
			name: "a table becomes a GFM table",
			html: `<!-- wp:table --><figure class="wp-block-table"><table><thead><tr><th>Ward</th><th>Turnout</th></tr></thead><tbody><tr><td>Riverside</td><td>61%</td></tr><tr><td>Old Town</td><td>48%</td></tr></tbody></table></figure><!-- /wp:table -->`,
			want: "| Ward      | Turnout |\n|-----------|---------|\n| Riverside | 61%     |\n| Old Town  | 48%     |\n",
		},
		{
			name:         "a table with merged cells is kept as HTML",
			html:         `<table><tr><th colspan="2">Results</th></tr><tr><td>Yes</td><td>No</td></tr></table>`,
			want:         "<table><tbody><tr><th colspan=\"2\">Results</th> </tr><tr><td>Yes</td> <td>No</td></tr></tbody></table>\n",
			wantReported: []string{"table with merged cells (kept as HTML)"},
		},
		{
			name: "a quote keeps its source under it",
			html: "<!-- wp:quote --><blockquote class=\"wp-block-quote\"><p>The council will meet again in May.</p><cite>The mayor</cite></blockquote><!-- /wp:quote -->",
			want: "> The council will meet again in May.\n> \n> — The mayor\n",
		},
		{
			name: "a pull quote becomes a quote",
			html: "<!-- wp:pullquote --><figure class=\"wp-block-pullquote\"><blockquote><p>We rebuilt the bridge in nine days.</p><cite>Site engineer</cite></blockquote></figure><!-- /wp:pullquote -->\n<blockquote class=\"wp-block-pullquote\"><p>Older pull quote.</p></blockquote>",
			want: "> We rebuilt the bridge in nine days.\n> \n> — Site engineer\n\n> Older pull quote.\n",
		},
		{
			name: "a [caption] becomes an image alone in its paragraph, its caption kept for the library",
			html: `Before.

[caption id="attachment_57" align="alignleft" width="300"]<a href="https://old.example/wp-content/uploads/ferry.jpg"><img class="size-medium" src="https://old.example/wp-content/uploads/ferry-300x200.jpg" alt="The ferry" width="300" height="200" /></a> The morning ferry, <em>late</em> again[/caption]

After.`,
			want:       "Before.\n\n![The ferry](https://old.example/wp-content/uploads/ferry-300x200.jpg)\n\nAfter.\n",
			wantImages: []Image{{Src: "https://old.example/wp-content/uploads/ferry-300x200.jpg", Alt: "The ferry", Caption: "The morning ferry, late again", AttachmentID: 57}},
		},
		{
			name:         "a [gallery] is reported with its attachment IDs",
			html:         "Photos from the fair:\n\n[gallery columns=\"3\" ids=\"41, 42,43\"]\n\nMore next week.",
			want:         "Photos from the fair:\n\nMore next week.\n",
			wantReported: []string{`[gallery columns="3" ids="41, 42,43"] shortcode (Dateline has no gallery; attachments 41, 42, 43 not placed)`},
		},
		{
			name: "a YouTube embed block becomes a player the sanitizer allows",
			html: `<!-- wp:embed {"url":"https://www.youtube.com/watch?v=aBcDeFgHiJk","type":"video","providerNameSlug":"youtube"} -->
<figure class="wp-block-embed is-type-video is-provider-youtube"><div class="wp-block-embed__wrapper">
https://www.youtube.com/watch?v=aBcDeFgHiJk
</div><figcaption>The opening ceremony</figcaption></figure>
<!-- /wp:embed -->`,
			want: "<iframe src=\"https://www.youtube-nocookie.com/embed/aBcDeFgHiJk\" title=\"The opening ceremony\" width=\"560\" height=\"315\" loading=\"lazy\" allowfullscreen></iframe>\n\nThe opening ceremony\n",
		},
		{
			name: "a YouTube URL alone on a line of a classic post becomes a player",
			html: "Watch the debate:\nhttps://youtu.be/aBcDeFgHiJk\nIt ran long.",
			want: "Watch the debate:\n\n<iframe src=\"https://www.youtube-nocookie.com/embed/aBcDeFgHiJk\" title=\"YouTube video\" width=\"560\" height=\"315\" loading=\"lazy\" allowfullscreen></iframe>\n\nIt ran long.\n",
		},
		{
			name: "a Vimeo URL alone in a paragraph becomes a player",
			html: `<p>From our film desk:</p><p><a href="https://vimeo.com/123456789">https://vimeo.com/123456789</a></p>`,
			opts: Options{NoAutoParagraphs: true},
			want: "From our film desk:\n\n<iframe src=\"https://player.vimeo.com/video/123456789\" title=\"Vimeo video\" width=\"560\" height=\"315\" loading=\"lazy\" allowfullscreen></iframe>\n",
		},
		{
			name:         "a tweet becomes a quote linking to it, without X's script",
			html:         `<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Polls close at 10pm tonight.</p>&mdash; City Desk (@citydesk) <a href="https://twitter.com/citydesk/status/1234567890">May 2, 2024</a></blockquote><script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>`,
			opts:         Options{NoAutoParagraphs: true},
			want:         "> Polls close at 10pm tonight.\n> \n> [Post by @citydesk on X](https://twitter.com/citydesk/status/1234567890)\n",
			wantReported: []string{"tweet kept as a link: https://twitter.com/citydesk/status/1234567890"},
		},
		{
			name: "a code block keeps its language",
			html: "<!-- wp:code --><pre class=\"wp-block-code\"><code lang=\"python\">def total(xs):\n\n    return sum(xs)</code></pre><!-- /wp:code -->\n<pre class=\"brush: php; gutter: true\">echo $a &lt; $b;</pre>\n[code language=\"js\"]if (a < b) { go(); }[/code]",
			want: "```python\ndef total(xs):\n\n    return sum(xs)\n```\n\n```php\necho $a < $b;\n```\n\n```js\nif (a < b) { go(); }\n```\n",
		},
		{
			name: "classic content: blank lines are paragraphs, single newlines line breaks",
			html: "The vote was close.\nVery close.\n\nRecounts begin <strong>Monday</strong>.\n\n<ul>\n<li>Ward 1</li>\n<li>Ward 2</li>\n</ul>\nThe end.",
			want: "The vote was close.  \nVery close.\n\nRecounts begin **Monday**.\n\n- Ward 1\n- Ward 2\n\nThe end.\n",
		},
		{
			name: "classic content keeps the blank lines of preformatted text",
			html: "Intro.\n\n<pre>line one\n\nline three</pre>\n\nOutro.",
			want: "Intro.\n\n```\nline one\n\nline three\n```\n\nOutro.\n",
		},
		{
			name:         "an unknown shortcode is kept as text and reported; an escaped one is text",
			html:         "Write to us:\n\n[contact-form-7 id=\"1\" title=\"Letters\"]\n\nType [[gallery]] to show a gallery.",
			want:         "Write to us:\n\n\\[contact-form-7 id=\"1\" title=\"Letters\"]\n\nType \\[gallery] to show a gallery.\n",
			wantReported: []string{`[contact-form-7 id="1" title="Letters"] shortcode (no Dateline equivalent, kept as text)`},
		},
		{
			name:         "a script, a form and a frame from elsewhere are dropped and reported",
			html:         `<p>Poll:</p><script src="https://polls.example/widget.js"></script><form action="/vote"><input name="q"></form><iframe src="https://ads.example/frame"></iframe><p>Thanks.</p>`,
			want:         "Poll:\n\nThanks.\n",
			wantReported: []string{`<script src="https://polls.example/widget.js"> (dropped)`, `<form action="/vote"> (dropped)`, `<iframe src="https://ads.example/frame"> (Dateline shows frames only from YouTube, Vimeo and OpenStreetMap; dropped)`},
		},
		{
			name:       "an image's wp-image-N class gives its attachment ID, and a relative address is made absolute",
			html:       `<p><a href="/wp-content/uploads/2021/04/market.jpg"><img class="alignright size-large wp-image-88" src="/wp-content/uploads/2021/04/market-1024x683.jpg" alt="Saturday market"></a>Stalls opened at dawn.</p>`,
			opts:       Options{SiteURL: "https://old.example"},
			want:       "![Saturday market](https://old.example/wp-content/uploads/2021/04/market-1024x683.jpg)\n\nStalls opened at dawn.\n",
			wantImages: []Image{{Src: "https://old.example/wp-content/uploads/2021/04/market-1024x683.jpg", Alt: "Saturday market", AttachmentID: 88}},
		},
		{
			name: "a Gutenberg image block gives its ID and its figcaption",
			html: `<!-- wp:image {"id":305,"sizeSlug":"large","linkDestination":"none"} -->
<figure class="wp-block-image size-large"><img src="https://old.example/wp-content/uploads/flood.jpg" alt="Flooded road"/><figcaption class="wp-element-caption">Route 9 after the storm. <a href="https://old.example/photos">More photos</a></figcaption></figure>
<!-- /wp:image -->`,
			want:       "![Flooded road](https://old.example/wp-content/uploads/flood.jpg)\n",
			wantImages: []Image{{Src: "https://old.example/wp-content/uploads/flood.jpg", Alt: "Flooded road", Caption: "Route 9 after the storm. More photos", AttachmentID: 305}},
		},
		{
			name: "a gallery block's images are kept, each alone, and reported",
			html: `<!-- wp:gallery {"linkTo":"none"} -->
<figure class="wp-block-gallery has-nested-images"><!-- wp:image {"id":61} -->
<figure class="wp-block-image"><img src="https://old.example/a.jpg" alt="Stage" data-id="61"/></figure>
<!-- /wp:image --><!-- wp:image {"id":62} -->
<figure class="wp-block-image"><img src="https://old.example/b.jpg" alt="Crowd" data-id="62"/><figcaption>The crowd</figcaption></figure>
<!-- /wp:image --></figure>
<!-- /wp:gallery -->`,
			want:         "![Stage](https://old.example/a.jpg)\n\n![Crowd](https://old.example/b.jpg)\n",
			wantImages:   []Image{{Src: "https://old.example/a.jpg", Alt: "Stage", AttachmentID: 61}, {Src: "https://old.example/b.jpg", Alt: "Crowd", Caption: "The crowd", AttachmentID: 62}},
			wantReported: []string{"wp:gallery block with 2 images (kept as images; Dateline has no gallery)"},
		},
		{
			name:         "an H1 in the body moves every heading one level down",
			html:         "<h1>Overview</h1><h2>Details</h2><p>Text.</p>",
			want:         "## Overview\n\n### Details\n\nText.\n",
			wantReported: []string{"<h1> in the body (every heading moved one level down; the page's title is its H1)"},
		},
		{
			name:         "audio becomes a link to its file, and is reported",
			html:         `Listen: [audio mp3="https://old.example/interview.mp3"][/audio]`,
			want:         "Listen:\n\n[Audio: interview.mp3](https://old.example/interview.mp3)\n",
			wantReported: []string{`[audio mp3="https://old.example/interview.mp3"] shortcode (Dateline has no audio player; kept as a link to https://old.example/interview.mp3)`},
		},
		{
			name:         "a block WordPress builds when showing the page is reported",
			html:         "<!-- wp:paragraph --><p>Latest:</p><!-- /wp:paragraph --><!-- wp:latest-posts {\"postsToShow\":3} /-->",
			want:         "Latest:\n",
			wantReported: []string{"wp:latest-posts block (WordPress made it when showing the page; no Dateline equivalent, dropped)"},
		},
	} {
		t.Run(test.name, func(t *testing.T) {
			t.Parallel()
			got, err := Convert(test.html, test.opts)
			if err != nil {
				t.Fatalf("Convert: %v", err)
			}
			if diff := cmp.Diff(test.want, got.Markdown); diff != "" {
				t.Errorf("Markdown mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(test.wantImages, got.Images); diff != "" {
				t.Errorf("Images mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(test.wantReported, got.NotConverted); diff != "" {
				t.Errorf("NotConverted mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestConvertReportsRepeatsOnceWithACount(t *testing.T) {
	t.Parallel()
	got, err := Convert("<script>a()</script><p>x</p><script>b()</script>", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"<script> (dropped) ×2"}, got.NotConverted); diff != "" {
		t.Errorf("NotConverted mismatch (-want +got):\n%s", diff)
	}
}

func TestConvertReplacesInvalidUTF8(t *testing.T) {
	t.Parallel()
	got, err := Convert("<p>caf\xe9</p>", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Markdown != "caf\uFFFD\n" {
		t.Errorf("Markdown = %q, want the bad byte replaced", got.Markdown)
	}
	if !strings.Contains(strings.Join(got.NotConverted, "\n"), "invalid UTF-8") {
		t.Errorf("NotConverted = %q, want the invalid UTF-8 reported", got.NotConverted)
	}
}
