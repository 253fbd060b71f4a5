package media

import (
	"bytes"
	"image"

	"github.com/bep/imagemeta"
)

// orientation reads the EXIF orientation of an image: 1 (as stored) to 8.
// Metadata that cannot be read counts as none: a camera's broken EXIF is
// no reason to refuse its photo, and at worst the photo shows as stored.
func orientation(f Format, b []byte) int {
	var format imagemeta.ImageFormat
	switch f {
	case JPEG:
		format = imagemeta.JPEG
	case PNG:
		format = imagemeta.PNG
	case WebP:
		format = imagemeta.WebP
	default:
		return 1
	}
	o := 1
	_, err := imagemeta.Decode(imagemeta.Options{
		R:           bytes.NewReader(b),
		ImageFormat: format,
		Sources:     imagemeta.EXIF,
		ShouldHandleTag: func(ti imagemeta.TagInfo) bool {
			return ti.Tag == "Orientation" && ti.Namespace == "IFD0"
		},
		HandleTag: func(ti imagemeta.TagInfo) error {
			if v, ok := ti.Value.(uint16); ok && v >= 1 && v <= 8 {
				o = int(v)
			}
			return imagemeta.ErrStopWalking
		},
	})
	if err != nil {
		return 1
	}
	return o
}

// orient turns an image stored with an EXIF orientation into the image as
// it is meant to be seen.
func orient(m *image.RGBA, o int) *image.RGBA {
	if o <= 1 || o > 8 {
		return m
	}
	w, h := m.Rect.Dx(), m.Rect.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := range dh {
		for x := range dw {
			// (sx, sy) is the stored pixel shown at (x, y).
			var sx, sy int
			switch o {
			case 2: // mirrored
				sx, sy = w-1-x, y
			case 3: // upside down
				sx, sy = w-1-x, h-1-y
			case 4: // mirrored upside down
				sx, sy = x, h-1-y
			case 5: // mirrored and turned: transposed
				sx, sy = y, x
			case 6: // to be turned a quarter clockwise
				sx, sy = y, h-1-x
			case 7: // transposed the other way
				sx, sy = w-1-y, h-1-x
			case 8: // to be turned a quarter anticlockwise
				sx, sy = w-1-y, x
			}
			si := m.PixOffset(m.Rect.Min.X+sx, m.Rect.Min.Y+sy)
			copy(dst.Pix[y*dst.Stride+x*4:y*dst.Stride+x*4+4], m.Pix[si:si+4])
		}
	}
	return dst
}
