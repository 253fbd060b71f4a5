// Package ssg knows the layout of the static-site generators whose sites
// Dateline imports as folders of Markdown: Hugo and Jekyll. It finds a
// site's root from any path inside it, reads the configuration that
// decides its addresses (Hugo's [permalinks], Jekyll's permalink), says
// which folders hold its articles, where a page lived on the old site,
// and which file a site-absolute image address (/images/x.jpg) names.
package ssg

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"go.yaml.in/yaml/v3"
)

// Kind names a generator.
type Kind string

// The generators known.
const (
	Hugo   Kind = "hugo"
	Jekyll Kind = "jekyll"
)

// Site is a Hugo or Jekyll site on disk.
type Site struct {
	Kind Kind
	Root string
	// Config is the configuration file read, relative to Root.
	Config string
	// contentDir holds Hugo's pages (content/ unless configured).
	contentDir string
	// staticDirs are copied to the site's root as they are: Hugo's
	// static/ (and its configured others); Jekyll's root itself.
	staticDirs []string
	// permalinks are Hugo's patterns by section ("posts"), or Jekyll's
	// one pattern under "".
	permalinks map[string]string
}

// hugoConfigs and jekyllConfigs are the files that mark a site's root.
var (
	hugoConfigs   = []string{"hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml", "config.json"}
	jekyllConfigs = []string{"_config.yml", "_config.yaml", "_config.toml"}
)

// Find returns the site that path (a file or folder) is in, or nil for a
// path in no Hugo or Jekyll site. An error is a configuration that
// cannot be read.
func Find(p string) (*Site, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return nil, err
	}
	for d := abs; ; d = filepath.Dir(d) {
		if s, err := open(d); s != nil || err != nil {
			return s, err
		}
		if parent := filepath.Dir(d); parent == d {
			return nil, nil
		}
	}
}

// open reads the site whose root dir is, or returns nil.
func open(dir string) (*Site, error) {
	for _, name := range hugoConfigs {
		file := filepath.Join(dir, name)
		if !isFile(file) {
			continue
		}
		// A config.* alone is common in other projects: a Hugo root also
		// has its content folder (or says where it is).
		cfg, err := readConfig(file)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		content := stringOf(cfg["contentDir"], stringOf(cfg["contentdir"], "content"))
		if !strings.HasPrefix(name, "hugo.") && !isDir(filepath.Join(dir, content)) {
			continue
		}
		s := &Site{Kind: Hugo, Root: dir, Config: name, contentDir: content, permalinks: map[string]string{}}
		s.staticDirs = stringsOf(cfg["staticDir"], cfg["staticdir"])
		if len(s.staticDirs) == 0 {
			s.staticDirs = []string{"static"}
		}
		// Themes also publish images kept in assets/ by their address.
		s.staticDirs = append(s.staticDirs, "assets")
		perm, _ := cfg["permalinks"].(map[string]any)
		if page, ok := perm["page"].(map[string]any); ok {
			perm = page // Hugo 0.112's form: [permalinks.page]
		}
		for section, v := range perm {
			if pattern, ok := v.(string); ok {
				s.permalinks[strings.ToLower(section)] = pattern
			}
		}
		return s, nil
	}
	for _, name := range jekyllConfigs {
		file := filepath.Join(dir, name)
		if !isFile(file) {
			continue
		}
		cfg, err := readConfig(file)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		pattern := stringOf(cfg["permalink"], "date")
		if style, ok := jekyllStyles[pattern]; ok {
			pattern = style
		}
		return &Site{Kind: Jekyll, Root: dir, Config: name, staticDirs: []string{"."}, permalinks: map[string]string{"": pattern}}, nil
	}
	return nil, nil
}

// jekyllStyles are Jekyll's named permalink styles.
var jekyllStyles = map[string]string{
	"date":    "/:categories/:year/:month/:day/:title:output_ext",
	"pretty":  "/:categories/:year/:month/:day/:title/",
	"ordinal": "/:categories/:year/:y_day/:title:output_ext",
	"none":    "/:categories/:title:output_ext",
}

