package htmlmd

import (
	"encoding/xml"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestConvertsWordPressThemeUnitTestData runs Convert over every post of
// WordPress's theme unit test export, which exercises every block, shortcode
// and markup quirk WordPress knows. It checks that nothing fails and all
// output is valid UTF-8, and logs what each post reports (go test -v).
func TestConvertsWordPressThemeUnitTestData(t *testing.T) {
	t.Parallel()
	path := filepath.Join("..", "..", "..", "..", "shared", "fixtures", "wordpress", "themeunittestdata.wordpress.xml")
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		if os.Getenv("CI") != "" {
			t.Fatalf("WordPress fixture missing in CI (../shared/fixtures beside the checkout): %v", err)
		}
		t.Skipf("WordPress fixture missing (../shared/fixtures beside the checkout): %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var export struct {
		Items []struct {
			Title   string `xml:"title"`
			Content string `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
		} `xml:"channel>item"`
	}
	if err := xml.NewDecoder(f).Decode(&export); err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	converted := 0
	for _, item := range export.Items {
		if strings.TrimSpace(item.Content) == "" {
			continue
		}
		converted++
		got, err := Convert(item.Content, Options{SiteURL: "https://wpthemetestdata.wordpress.com"})
		if err != nil {
			t.Errorf("post %q: Convert: %v", item.Title, err)
			continue
		}
		if !utf8.ValidString(got.Markdown) {
			t.Errorf("post %q: Markdown is not valid UTF-8", item.Title)
		}
		for _, img := range got.Images {
			if !utf8.ValidString(img.Src + img.Alt + img.Caption) {
				t.Errorf("post %q: image %q is not valid UTF-8", item.Title, img.Src)
			}
		}
		for _, line := range got.NotConverted {
			if !utf8.ValidString(line) {
				t.Errorf("post %q: report line %q is not valid UTF-8", item.Title, line)
			}
			t.Logf("%s: %s", item.Title, line)
		}
	}
	if converted == 0 {
		t.Errorf("%s: no post with content", path)
	}
}
