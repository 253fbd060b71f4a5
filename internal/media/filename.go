package media

import (
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxFilenameLen is the longest file name kept, in bytes.
const MaxFilenameLen = 200

// CleanFilename makes an uploaded file name safe to keep and to show: its
// base name only (no directories, whether written with / or \), without
// control characters (NUL among them), invalid UTF-8 or the Unicode
// controls that reverse text ("photo\u202Egpj.exe"), trimmed, at most
// MaxFilenameLen bytes with its extension kept, and "image" when nothing
// is left.
func CleanFilename(name string) string {
	name = strings.ReplaceAll(strings.ToValidUTF8(name, ""), `\`, "/")
	name = name[strings.LastIndex(name, "/")+1:]
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if len(name) > MaxFilenameLen {
		ext := path.Ext(name)
		if len(ext) > 16 {
			ext = ""
		}
		name = truncate(strings.TrimSuffix(name, ext), MaxFilenameLen-len(ext)) + ext
	}
	// No hidden names and no "." or "..": dots lead nowhere.
	name = strings.TrimSpace(strings.TrimLeft(name, "."))
	if name == "" {
		return "image"
	}
	return name
}

// truncate cuts s to at most n bytes without splitting a character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strings.TrimSpace(s[:n])
}