// readConfig reads a configuration file in TOML, YAML or JSON.
func readConfig(file string) (map[string]any, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	cfg := map[string]any{}
	switch filepath.Ext(file) {
	case ".toml":
		_, err = toml.Decode(string(data), &cfg)
	case ".json":
		err = json.Unmarshal(data, &cfg)
	default:
		err = yaml.Unmarshal(data, &cfg)
	}
	if err != nil {
		return nil, fmt.Errorf("not readable as %s: %v", strings.TrimPrefix(filepath.Ext(file), "."), err)
	}
	return cfg, nil
}

// ArticleDirs are the folders of a site given as its root that hold its
// articles: Hugo's content folder; Jekyll's _posts and _drafts, and the
// root itself for its pages (walked without its folders).
func (s *Site) ArticleDirs() (dirs []string, rootPages bool) {
	if s.Kind == Hugo {
		return []string{filepath.Join(s.Root, s.contentDir)}, false
	}
	for _, d := range []string{"_posts", "_drafts"} {
		if p := filepath.Join(s.Root, d); isDir(p) {
			dirs = append(dirs, p)
		}
	}
	return dirs, true
}

// NotAPage reports files at a Jekyll site's root that are not pages.
func NotAPage(name string) bool {
	base := strings.ToLower(strings.TrimSuffix(name, filepath.Ext(name)))
	switch base {
	case "readme", "changelog", "license", "contributing", "code_of_conduct", "404":
		return true
	}
	return false
}

// Page is what an address is made of.
type Page struct {
	File       string // absolute
	Title      string
	Slug       string // the front matter's, or ""
	Date       time.Time
	Categories []string // Jekyll's, from the front matter
	Page       bool     // a page of the site rather than a post
}

