// Package layout checks that the README's "Layout" section names every
// package of the module, and nothing that is not one, and that commands
// live only where commands belong: the binary in cmd/, developer commands
// in internal/devtools/ (issue 12).
package layout

import (
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/datelinehq/dateline/"

// packages returns the module's packages, relative to the module root,
// with the name of each.
func packages(t *testing.T) map[string]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{.Name}}", module+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string]string{}
	for line := range strings.Lines(string(out)) {
		path, name, _ := strings.Cut(strings.TrimSpace(line), " ")
		pkgs[strings.TrimPrefix(path, module)] = name
	}
	return pkgs
}

// layoutNames returns the package paths the README's Layout section
// names in backticks, relative to the module root: `cmd/...` and
// `internal/...` as they are, anything else under internal/.
func layoutNames(t *testing.T) []string {
	t.Helper()
	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Layout\n")
	if !ok {
		t.Fatal(`README.md has no "## Layout" section`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var names []string
	for _, m := range regexp.MustCompile("`([a-z0-9]+(?:/[a-z0-9]+)*)`").FindAllStringSubmatch(section, -1) {
		name := m[1]
		if !strings.HasPrefix(name, "cmd/") && !strings.HasPrefix(name, "internal/") {
			name = "internal/" + name
		}
		names = append(names, name)
	}
	return names
}

func TestReadmeNamesEveryPackage(t *testing.T) {
	pkgs := packages(t)
	names := layoutNames(t)
	for path := range pkgs {
		if !slices.Contains(names, path) {
			t.Errorf("README.md's Layout section does not name package %s; add it, in a few words, relative to internal/", path)
		}
	}
	for _, name := range names {
		if _, ok := pkgs[name]; !ok {
			t.Errorf("README.md's Layout section names %s, which is not a package of the module", name)
		}
	}
}

func TestCommandsLiveInCmdOrDevtools(t *testing.T) {
	for path, name := range packages(t) {
		if name == "main" && !strings.HasPrefix(path, "cmd/") && !strings.HasPrefix(path, "internal/devtools/") {
			t.Errorf("%s is a command; the binary's commands live in cmd/, developer commands in internal/devtools/", path)
		}
	}
}
