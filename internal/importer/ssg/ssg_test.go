package ssg

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Hugo's addresses follow its [permalinks] per section, in each of the
// configuration's notations, and its defaults elsewhere.
func TestHugoAddresses(t *testing.T) {
	date := time.Date(2025, 3, 9, 10, 0, 0, 0, time.UTC)
	for _, cfg := range []struct{ name, text string }{
		{"hugo.toml", "[permalinks]\n  posts = '/:year/:month/:slug/'\n  news = '/:section/:year/:monthname/:title/'\n"},
		{"hugo.yaml", "permalinks:\n  page:\n    posts: /:year/:month/:slug/\n    news: /:section/:year/:monthname/:title/\n"},
		{"config.json", `{"permalinks": {"posts": "/:year/:month/:slug/", "news": "/:section/:year/:monthname/:title/"}}`},
	} {
		t.Run(cfg.name, func(t *testing.T) {
			root := t.TempDir()
			write(t, filepath.Join(root, cfg.name), cfg.text)
			write(t, filepath.Join(root, "content", "posts", "a.md"), "")
			s, err := Find(filepath.Join(root, "content", "posts"))
			if err != nil || s == nil || s.Kind != Hugo || s.Root != root {
				t.Fatalf("Find: %+v, %v", s, err)
			}
			for _, tc := range []struct {
				file string
				page Page
				want string
			}{
				{"content/posts/a.md", Page{Title: "Tide Tables", Date: date}, "/2025/03/tide-tables/"},
				{"content/posts/a.md", Page{Title: "Tide Tables", Slug: "tides", Date: date}, "/2025/03/tides/"},
				{"content/posts/bundle/index.md", Page{Title: "Don't Panic", Date: date}, "/2025/03/dont-panic/"},
				{"content/news/b.md", Page{Title: "Fees Rise", Date: date}, "/news/2025/march/fees-rise/"},
				{"content/sport/c.md", Page{Title: "Regatta", Date: date}, "/sport/c/"},
				{"content/about.md", Page{Title: "About", Date: date}, "/about/"},
				{"content/_index.md", Page{Title: "Home"}, ""},
				{"elsewhere/x.md", Page{Title: "X"}, ""},
			} {
				tc.page.File = filepath.Join(root, filepath.FromSlash(tc.file))
				if got := s.Address(tc.page); got != tc.want {
					t.Errorf("%s %q: %q, want %q", tc.file, tc.page.Title, got, tc.want)
				}
			}
		})
	}
}

// A config.toml without a content folder is some other project's, not a
// Hugo site.
func TestFindIgnoresOtherConfigs(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "config.toml"), "name = 'tool'\n")
	write(t, filepath.Join(root, "notes", "a.md"), "")
	if s, err := Find(filepath.Join(root, "notes", "a.md")); err != nil || s != nil {
		t.Errorf("Find: %+v, %v", s, err)
	}
	write(t, filepath.Join(root, "hugo.toml"), "title = [broken\n")
	if _, err := Find(root); err == nil {
		t.Error("a broken hugo.toml was read")
	}
}

func TestJekyllAddresses(t *testing.T) {
	for _, tc := range []struct{ permalink, post, page string }{
		{"", "/news/local/2025/11/03/harbour-opens.html", "/about.html"},
		{"pretty", "/news/local/2025/11/03/harbour-opens/", "/about/"},
		{"/:year/:title/", "/2025/harbour-opens/", "/about/"},
	} {
		root := t.TempDir()
		cfg := "title: Notes\n"
		if tc.permalink != "" {
			cfg += "permalink: " + tc.permalink + "\n"
		}
		write(t, filepath.Join(root, "_config.yml"), cfg)
		s, err := Find(root)
		if err != nil || s == nil || s.Kind != Jekyll {
			t.Fatalf("Find: %+v, %v", s, err)
		}
		post := Page{File: filepath.Join(root, "_posts", "2025-11-03-harbour-opens.md"), Title: "The Harbour Opens", Categories: []string{"News", "Local"}}
		if got := s.Address(post); got != tc.post {
			t.Errorf("%q: post at %q, want %q", tc.permalink, got, tc.post)
		}
		if got := s.Address(Page{File: filepath.Join(root, "about.md"), Title: "About"}); got != tc.page {
			t.Errorf("%q: page at %q, want %q", tc.permalink, got, tc.page)
		}
		if got := s.Address(Page{File: filepath.Join(root, "_drafts", "idea.md"), Title: "Idea"}); got != "" {
			t.Errorf("a draft at %q", got)
		}
	}
}

func TestImage(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "hugo.toml"), "staticDir = ['static', 'assets-public']\n")
	write(t, filepath.Join(root, "content", "a.md"), "")
	write(t, filepath.Join(root, "assets-public", "img", "x.jpg"), "x")
	s, err := Find(root)
	if err != nil || s == nil {
		t.Fatal(s, err)
	}
	if got, ok := s.Image("/img/x.jpg"); !ok || got != filepath.Join(root, "assets-public", "img", "x.jpg") {
		t.Errorf("Image: %q, %v", got, ok)
	}
	for _, src := range []string{"/img/missing.jpg", "/../../etc/passwd", "//cdn.example/x.jpg", "img/x.jpg"} {
		if got, ok := s.Image(src); ok {
			t.Errorf("Image(%q) = %q", src, got)
		}
	}
}