// jekyllPost matches a Jekyll post's file name: its date, then its name.
var jekyllPost = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})-(.+)$`)

// JekyllPost reads the date and name of a Jekyll post from its file name
// ("2024-01-15-harbour-opens.md"); ok is false for another file.
func JekyllPost(file string) (date time.Time, name string, ok bool) {
	base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	m := jekyllPost.FindStringSubmatch(base)
	if m == nil {
		return time.Time{}, "", false
	}
	d, err := time.Parse("2006-01-02", m[1]+"-"+m[2]+"-"+m[3])
	if err != nil {
		return time.Time{}, "", false
	}
	return d, m[4], true
}

// Address is where the old site showed a page, by its configuration, or
// "" when it cannot tell (a file outside the site's articles).
func (s *Site) Address(p Page) string {
	rel, err := filepath.Rel(s.Root, p.File)
	if err != nil || strings.HasPrefix(rel, "..") {
		return ""
	}
	rel = filepath.ToSlash(rel)
	if s.Kind == Jekyll {
		return s.jekyllAddress(rel, p)
	}
	return s.hugoAddress(rel, p)
}

func (s *Site) hugoAddress(rel string, p Page) string {
	inContent, ok := strings.CutPrefix(rel, filepath.ToSlash(s.contentDir)+"/")
	if !ok {
		return ""
	}
	dir, file := path.Split(inContent)
	dir = strings.TrimSuffix(dir, "/")
	name := strings.TrimSuffix(file, path.Ext(file))
	switch name {
	case "_index":
		return ""
	case "index": // a page bundle: the folder is the page
		dir, name = path.Dir(dir), path.Base(dir)
		if dir == "." {
			dir = ""
		}
	}
	section := dir
	if i := strings.Index(dir, "/"); i >= 0 {
		section = dir[:i]
	}
	pattern, ok := s.permalinks[strings.ToLower(section)]
	if !ok || section == "" {
		// Hugo's default: the page's folders, then its slug or name.
		out := "/" + name + "/"
		if p.Slug != "" {
			out = "/" + p.Slug + "/"
		}
		if dir != "" {
			out = "/" + dir + out
		}
		return strings.ToLower(out)
	}
	slug := p.Slug
	if slug == "" {
		slug = urlize(p.Title)
	}
	return expand(pattern, map[string]string{
		"year": p.Date.Format("2006"), "month": p.Date.Format("01"), "monthname": strings.ToLower(p.Date.Format("January")),
		"day": p.Date.Format("02"), "weekday": fmt.Sprint(int(p.Date.Weekday())), "weekdayname": strings.ToLower(p.Date.Format("Monday")),
		"yearday": fmt.Sprint(p.Date.YearDay()), "section": strings.ToLower(section), "sections": strings.ToLower(dir),
		"title": urlize(p.Title), "slug": slug, "filename": name, "contentbasename": name,
		"slugorfilename": cmp.Or(p.Slug, name), "slugorcontentbasename": cmp.Or(p.Slug, name),
	})
}

func (s *Site) jekyllAddress(rel string, p Page) string {
	date, name, isPost := JekyllPost(rel)
	if !isPost || !(strings.HasPrefix(rel, "_posts/") || strings.Contains(rel, "/_posts/")) {
		if strings.HasPrefix(rel, "_") || strings.Contains(rel, "/_") {
			return "" // a draft or another of Jekyll's own folders: never public
		}
		// A page keeps its path: about.md is /about.html, or /about/
		// when the site's permalinks end in a slash ("pretty").
		page := "/" + strings.TrimSuffix(rel, path.Ext(rel))
		if strings.HasSuffix(s.permalinks[""], "/") {
			return page + "/"
		}
		return page + ".html"
	}
	if !p.Date.IsZero() {
		date = p.Date
	}
	title := name
	if p.Slug != "" {
		title = p.Slug
	}
	var cats []string
	for _, c := range p.Categories {
		cats = append(cats, urlize(c))
	}
	out := expand(s.permalinks[""], map[string]string{
		"categories": strings.Join(cats, "/"), "year": date.Format("2006"), "month": date.Format("01"), "i_month": fmt.Sprint(int(date.Month())),
		"day": date.Format("02"), "i_day": fmt.Sprint(date.Day()), "short_year": date.Format("06"), "y_day": fmt.Sprintf("%03d", date.YearDay()),
		"title": title, "slug": cmp.Or(p.Slug, name), "output_ext": ".html",
	})
	return out
}

// token matches a pattern's fields, longest names first.
var token = regexp.MustCompile(`:([a-z_]+)`)

// expand fills a permalink pattern, collapsing the doubled slashes an
// empty field leaves.
func expand(pattern string, fields map[string]string) string {
	out := token.ReplaceAllStringFunc(pattern, func(m string) string {
		name := m[1:]
		// :output_ext and the like are matched whole; a field followed
		// by letters that make no field keeps the letters.
		for n := len(name); n > 0; n-- {
			if v, ok := fields[name[:n]]; ok {
				return v + name[n:]
			}
		}
		return m
	})
	for strings.Contains(out, "//") {
		out = strings.ReplaceAll(out, "//", "/")
	}
	if !strings.HasPrefix(out, "/") {
		out = "/" + out
	}
	return out
}

// Image is the file a site-absolute image address ("/images/x.jpg")
// names: in Hugo's static folders (then assets/), or below a Jekyll
// site's root.
func (s *Site) Image(src string) (string, bool) {
	if !strings.HasPrefix(src, "/") || strings.HasPrefix(src, "//") {
		return "", false
	}
	rel := strings.TrimPrefix(path.Clean(src), "/")
	if !filepath.IsLocal(filepath.FromSlash(rel)) {
		return "", false
	}
	for _, d := range s.staticDirs {
		file := filepath.Join(s.Root, d, filepath.FromSlash(rel))
		if isFile(file) {
			return file, true
		}
	}
	return "", false
}

// urlize makes a title into an address part as Hugo and Jekyll do:
// lower case, words joined by hyphens.
func urlize(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '\'' || r == '’':
			// "Don't" is "dont", not "don-t".
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127:
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	return b.String()
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

func stringOf(v any, def string) string {
	if s, ok := v.(string); ok && s != "" {
		return s
	}
	return def
}

// stringsOf reads settings that are a string or a list of them.
func stringsOf(vs ...any) []string {
	var out []string
	for _, v := range vs {
		switch v := v.(type) {
		case string:
			out = append(out, v)
		case []any:
			for _, x := range v {
				if s, ok := x.(string); ok {
					out = append(out, s)
				}
			}
		}
	}
	return out
}
