// Package deps guards the dependencies of the dateline binary: every module
// it links must be on the list below, so that a new dependency is a
// decision someone wrote down rather than an accident of an import.
package deps

import (
	"os/exec"
	"sort"
	"strings"
	"testing"
)

// allowed maps each module the binary may link to the reason it is there.
var allowed = map[string]string{
	"github.com/datelinehq/dateline":     "Dateline itself",
	"github.com/yuin/goldmark":           "Markdown parsing and rendering",
	"modernc.org/sqlite":                 "the embedded SQLite store, pure Go",
	"github.com/microcosm-cc/bluemonday": "sanitising raw HTML in article bodies",
	"github.com/aymerick/douceur":        "required by bluemonday (CSS parsing)",
	"github.com/gorilla/css":             "required by bluemonday (CSS parsing)",
	"golang.org/x/net":                   "required by bluemonday (HTML parsing)",
	"modernc.org/libc":                   "required by modernc.org/sqlite",
	"modernc.org/mathutil":               "required by modernc.org/sqlite",
	"modernc.org/memory":                 "required by modernc.org/sqlite",
	"github.com/remyoudompheng/bigfft":   "required by modernc.org/mathutil",
	"github.com/dustin/go-humanize":      "required by modernc.org/sqlite",
	"github.com/google/uuid":             "required by modernc.org/sqlite",
	"github.com/jackc/pgx/v5":            "the PostgreSQL store",
	"github.com/jackc/pgpassfile":        "required by pgx",
	"github.com/jackc/pgservicefile":     "required by pgx",
	"github.com/jackc/puddle/v2":         "required by pgx's pool",
	"golang.org/x/sync":                  "required by pgx's pool",
	"go.yaml.in/yaml/v3":                 "YAML front matter of imported Markdown",
	"github.com/kljensen/snowball":       "the Snowball stemmer for the linking engine",
	"golang.org/x/text":                  "Unicode normalisation for slugs",
	"golang.org/x/term":                  "telling whether stdout is a terminal",
	"golang.org/x/sys":                   "required by x/term and modernc.org/libc",
	"github.com/schollz/progressbar/v3":  "the import progress bar",
	"github.com/mitchellh/colorstring":   "required by progressbar",
	"github.com/rivo/uniseg":             "required by progressbar",
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
