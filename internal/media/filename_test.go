package media

import (
	"strings"
	"testing"
)

func TestCleanFilename(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 150) + ".jpeg" // 305 bytes
	for _, test := range []struct {
		name, in, want string
	}{
		{"plain", "Mayor at the opening.jpg", "Mayor at the opening.jpg"},
		{"parent directories", "../../x.jpg", "x.jpg"},
		{"absolute path", "/etc/passwd", "passwd"},
		{"windows path", `C:\Users\ana\Pictures\flood.png`, "flood.png"},
		{"mixed separators", `..\../..\\evil.gif`, "evil.gif"},
		{"dots only", "..", "image"},
		{"a directory", "photos/", "image"},
		{"hidden file", ".htaccess", "htaccess"},
		{"NUL byte", "photo.jpg\x00.php", "photo.jpg.php"},
		{"control characters", "line\r\nbreak\t.jpg", "linebreak.jpg"},
		{"bidi override", "invoice\u202egpj.exe", "invoicegpj.exe"},
		{"invalid UTF-8", "caf\xe9.jpg", "caf.jpg"},
		{"spaces around", "   sunset.webp  ", "sunset.webp"},
		{"empty", "", "image"},
		{"spaces only", " \t ", "image"},
		{"too long, extension kept", long, strings.Repeat("é", 97) + ".jpeg"},
		{"too long, no extension", strings.Repeat("a", 300), strings.Repeat("a", 200)},
		{"unicode kept", "Überschwemmung – Köln 2026.jpg", "Überschwemmung – Köln 2026.jpg"},
	} {
		t.Run(test.name, func(t *testing.T) {
			got := CleanFilename(test.in)
			if got != test.want {
				t.Errorf("CleanFilename(%q) = %q, want %q", test.in, got, test.want)
			}
			if len(got) > MaxFilenameLen {
				t.Errorf("CleanFilename(%q) is %d bytes long", test.in, len(got))
			}
		})
	}
}
