package media

import "strings"

// Format is an image format Dateline accepts.
type Format string

// The formats an upload may have. SVG is not one: it can carry scripts.
const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
	GIF  Format = "gif"
	WebP Format = "webp"
)

// MIME is the format's media type.
func (f Format) MIME() string { return "image/" + string(f) }

// Ext is the file extension of the format, without the dot.
func (f Format) Ext() string {
	if f == JPEG {
		return "jpg"
	}
	return string(f)
}

// FormatFromExt names the format of a file extension (with or without
// the dot, in any case).
func FormatFromExt(ext string) (Format, bool) {
	switch strings.ToLower(strings.TrimPrefix(ext, ".")) {
	case "jpg", "jpeg":
		return JPEG, true
	case "png":
		return PNG, true
	case "gif":
		return GIF, true
	case "webp":
		return WebP, true
	}
	return "", false
}
