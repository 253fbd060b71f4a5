// Package deps guards the dependencies of the dateline binary: every module
// it links must be on the list below, so that a new dependency is a
// decision someone wrote down rather than an accident of an import.
package deps

import (
	"encoding/json"
	"os/exec"
	"sort"
	"strings"
	"testing"
)

// allowed maps each module the binary may link to the reason it is there.
var allowed = map[string]string{
	"github.com/datelinehq/dateline":                  "Dateline itself",
	"github.com/yuin/goldmark":                        "Markdown parsing and rendering",
	"modernc.org/sqlite":                              "the embedded SQLite store, pure Go",
	"github.com/microcosm-cc/bluemonday":              "sanitising raw HTML in article bodies",
	"github.com/JohannesKaufmann/html-to-markdown/v2": "turning the HTML of posts moved in from WordPress and Ghost into Markdown (internal/importer/htmlmd)",
	"github.com/JohannesKaufmann/dom":                 "required by html-to-markdown (DOM helpers)",
	"github.com/aymerick/douceur":                     "required by bluemonday (CSS parsing)",
	"github.com/gorilla/css":                          "required by bluemonday (CSS parsing)",
	"golang.org/x/net":                                "required by bluemonday (HTML parsing)",
	"modernc.org/libc":                                "required by modernc.org/sqlite",
	"modernc.org/mathutil":                            "required by modernc.org/sqlite",
	"modernc.org/memory":                              "required by modernc.org/sqlite",
	"github.com/remyoudompheng/bigfft":                "required by modernc.org/mathutil",
	"github.com/dustin/go-humanize":                   "required by modernc.org/sqlite",
	"github.com/google/uuid":                          "required by modernc.org/sqlite",
	"github.com/jackc/pgx/v5":                         "the PostgreSQL store",
	"github.com/jackc/pgpassfile":                     "required by pgx",
	"github.com/jackc/pgservicefile":                  "required by pgx",
	"github.com/jackc/puddle/v2":                      "required by pgx's pool",
	"golang.org/x/sync":                               "required by pgx's pool",
	"go.yaml.in/yaml/v3":                              "YAML front matter of imported Markdown",
	"github.com/BurntSushi/toml":                      "Hugo's TOML front matter and hugo.toml (internal/importer/markdown, importer/ssg)",
	"github.com/kljensen/snowball":                    "the Snowball stemmer for the linking engine",
	"golang.org/x/text":                               "Unicode normalisation for slugs; imagemeta's text encodings",
	"golang.org/x/term":                               "telling whether stdout is a terminal",
	"golang.org/x/crypto":                             "argon2id password hashing",
	"golang.org/x/sys":                                "the free space on a disk that filled up (store/sqlite); required by x/term and modernc.org/libc",
	"github.com/schollz/progressbar/v3":               "the import progress bar",
	"github.com/mitchellh/colorstring":                "required by progressbar",
	"github.com/rivo/uniseg":                          "required by progressbar",
	"golang.org/x/image":                              "scaling images (draw) and decoding WebP uploads",
	"github.com/gen2brain/webp":                       "encoding WebP variants without cgo: libwebp compiled to WASM",
	"github.com/tetratelabs/wazero":                   "required by gen2brain/webp: runs its WASM libwebp, pure Go",
	"github.com/ebitengine/purego":                    "required by gen2brain/webp: loads a system libwebp instead when one is installed (the nodynamic build tag drops it)",
	"github.com/bep/imagemeta":                        "reading the EXIF orientation of uploaded photos (Hugo's reader)",
	"github.com/nicksnyder/go-i18n/v2":                "the public theme's message catalogue with CLDR plural rules (Hugo's i18n)",
	"github.com/gohugoio/locales":                     "CLDR month names and date patterns for dates in the site's language (Hugo's data)",
	"github.com/prometheus/client_golang":             "/metrics in Prometheus's format, with the official client (internal/metrics)",
	"github.com/prometheus/client_model":              "required by the Prometheus client (the metric types)",
	"github.com/prometheus/common":                    "required by the Prometheus client (the text format)",
	"github.com/prometheus/procfs":                    "required by the Prometheus client (the process's figures from /proc)",
	"github.com/beorn7/perks":                         "required by the Prometheus client (summary quantiles)",
	"github.com/cespare/xxhash/v2":                    "required by the Prometheus client (label hashing)",
	"github.com/munnerz/goautoneg":                    "required by the Prometheus client (content negotiation)",
	"google.golang.org/protobuf":                      "required by the Prometheus client (its metric model is protobuf)",
}

// testOnly maps each module that go.mod requires for tests alone to the
// reason it is there. The binary must not link them: the test above
// refuses any module missing from allowed.
var testOnly = map[string]string{
	"github.com/google/go-cmp":     "comparing values in tests",
	"github.com/mmcdole/gofeed":    "reading the site's feeds in tests as a feed reader would",
	"github.com/chromedp/chromedp": "driving headless Chromium in the browser tests (internal/tests/browser)",
	"github.com/chromedp/cdproto":  "the DevTools protocol events the browser tests wait on, from chromedp",
}

func TestBinaryDependenciesAreAllowed(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.Module.Path}}{{end}}", "../../../cmd/dateline").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	seen := map[string]bool{}
	for _, m := range strings.Fields(string(out)) {
		seen[m] = true
	}
	var unexpected, unused []string
	for m := range seen {
		if _, ok := allowed[m]; !ok {
			unexpected = append(unexpected, m)
		}
	}
	for m := range allowed {
		if !seen[m] {
			unused = append(unused, m)
		}
	}
	sort.Strings(unexpected)
	sort.Strings(unused)
	if len(unexpected) > 0 {
		t.Errorf("the binary links modules that are not allowed; add each to the list with its reason, or drop it:\n  %s", strings.Join(unexpected, "\n  "))
	}
	if len(unused) > 0 {
		t.Errorf("allowed modules the binary no longer links; remove them from the list:\n  %s", strings.Join(unused, "\n  "))
	}
}

// TestDirectRequirementsAreAllowed keeps go.mod's direct requirements to
// the two lists, so that a module brought in for a test is written down
// too.
func TestDirectRequirementsAreAllowed(t *testing.T) {
	out, err := exec.Command("go", "mod", "edit", "-json", "../../../go.mod").Output()
	if err != nil {
		t.Fatalf("go mod edit -json: %v", err)
	}
	var mod struct {
		Require []struct {
			Path     string
			Indirect bool
		}
	}
	if err := json.Unmarshal(out, &mod); err != nil {
		t.Fatalf("go mod edit -json: %v", err)
	}
	direct := map[string]bool{}
	for _, r := range mod.Require {
		if r.Indirect {
			continue
		}
		direct[r.Path] = true
		_, bin := allowed[r.Path]
		_, test := testOnly[r.Path]
		if !bin && !test {
			t.Errorf("go.mod requires %s, which neither the allowed list nor the testOnly list names; add it with its reason, or drop it", r.Path)
		}
	}
	for m := range testOnly {
		if !direct[m] {
			t.Errorf("testOnly names %s, which go.mod does not require directly; remove it from the list", m)
		}
	}
}
