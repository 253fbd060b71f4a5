package markdown

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/datelinehq/dateline/internal/importer/htmlmd"
)

// Generator names the template language of a site's Markdown: Hugo's
// shortcodes ({{< figure >}}) or Jekyll's Liquid tags ({% highlight %}).
type Generator string

// The generators whose template tags Shortcodes knows.
const (
	Hugo   Generator = "hugo"
	Jekyll Generator = "jekyll"
)

// Shortcodes turns the template tags a generator's Markdown holds into
// the Markdown (or the HTML Dateline keeps) that shows the same: Hugo's
// figure, youtube, vimeo, tweet/x, instagram, gist, highlight, ref and
// relref; Jekyll's highlight, raw, link and post_url. Any other tag is
// dropped (a paired one keeps its inner text), and named in the notes,
// so that nothing is lost silently. Fenced code blocks are left as they
// are: a post about Hugo may show a shortcode. address, when set, gives
// the old address of a file of the site that Jekyll's link tag names
// ("about.md"), as the site's permalinks made it.
func Shortcodes(body string, gen Generator, address func(file string) string) (string, []string) {
	var notes []string
	note := func(format string, args ...any) {
		n := fmt.Sprintf(format, args...)
		for _, have := range notes {
			if have == n {
				return
			}
		}
		notes = append(notes, n)
	}
	var out strings.Builder
	for i, part := range splitFences(body) {
		if i%2 == 1 { // a fenced code block
			out.WriteString(part)
			continue
		}
		switch gen {
		case Hugo:
			out.WriteString(hugoShortcodes(part, note))
		case Jekyll:
			out.WriteString(liquidTags(part, note, address))
		default:
			out.WriteString(part)
		}
	}
	return out.String(), notes
}

// fence matches a fenced code block's opening or closing line.
var fence = regexp.MustCompile("(?m)^ {0,3}(```+|~~~+)")

// splitFences cuts body into text and fenced code blocks, alternately
// (the text first, possibly empty).
func splitFences(body string) []string {
	var parts []string
	rest := body
	for {
		open := fence.FindStringSubmatchIndex(rest)
		if open == nil {
			return append(parts, rest)
		}
		marker := rest[open[2]:open[3]]
		lineEnd := strings.IndexByte(rest[open[1]:], '\n')
		if lineEnd < 0 {
			return append(parts, rest)
		}
		after := open[1] + lineEnd + 1
		end := len(rest)
		for _, m := range fence.FindAllStringSubmatchIndex(rest[after:], -1) {
			if c := rest[after+m[2] : after+m[3]]; c[0] == marker[0] && len(c) >= len(marker) {
				end = after + m[1]
				if nl := strings.IndexByte(rest[end:], '\n'); nl >= 0 {
					end += nl + 1
				} else {
					end = len(rest)
				}
				break
			}
		}
		parts = append(parts, rest[:open[0]], rest[open[0]:end])
		rest = rest[end:]
	}
}

// hugoTag matches a shortcode's tag: {{< name args >}} or {{% ... %}},
// closing ({{< /name >}}) or self-closing ({{< name />}}).
var hugoTag = regexp.MustCompile(`\{\{([<%])\s*(/?)\s*([\w./-]+)((?:[^>%]|>[^}]|%[^}])*?)\s*(/?)\s*[>%]\}\}`)

// shortcodeArg matches one argument: key="value", key=value, "value" or
// value.
var shortcodeArg = regexp.MustCompile(`(?:(\w+)=)?(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|` + "`([^`]*)`" + `|(\S+))`)

// args reads a shortcode's arguments: named ones by name, positional
// ones by their position ("0", "1", ...).
func args(s string) map[string]string {
	m := map[string]string{}
	pos := 0
	for _, a := range shortcodeArg.FindAllStringSubmatch(s, -1) {
		v := a[2] + a[3] + a[4] + a[5]
		if a[1] != "" {
			m[a[1]] = v
			continue
		}
		m[fmt.Sprint(pos)] = v
		pos++
	}
	return m
}

func hugoShortcodes(text string, note func(string, ...any)) string {
	var out strings.Builder
	for {
		loc := hugoTag.FindStringSubmatchIndex(text)
		if loc == nil {
			out.WriteString(text)
			return out.String()
		}
		out.WriteString(text[:loc[0]])
		closing, name := text[loc[4]:loc[5]] == "/", text[loc[6]:loc[7]]
		a := args(text[loc[8]:loc[9]])
		selfClosing := text[loc[10]:loc[11]] == "/"
		text = text[loc[1]:]
		if closing {
			continue // its opening tag was dropped with a note
		}
		// A paired shortcode's inner text, up to its closing tag.
		inner, paired := "", false
		if !selfClosing {
			if end := findClosing(text, name); end != nil {
				inner, paired = text[:end[0]], true
				text = text[end[1]:]
			}
		}
		out.WriteString(hugoShortcode(name, a, inner, paired, note))
	}
}

// findClosing finds {{< /name >}} in text.
func findClosing(text, name string) []int {
	for _, loc := range hugoTag.FindAllStringSubmatchIndex(text, -1) {
		if text[loc[4]:loc[5]] == "/" && text[loc[6]:loc[7]] == name {
			return []int{loc[0], loc[1]}
		}
	}
	return nil
}

