package staticsite

import (
	"bytes"
	"mime"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// links returns the addresses of the site's own pages and files that a
// page links to: in HTML its href, src and srcset attributes and its
// photos named for sharing; in a stylesheet its url()s; in a feed or
// sitemap every absolute address on the site.
func (x *export) links(path, contentType string, body []byte) []string {
	mt, _, _ := mime.ParseMediaType(contentType)
	page := &url.URL{Scheme: x.base.Scheme, Host: x.base.Host, Path: path}
	seen := map[string]bool{}
	var out []string
	add := func(ref string) {
		if p, ok := x.sitePath(page, ref); ok && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	switch {
	case mt == "text/html":
		htmlLinks(body, add)
	case mt == "text/css":
		cssLinks(body, add)
	case strings.HasSuffix(mt, "xml") || strings.HasSuffix(mt, "json"):
		absoluteLinks(body, x.base.Scheme+"://"+x.base.Host+"/", add)
	}
	return out
}

// sitePath resolves ref against the page it is on and returns its path,
// when it is an address of the site that an export writes: not the admin,
// and not a form's target.
func (x *export) sitePath(page *url.URL, ref string) (string, bool) {
	ref = strings.TrimSpace(ref)
	if plainPath(ref) {
		// Most links of a page are of this form, and parsing each into a
		// URL was a sixth of finding the links of a page.
		return ref, !isAdmin(ref)
	}
	return x.resolvePath(page, ref)
}

// resolvePath is sitePath for any reference.
func (x *export) resolvePath(page *url.URL, ref string) (string, bool) {
	if ref == "" || strings.HasPrefix(ref, "#") {
		return "", false
	}
	u, err := page.Parse(ref)
	if err != nil || u.Scheme != x.base.Scheme || !strings.EqualFold(u.Host, x.base.Host) || u.Path == "" {
		return "", false
	}
	return u.Path, !isAdmin(u.Path)
}

// plainPath reports whether ref is a path from the site's root that
// resolves to itself: no host, query, fragment, escape or dot segment,
// and nothing a URL parser would refuse or change.
func plainPath(ref string) bool {
	if len(ref) == 0 || ref[0] != '/' || len(ref) > 1 && ref[1] == '/' {
		return false
	}
	for i := 0; i < len(ref); i++ {
		switch c := ref[i]; {
		case c <= ' ' || c >= 0x7f, c == '?', c == '#', c == '%', c == '\\':
			return false
		case c == '.' && ref[i-1] == '/':
			return false // "/./", "/../", or a name that begins with a dot
		}
	}
	return true
}

func isAdmin(p string) bool { return p == "/admin" || strings.HasPrefix(p, "/admin/") }

// htmlLinks calls add with each address an HTML page links to or loads.
func htmlLinks(body []byte, add func(string)) {
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if !loadsOrLinks(name) {
				// Reading an attribute copies it: most tags of a page
				// (p, li, h2, time...) have none that names an address.
				continue
			}
			var property, content string
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch string(k) {
				case "href", "src":
					add(string(v))
				case "srcset":
					for _, candidate := range strings.Split(string(v), ",") {
						if f := strings.Fields(candidate); len(f) > 0 {
							add(f[0])
						}
					}
				case "property", "name":
					property = string(v)
				case "content":
					content = string(v)
				}
			}
			// The photos named for sharing (og:image, twitter:image).
			if string(name) == "meta" && strings.HasSuffix(property, ":image") {
				add(content)
			}
		}
	}
}

// loadsOrLinks reports whether an element of this name has an attribute
// that a browser follows or loads (href, src, srcset), or is a <meta> that
// may name a photo for sharing.
func loadsOrLinks(name []byte) bool {
	switch string(name) {
	case "a", "area", "link", "img", "source", "script", "iframe", "embed", "video", "audio", "track", "input", "meta":
		return true
	}
	return false
}

// cssLinks calls add with each url() of a stylesheet.
func cssLinks(body []byte, add func(string)) {
	s := string(body)
	for {
		i := strings.Index(s, "url(")
		if i < 0 {
			return
		}
		s = s[i+len("url("):]
		end := strings.IndexByte(s, ')')
		if end < 0 {
			return
		}
		ref := strings.Trim(strings.TrimSpace(s[:end]), `'"`)
		if !strings.HasPrefix(ref, "data:") {
			add(ref)
		}
		s = s[end:]
	}
}

// absoluteLinks calls add with every address beginning with root in a
// feed or a sitemap. It reads body where it is: a feed of full content
// is hundreds of kilobytes, and a string of it was a copy.
func absoluteLinks(body []byte, root string, add func(string)) {
	prefix := []byte(root)
	for {
		i := bytes.Index(body, prefix)
		if i < 0 {
			return
		}
		body = body[i:]
		end := bytes.IndexAny(body, "\"'<> \t\r\n")
		if end < 0 {
			end = len(body)
		}
		add(html.UnescapeString(string(body[:end])))
		body = body[end:]
	}
}
