package media

import (
	"image"
	"io"

	"golang.org/x/image/webp"
)

// decodeWebP decodes a still WebP. x/image/webp returns a lossy WebP's
// pixels as image.YCbCr (image.NYCbCrA with alpha), which Go converts to
// RGB as JPEG's full-range YCbCr; but VP8 stores BT.601's video range
// (luma 16 to 235), so read that way black turns grey and white dull
// (golang/go#40173). Its planes are converted here as libwebp converts
// them. Lossless WebPs decode to NRGBA and need nothing.
func decodeWebP(r io.Reader) (image.Image, error) {
	m, err := webp.Decode(r)
	if err != nil {
		return nil, err
	}
	switch m := m.(type) {
	case *image.YCbCr:
		return vp8ToNRGBA(m, nil), nil
	case *image.NYCbCrA:
		return vp8ToNRGBA(&m.YCbCr, m), nil
	}
	return m, nil
}

// vp8ToNRGBA converts video-range YCbCr planes, and the alpha of a when
// there is one, to NRGBA, with libwebp's fixed-point formulas (yuv.h)
// and its chroma taken as stored, without interpolation.
func vp8ToNRGBA(m *image.YCbCr, a *image.NYCbCrA) *image.NRGBA {
	b := m.Rect
	dst := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	rowsInParallel(b.Dy(), func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			row := dst.Pix[y*dst.Stride:]
			for x := range b.Dx() {
				sx, sy := b.Min.X+x, b.Min.Y+y
				yi, ci := m.YOffset(sx, sy), m.COffset(sx, sy)
				yy := mulHi(int(m.Y[yi]), 19077)
				u, v := int(m.Cb[ci]), int(m.Cr[ci])
				row[4*x] = clip8(yy + mulHi(v, 26149) - 14234)
				row[4*x+1] = clip8(yy - mulHi(u, 6419) - mulHi(v, 13320) + 8708)
				row[4*x+2] = clip8(yy + mulHi(u, 33050) - 17685)
				row[4*x+3] = 0xff
				if a != nil {
					row[4*x+3] = a.A[a.AOffset(sx, sy)]
				}
			}
		}
	})
	return dst
}

func mulHi(v, coeff int) int { return v * coeff >> 8 }

// clip8 takes a value with six fractional bits to a byte, clamped.
func clip8(v int) uint8 {
	const mask = 256<<6 - 1
	switch {
	case v&^mask == 0:
		return uint8(v >> 6)
	case v < 0:
		return 0
	}
	return 255
}