// hugoShortcode is what one of Hugo's shortcodes becomes.
func hugoShortcode(name string, a map[string]string, inner string, paired bool, note func(string, ...any)) string {
	first := func(keys ...string) string {
		for _, k := range keys {
			if v := a[k]; v != "" {
				return v
			}
		}
		return ""
	}
	switch name {
	case "figure":
		src := first("src")
		if src == "" {
			note("a figure shortcode with no src was dropped")
			return ""
		}
		img := "![" + first("alt", "caption", "title") + "](" + src + ")"
		if link := first("link"); link != "" {
			img = "[" + img + "](" + link + ")"
		}
		if caption := first("caption", "title"); caption != "" {
			return "\n\n" + img + "\n\n*" + strings.TrimSpace(caption) + "*\n\n"
		}
		return "\n\n" + img + "\n\n"
	case "youtube":
		return "\n\n" + htmlmd.Player("https://www.youtube.com/watch?v="+first("id", "0"), first("title")) + "\n\n"
	case "vimeo":
		return "\n\n" + htmlmd.Player("https://vimeo.com/"+first("id", "0"), first("title")) + "\n\n"
	case "tweet", "x", "twitter":
		user, id := first("user", "0"), first("id", "1")
		if a["1"] == "" && a["id"] == "" { // the old form: {{< tweet 123 >}}
			user, id = "i", first("0")
		}
		return "\n\n> [Post by @" + user + " on X](https://x.com/" + user + "/status/" + id + ")\n\n"
	case "instagram":
		u := "https://www.instagram.com/p/" + first("id", "0") + "/"
		return "\n\n[" + u + "](" + u + ")\n\n"
	case "gist":
		u := "https://gist.github.com/" + first("user", "0") + "/" + first("id", "1")
		return "\n\n[" + u + "](" + u + ")\n\n"
	case "highlight":
		return "\n\n```" + first("0") + "\n" + strings.Trim(inner, "\n") + "\n```\n\n"
	case "ref", "relref":
		target := first("path", "0")
		note("a %s to %s now points at that page's old address, which redirects to it once imported", name, target)
		return hugoPage(target)
	}
	if paired {
		note("Hugo shortcode %q has no equivalent in Dateline: its tags were dropped and its text kept", name)
		return inner
	}
	note("Hugo shortcode %q has no equivalent in Dateline and was dropped", name)
	return ""
}

// hugoPage is the default address Hugo gives a content file named by
// ref: "posts/quay.md" is /posts/quay/.
func hugoPage(target string) string {
	p := strings.TrimPrefix(path.Clean("/"+strings.SplitN(target, "#", 2)[0]), "/")
	p = strings.TrimSuffix(p, path.Ext(p))
	switch path.Base(p) {
	case "index", "_index":
		p = path.Dir(p)
	}
	if p == "." || p == "" {
		return "/"
	}
	return "/" + strings.ToLower(p) + "/"
}

// liquidTag matches a Liquid tag ({% name args %}) or output ({{ ... }}).
var liquidTag = regexp.MustCompile(`\{%-?\s*(\w+)\s*(.*?)\s*-?%\}|\{\{-?\s*(.*?)\s*-?\}\}`)

// jekyllPostName is a post's file name without its date.
var jekyllPostName = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}-`)

func liquidTags(text string, note func(string, ...any), address func(string) string) string {
	var out strings.Builder
	for {
		loc := liquidTag.FindStringSubmatchIndex(text)
		if loc == nil {
			out.WriteString(text)
			return out.String()
		}
		out.WriteString(text[:loc[0]])
		rest := text[loc[1]:]
		if loc[2] < 0 { // output: {{ site.baseurl }} and the like
			expr := text[loc[6]:loc[7]]
			if !strings.HasPrefix(expr, "site.baseurl") && !strings.HasPrefix(expr, "site.url") {
				note("Liquid output {{ %s }} has no value in Dateline and was dropped", expr)
			}
			text = rest
			continue
		}
		name, arg := text[loc[2]:loc[3]], strings.Trim(text[loc[4]:loc[5]], `"' `)
		switch name {
		case "highlight":
			if end := strings.Index(rest, "{% endhighlight %}"); end >= 0 {
				lang, _, _ := strings.Cut(arg, " ")
				out.WriteString("\n\n```" + lang + "\n" + strings.Trim(rest[:end], "\n") + "\n```\n\n")
				text = rest[end+len("{% endhighlight %}"):]
				continue
			}
		case "raw":
			// What {% raw %} holds is shown as written.
			if end := strings.Index(rest, "{% endraw %}"); end >= 0 {
				out.WriteString(rest[:end])
				text = rest[end+len("{% endraw %}"):]
				continue
			}
		case "endraw", "endhighlight":
		case "link":
			target := ""
			if address != nil {
				target = address(arg)
			}
			if target == "" {
				target = "/" + strings.TrimPrefix(arg, "/")
				note("the link to %s could not be resolved: it points at %s", arg, target)
			}
			out.WriteString(target)
		case "post_url":
			// The post's slug here is its file name without the date.
			out.WriteString("/" + jekyllPostName.ReplaceAllString(path.Base(arg), "") + "/")
		default:
			note("Liquid tag {%% %s %%} has no equivalent in Dateline and was dropped", name)
		}
		text = rest
	}
}
