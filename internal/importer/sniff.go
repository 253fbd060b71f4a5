package importer

import (
	"bytes"
	"encoding/json"
	"regexp"
)

// magic lists the leading bytes of binary formats people mistake for
// articles, with what to call them.
var magic = []struct {
	prefix string
	name   string
}{
	{"%PDF-", "a PDF document"},
	{"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (.doc, .xls)"},
	{"{\\rtf", "an RTF document"},
	{"\x89PNG\r\n\x1a\n", "a PNG image"},
	{"\xff\xd8\xff", "a JPEG image"},
	{"GIF87a", "a GIF image"},
	{"GIF89a", "a GIF image"},
	{"\x1f\x8b", "a gzip archive"},
}

// sniffBinary names the binary format content starts like, or returns "".
// It runs before the text checks, so that a PDF is not reported as text
// in a wrong encoding.
func sniffBinary(content []byte) string {
	if bytes.HasPrefix(content, []byte("PK\x03\x04")) {
		// Office Open XML files are ZIP archives whose entries name the
		// application's folder.
		head := content[:min(len(content), 4096)]
		switch {
		case bytes.Contains(head, []byte("word/")):
			return "a Word document (.docx)"
		case bytes.Contains(head, []byte("opendocument.text")):
			return "an OpenDocument text (.odt)"
		}
		return "a ZIP archive"
	}
	if len(content) >= 12 && string(content[:4]) == "RIFF" && string(content[8:12]) == "WEBP" {
		return "a WebP image"
	}
	for _, m := range magic {
		if bytes.HasPrefix(content, []byte(m.prefix)) {
			return m.name
		}
	}
	return ""
}

var (
	// markup matches what may come before a document's root element: an
	// XML declaration, processing instructions, comments and a DOCTYPE.
	markup = regexp.MustCompile(`^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!(?i:doctype)[^>]*>)*`)
	// rootTag matches the name of the root element that follows.
	rootTag     = regexp.MustCompile(`^<([A-Za-z][\w.:-]*)`)
	doctypeHTML = regexp.MustCompile(`^<!(?i:doctype)\s+html`)
)

// sniffText names the document or data format that text content is in
// when it is clearly not an article (XML, an HTML page, JSON), or returns
// "". Markdown may hold HTML, so only a whole document counts: one that
// starts with an XML declaration, an HTML DOCTYPE, or (after comments) the
// root element of an HTML page, a feed or a sitemap.
func sniffText(content []byte) string {
	c := bytes.TrimLeft(bytes.TrimPrefix(content, []byte("\ufeff")), " \t\r\n")
	if len(c) == 0 {
		return ""
	}
	switch c[0] {
	case '{', '[':
		if json.Valid(c) {
			return "JSON but not a Ghost export"
		}
		// JSON lines: a log or a database export, one object a line.
		if first, _, _ := bytes.Cut(c, []byte("\n")); json.Valid(first) && bytes.HasSuffix(bytes.TrimSpace(first), []byte("}")) {
			return "JSON lines"
		}
		return ""
	case '<':
	default:
		return ""
	}
	declared := bytes.HasPrefix(c, []byte("<?xml"))
	if doctypeHTML.Match(c) {
		return "an HTML document (a saved web page?)"
	}
	prolog := markup.Find(c)
	m := rootTag.FindSubmatch(c[len(prolog):])
	if m == nil {
		if declared {
			return "XML but not a WordPress export"
		}
		return ""
	}
	switch root := string(bytes.ToLower(m[1])); {
	case root == "html":
		return "an HTML document (a saved web page?)"
	case root == "rss" && bytes.Contains(c, []byte("xmlns:wp=")):
		return "XML, a WordPress export of a whole site: import it without --format, or with --format wxr"
	case root == "rss":
		return "XML but not a WordPress export (an RSS feed?)"
	case root == "feed":
		return "XML but not a WordPress export (an Atom feed?)"
	case root == "urlset" || root == "sitemapindex":
		return "XML but not a WordPress export (a sitemap?)"
	case declared:
		return "XML but not a WordPress export (its root element is <" + string(m[1]) + ">)"
	}
	return ""
}
