package media

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
)

// Sniff names the format of an upload from its bytes, never from its file
// name, which the uploader chose. It refuses an empty file, SVG (it can
// carry scripts), HTML and anything else that is not a JPEG, PNG, GIF or
// WebP image, with a message naming what the bytes look like; every
// refusal wraps ErrInvalid.
func Sniff(b []byte) (Format, error) {
	switch {
	case len(b) == 0:
		return "", fmt.Errorf("%w: the file is empty", ErrInvalid)
	case bytes.HasPrefix(b, []byte("\xff\xd8\xff")):
		return JPEG, nil
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return PNG, nil
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return GIF, nil
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return WebP, nil
	}
	return "", fmt.Errorf("%w: %s", ErrInvalid, notAnImage(b))
}

// notAnImage says what bytes that are not an accepted image look like.
func notAnImage(b []byte) string {
	const accepted = "not a JPEG, PNG, GIF or WebP image"
	head := b[:min(len(b), 1024)]
	text := strings.ToLower(string(bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")))
	// SVG comes first: it is XML, and often starts with a comment that
	// would otherwise pass for HTML.
	if strings.Contains(text, "<svg") {
		return "SVG is not accepted: it can carry scripts"
	}
	if len(b) >= 12 && string(b[4:8]) == "ftyp" {
		switch brand := string(b[8:12]); brand {
		case "heic", "heix", "hevc", "heim", "heis", "mif1", "msf1":
			return "the file is a HEIC/HEIF photo, " + accepted + "; export it as JPEG (iPhones: Settings, Camera, Formats, Most Compatible)"
		case "avif", "avis":
			return "the file is an AVIF image, " + accepted
		default:
			return fmt.Sprintf("the file is an MP4/QuickTime container (brand %q), %s", strings.TrimSpace(brand), accepted)
		}
	}
	switch {
	case bytes.HasPrefix(b, []byte("II*\x00")), bytes.HasPrefix(b, []byte("MM\x00*")):
		return "the file is a TIFF image or a camera's raw file, " + accepted
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return "the file is a PDF document, " + accepted
	case len(b) >= 12 && string(b[:4]) == "RIFF":
		return fmt.Sprintf("the file is a RIFF container of type %q (audio or video?), %s", b[8:12], accepted)
	}
	ct := http.DetectContentType(b)
	kind, _, _ := strings.Cut(ct, ";")
	switch kind {
	case "text/html":
		return "the file is HTML, " + accepted
	case "text/xml":
		return "the file is an XML document, " + accepted
	case "text/plain":
		return "the file is text, " + accepted
	case "application/octet-stream":
		return fmt.Sprintf("the file is %s (it starts with % x)", accepted, b[:min(len(b), 8)])
	}
	return fmt.Sprintf("the file is %s, %s", kind, accepted)
}
