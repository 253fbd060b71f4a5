package render

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/media"
)

const photoHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

func libraryPhoto() *media.Item {
	it := &media.Item{ID: 7, Hash: photoHash, Format: media.JPEG, Width: 1600, Height: 1200,
		Info: media.Info{Alt: "Gates of the flood barrier", Caption: "The gates closed at 3 a.m. <b>sharp</b>.", Credit: "Lena Vogt / Nordpress"}}
	for _, w := range []int{320, 640, 960, 1280} {
		for _, f := range []media.Format{media.WebP, media.JPEG} {
			it.Variants = append(it.Variants, media.Variant{Name: "w" + strconv.Itoa(w), Format: f, Width: w, Height: w * 3 / 4})
		}
	}
	return it
}

func TestHTMLWithShowsLibraryImages(t *testing.T) {
	r := New()
	body := "Intro.\n\n![The barrier at night](media:7)\n\nText with ![inline](media:7) in it.\n\n![gone](media:99)\n\nEnd.\n"
	out, err := r.HTMLWith(r.Parse([]byte(body)), Images{7: libraryPhoto()}, true)
	if err != nil {
		t.Fatal(err)
	}
	html := string(out)
	for _, want := range []string{
		`<figure class="photo"><picture><source type="image/webp" srcset="/media/` + photoHash + `/w320.webp 320w`,
		`alt="The barrier at night" fetchpriority="high" decoding="async">`,
		`width="960" height="720"`,
		`<figcaption>The gates closed at 3 a.m. &lt;b&gt;sharp&lt;/b&gt;. <span class="credit">Photo: Lena Vogt / Nordpress</span></figcaption></figure>`,
		`<p>Text with <picture>`,
		`alt="inline" loading="lazy" decoding="async">`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("rendered body lacks %s:\n%s", want, html)
		}
	}
	for _, unwanted := range []string{"<p><figure", "media:", "gone"} {
		if strings.Contains(html, unwanted) {
			t.Errorf("rendered body has %q:\n%s", unwanted, html)
		}
	}
	if n := strings.Count(html, `fetchpriority="high"`); n != 1 {
		t.Errorf("%d lead images, want 1", n)
	}
}

func TestMediaIDs(t *testing.T) {
	got := MediaIDs("![a](media:12) and ![b](media:3 \"t\") and [not an image](media:12) ![c](media:x) ![d](/media/x/w1.jpg)")
	if !slices.Equal(got, []int64{3, 12}) {
		t.Errorf("MediaIDs = %v, want [3 12]", got)
	}
}
