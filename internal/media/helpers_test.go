package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

// process runs a default processor on b and fails the test on an error.
func process(t *testing.T, b []byte) *Result {
	t.Helper()
	res, err := NewProcessor(DefaultLimits(), 2).Process(context.Background(), b)
	if err != nil {
		t.Fatalf("Process: %v", err)
	}
	return res
}

// decodeVariant decodes an encoded variant, checking that its bytes are
// of its format and its size is the one it claims.
func decodeVariant(t *testing.T, e Encoded) image.Image {
	t.Helper()
	f, err := Sniff(e.Data)
	if err != nil || f != e.Variant.Format {
		t.Fatalf("%s: the bytes sniff as %q (%v)", e.Variant.File(), f, err)
	}
	var m image.Image
	switch f {
	case JPEG:
		m, err = jpeg.Decode(bytes.NewReader(e.Data))
	case PNG:
		m, err = png.Decode(bytes.NewReader(e.Data))
	case WebP:
		m, err = decodeWebP(bytes.NewReader(e.Data)) // as browsers decode it
	}
	if err != nil {
		t.Fatalf("%s: decode: %v", e.Variant.File(), err)
	}
	if b := m.Bounds(); b.Dx() != e.Variant.Width || b.Dy() != e.Variant.Height {
		t.Fatalf("%s: decodes to %d×%d, claims %d×%d", e.Variant.File(), b.Dx(), b.Dy(), e.Variant.Width, e.Variant.Height)
	}
	return m
}

// variant returns the result's variant of that name and format.
func variant(t *testing.T, res *Result, name string, f Format) Encoded {
	t.Helper()
	for _, e := range res.Variants {
		if e.Variant.Name == name && e.Variant.Format == f {
			return e
		}
	}
	var have []string
	for _, e := range res.Variants {
		have = append(have, e.Variant.File())
	}
	t.Fatalf("no variant %s.%s among %v", name, f.Ext(), have)
	return Encoded{}
}

// wantColour fails the test unless pixel (x, y) of m is within tol of
// want in each non-premultiplied channel.
func wantColour(t *testing.T, what string, m image.Image, x, y int, want color.NRGBA, tol int) {
	t.Helper()
	got := color.NRGBAModel.Convert(m.At(m.Bounds().Min.X+x, m.Bounds().Min.Y+y)).(color.NRGBA)
	// The colour of a transparent pixel means nothing.
	if want.A == 0 && int(got.A) <= tol {
		return
	}
	d := func(a, b uint8) int { return max(int(a)-int(b), int(b)-int(a)) }
	if d(got.R, want.R) > tol || d(got.G, want.G) > tol || d(got.B, want.B) > tol || d(got.A, want.A) > tol {
		t.Errorf("%s: pixel (%d, %d) is %v, want %v (±%d)", what, x, y, got, want, tol)
	}
}

// encodePNG encodes m as a PNG.
func encodePNG(t *testing.T, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// encodeJPEG encodes m as a JPEG, at quality 95.
func encodeJPEG(t *testing.T, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// jpegMarkers lists the markers of a JPEG's segments up to the start of
// the scan, where the headers (and any metadata) end.
func jpegMarkers(t *testing.T, b []byte) []byte {
	t.Helper()
	if len(b) < 2 || b[0] != 0xff || b[1] != 0xd8 {
		t.Fatalf("not a JPEG: starts % x", b[:min(len(b), 4)])
	}
	var markers []byte
	for p := 2; ; {
		if p+4 > len(b) || b[p] != 0xff {
			t.Fatalf("JPEG segment at byte %d is damaged", p)
		}
		marker := b[p+1]
		markers = append(markers, marker)
		if marker == 0xda { // start of scan
			return markers
		}
		p += 2 + int(binary.BigEndian.Uint16(b[p+2:]))
	}
}

// riffChunks lists the chunk types of a WebP file.
func riffChunks(t *testing.T, b []byte) []string {
	t.Helper()
	var chunks []string
	for p := 12; p+8 <= len(b); {
		chunks = append(chunks, string(b[p:p+4]))
		n := int(binary.LittleEndian.Uint32(b[p+4:]))
		p += 8 + n + n%2
	}
	return chunks
}

// pngChunks lists the chunk types of a PNG file.
func pngChunks(t *testing.T, b []byte) []string {
	t.Helper()
	var chunks []string
	for p := 8; p+8 <= len(b); {
		n := int(binary.BigEndian.Uint32(b[p:]))
		chunks = append(chunks, string(b[p+4:p+8]))
		p += 12 + n
	}
	return chunks
}
