package public

import (
	"bytes"
	"compress/gzip"
	"io"
	"os/exec"
	"strings"
	"testing"
)

// A page compressed around its hole must decompress, with any value in
// the hole, to exactly the page with that value: with Go's reader and
// with gzip(1), which is zlib's format as browsers read it.
func TestHoledGzip(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("<p>The harbour authority said the cranes cut waiting times.</p>\n", 2000)
	for _, test := range []struct {
		name, before, after string
	}{
		{"page", "<html><body>" + long + `<input name="dl_token" value="`, `"></form>` + long + "</body></html>"},
		{"empty before", "", "after the hole"},
		{"empty after", "before the hole", ""},
	} {
		for _, value := range []string{"", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.sig", strings.Repeat("é", 40000)} {
			g := newHoledGzip([]byte(test.before), []byte(test.after))
			gz := g.fill([]byte("garbage that fill must not keep"[:0]), value)
			want := test.before + value + test.after
			zr, err := gzip.NewReader(bytes.NewReader(gz))
			if err != nil {
				t.Fatalf("%s: %v", test.name, err)
			}
			got, err := io.ReadAll(zr)
			if err != nil || string(got) != want {
				t.Errorf("%s, value of %d bytes: got %d bytes (%v), want %d", test.name, len(value), len(got), err, len(want))
			}
			if path, err := exec.LookPath("gzip"); err == nil {
				cmd := exec.Command(path, "-dc")
				cmd.Stdin = bytes.NewReader(gz)
				out, err := cmd.Output()
				if err != nil || string(out) != want {
					t.Errorf("%s, value of %d bytes: gzip -dc: %v, %d bytes, want %d", test.name, len(value), err, len(out), len(want))
				}
			}
		}
	}
}
