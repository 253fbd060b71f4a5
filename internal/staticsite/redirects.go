package staticsite

import (
	"fmt"
	"html/template"
	"net/url"
	"strings"
)

// Names of the files that carry the redirects to hosts.
const (
	// netlifyRedirects is read by Netlify and Cloudflare Pages.
	netlifyRedirects = "_redirects"
	// nginxRedirects is a map of paths to their targets (or "gone"), for
	// a map block of $uri; nginxQueryRedirects the same of addresses
	// with a query (WordPress's /?p=123), for a map of $request_uri. See
	// deploy/nginx-static.conf.
	nginxRedirects      = "nginx-redirects.map"
	nginxQueryRedirects = "nginx-query-redirects.map"
)

// goneValue is the value nginxRedirects maps an address that is gone to.
const goneValue = "gone"

// redirectFiles writes the redirects and the addresses that are gone in
// the forms hosts read: _redirects, nginx maps, and at each old address
// without a query an HTML page that sends the reader on (with
// rel=canonical), for hosts that read none of them.
func redirectFiles(redirects []Redirect, gone []string, base *url.URL) map[string][]byte {
	var netlify, nginx, nginxQuery strings.Builder
	out := map[string][]byte{}
	for _, r := range redirects {
		path, query, _ := strings.Cut(r.From, "?")
		if query == "" {
			fmt.Fprintf(&netlify, "%s %s 301\n", r.From, r.To)
			fmt.Fprintf(&nginx, "%s %s;\n", nginxString(r.From), nginxString(r.To))
			if f, err := fileFor(r.From, "text/html"); err == nil {
				out[f] = movedPage(absolute(base, r.To))
			}
		} else {
			// Netlify matches a query parameter by name: "/ p=123".
			fmt.Fprintf(&netlify, "%s %s %s 301!\n", path, strings.ReplaceAll(query, "&", " "), r.To)
			fmt.Fprintf(&nginxQuery, "%s %s;\n", nginxString(r.From), nginxString(r.To))
		}
	}
	for _, p := range gone {
		fmt.Fprintf(&netlify, "%s /%s 410\n", p, notFoundFile)
		fmt.Fprintf(&nginx, "%s %s;\n", nginxString(p), goneValue)
	}
	out[netlifyRedirects] = []byte(netlify.String())
	out[nginxRedirects] = []byte(nginx.String())
	out[nginxQueryRedirects] = []byte(nginxQuery.String())
	return out
}

// nginxString quotes s for an nginx configuration file.
func nginxString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`).Replace(s) + `"`
}

// absolute is target on the site's address, when it is a path.
func absolute(base *url.URL, target string) string {
	if strings.HasPrefix(target, "/") {
		return base.Scheme + "://" + base.Host + target
	}
	return target
}

var movedTemplate = template.Must(template.New("moved").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="robots" content="noindex">
<link rel="canonical" href="{{.}}">
<meta http-equiv="refresh" content="0; url={{.}}">
<title>Moved</title>
</head>
<body>
<p>This page has moved to <a href="{{.}}">{{.}}</a>.</p>
</body>
</html>
`))

// movedPage is the page left at an old address on a host that reads no
// redirects file.
func movedPage(target string) []byte {
	var b strings.Builder
	if err := movedTemplate.Execute(&b, target); err != nil {
		panic(err) // the template takes any string
	}
	return []byte(b.String())
}
