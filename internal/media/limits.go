package media

import (
	"bytes"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"strings"

	"golang.org/x/image/webp"
)

// Limits bound what one upload may cost: its bytes, its pixels and, for a
// GIF, its frames.
type Limits struct {
	MaxBytes int64 // largest upload accepted
	// MaxPixels caps width×height, read from the header before decoding:
	// a file of a few kilobytes can claim an image of gigabytes.
	MaxPixels int64
	MaxFrames int // most frames of a GIF
}

// DefaultLimits are 25 MiB, 50 megapixels (a 24-megapixel photo passes
// with room to spare) and 100 GIF frames.
func DefaultLimits() Limits {
	return Limits{MaxBytes: 25 << 20, MaxPixels: 50_000_000, MaxFrames: 100}
}

// orDefaults fills the zero (or negative) fields with the defaults.
func (l Limits) orDefaults() Limits {
	d := DefaultLimits()
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = d.MaxPixels
	}
	if l.MaxFrames <= 0 {
		l.MaxFrames = d.MaxFrames
	}
	return l
}

// Read reads an upload, but never more than one byte past MaxBytes; an
// upload over the limit wraps ErrTooLarge.
func (l Limits) Read(r io.Reader) ([]byte, error) {
	l = l.orDefaults()
	b, err := io.ReadAll(io.LimitReader(r, l.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	if int64(len(b)) > l.MaxBytes {
		return nil, fmt.Errorf("%w: the file is over the limit of %s", ErrTooLarge, formatBytes(l.MaxBytes))
	}
	return b, nil
}

// Header is what Check learns of an upload without decoding its pixels.
type Header struct {
	Format        Format
	Width, Height int // as shown, after the EXIF orientation
	// Orientation is the EXIF orientation, 1 to 8; 1 when the file has
	// none.
	Orientation int
	Frames      int // 1 but for an animated GIF
}

// Check refuses an upload the limits do not allow, or whose header is not
// an image's, reading no more than the header and the metadata, so that
// an upload can be refused at once while its variants are made later.
// The size wraps ErrTooLarge; everything else wraps ErrInvalid.
func (l Limits) Check(b []byte) (Header, error) {
	l = l.orDefaults()
	if n := int64(len(b)); n > l.MaxBytes {
		size, limit := formatBytes(n), formatBytes(l.MaxBytes)
		if size == limit || size == strings.TrimSuffix(limit, " MiB")+".0 MiB" {
			// Just over: rounding would make the two look alike.
			size, limit = fmt.Sprintf("%d bytes", n), fmt.Sprintf("%s (%d bytes)", limit, l.MaxBytes)
		}
		return Header{}, fmt.Errorf("%w: the file is %s; the limit is %s", ErrTooLarge, size, limit)
	}
	f, err := Sniff(b)
	if err != nil {
		return Header{}, err
	}
	var cfg image.Config
	switch f {
	case JPEG:
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(b))
	case PNG:
		cfg, err = png.DecodeConfig(bytes.NewReader(b))
	case GIF:
		cfg, err = gif.DecodeConfig(bytes.NewReader(b))
	case WebP:
		if webpAnimated(b) {
			return Header{}, fmt.Errorf("%w: animated WebP is not accepted; upload a GIF or a still image", ErrInvalid)
		}
		cfg, err = webp.DecodeConfig(bytes.NewReader(b))
	}
	if err != nil {
		return Header{}, fmt.Errorf("%w: the %s header cannot be read, the file may be damaged: %v", ErrInvalid, f.name(), err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return Header{}, fmt.Errorf("%w: the %s claims a size of %d×%d pixels", ErrInvalid, f.name(), cfg.Width, cfg.Height)
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > l.MaxPixels {
		return Header{}, fmt.Errorf("%w: the image is %d×%d pixels (%s); the limit is %s",
			ErrInvalid, cfg.Width, cfg.Height, megapixels(px), megapixels(l.MaxPixels))
	}
	h := Header{Format: f, Width: cfg.Width, Height: cfg.Height, Orientation: 1, Frames: 1}
	if f == GIF {
		if h.Frames, err = l.checkGIFFrames(b); err != nil {
			return Header{}, err
		}
		return h, nil
	}
	h.Orientation = orientation(f, b)
	if h.Orientation >= 5 {
		h.Width, h.Height = h.Height, h.Width
	}
	return h, nil
}

// checkGIFFrames counts a GIF's frames and their pixels by walking its
// blocks, without decompressing any. The frames together may hold at most
// MaxPixels: only the first is used, but each one costs its full size to
// decode.
func (l Limits) checkGIFFrames(b []byte) (int, error) {
	frames, pixels := 0, int64(0)
	err := walkGIF(b, func(w, h int) {
		frames++
		pixels += int64(w) * int64(h)
	})
	switch {
	case err != nil:
		return 0, fmt.Errorf("%w: the GIF is damaged: %v", ErrInvalid, err)
	case frames == 0:
		return 0, fmt.Errorf("%w: the GIF has no frames", ErrInvalid)
	case frames > l.MaxFrames:
		return 0, fmt.Errorf("%w: the GIF has %d frames; at most %d are accepted", ErrInvalid, frames, l.MaxFrames)
	case pixels > l.MaxPixels:
		return 0, fmt.Errorf("%w: the GIF's %d frames hold %s together; the limit is %s",
			ErrInvalid, frames, megapixels(pixels), megapixels(l.MaxPixels))
	}
	return frames, nil
}

// walkGIF calls frame with the size of each image of a GIF, in order. A
// GIF cut short after its last frame (no trailer) is not an error here:
// the decoder judges the data.
func walkGIF(b []byte, frame func(w, h int)) error {
	if len(b) < 13 {
		return io.ErrUnexpectedEOF
	}
	p := 13
	if flags := b[10]; flags&0x80 != 0 {
		p += 3 << (flags&7 + 1) // the global colour table
	}
	// skipSubBlocks moves p past a run of data sub-blocks.
	skipSubBlocks := func() error {
		for {
			if p >= len(b) {
				return io.ErrUnexpectedEOF
			}
			n := int(b[p])
			p += 1 + n
			if n == 0 {
				return nil
			}
		}
	}
	for p < len(b) {
		switch b[p] {
		case 0x21: // extension: a label, then sub-blocks
			p += 2
			if err := skipSubBlocks(); err != nil {
				return err
			}
		case 0x2c: // image descriptor
			if p+10 > len(b) {
				return io.ErrUnexpectedEOF
			}
			w := int(b[p+5]) | int(b[p+6])<<8
			h := int(b[p+7]) | int(b[p+8])<<8
			flags := b[p+9]
			p += 10
			if flags&0x80 != 0 {
				p += 3 << (flags&7 + 1) // the local colour table
			}
			p++ // the LZW minimum code size
			frame(w, h)
			if err := skipSubBlocks(); err != nil {
				return err
			}
		case 0x3b: // trailer
			return nil
		default:
			return fmt.Errorf("unknown block type 0x%02x at byte %d", b[p], p)
		}
	}
	return nil
}

// webpAnimated reports whether a WebP file's VP8X header says it is
// animated: the WebP decoder reads still images only.
func webpAnimated(b []byte) bool {
	const animation = 1 << 1
	return len(b) >= 21 && string(b[12:16]) == "VP8X" && b[20]&animation != 0
}

// name is the format as people write it, for messages.
func (f Format) name() string {
	switch f {
	case JPEG:
		return "JPEG"
	case PNG:
		return "PNG"
	case GIF:
		return "GIF"
	case WebP:
		return "WebP"
	}
	return string(f)
}

// formatBytes writes a size in bytes, KiB or MiB.
func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// megapixels writes a pixel count in megapixels, or pixels when small.
func megapixels(n int64) string {
	if n < 100_000 {
		return fmt.Sprintf("%d pixels", n)
	}
	if n%1_000_000 == 0 {
		return fmt.Sprintf("%d megapixels", n/1_000_000)
	}
	return fmt.Sprintf("%.1f megapixels", float64(n)/1e6)
}
