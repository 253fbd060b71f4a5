package media

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"

	"github.com/gen2brain/webp"
)

// Quality of the lossy encodings: below these, artefacts show on photos;
// above, the files grow faster than they improve.
const (
	jpegQuality = 82
	webpQuality = 80
	// webpMethod 2 (of 0 to 6; libwebp's default is 4) encodes 2 to 3
	// times faster in half the memory in its WASM build, for files 0 to
	// 6% larger at 0.1 to 0.6 dB less PSNR, measured on 1920-pixel
	// variants: the difference between meeting the target of 4 s and
	// 400 MB for a 24-megapixel photo (issue 13) and missing it.
	webpMethod = 2
)

// encode writes m in format f. None of the encoders writes metadata.
func encode(m *image.RGBA, f Format) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	switch f {
	case JPEG:
		err = jpeg.Encode(&buf, m, &jpeg.Options{Quality: jpegQuality})
	case PNG:
		err = png.Encode(&buf, m)
	case WebP:
		// Lossy, with the alpha channel kept (losslessly) when there is
		// one. libwebp takes non-premultiplied pixels, rows back to back.
		var src image.Image = m
		if !m.Opaque() || m.Stride != 4*m.Rect.Dx() {
			n := image.NewNRGBA(image.Rect(0, 0, m.Rect.Dx(), m.Rect.Dy()))
			draw.Draw(n, n.Rect, m, m.Rect.Min, draw.Src)
			src = n
		}
		err = webp.Encode(&buf, src, webp.Options{Quality: webpQuality, Method: webpMethod})
	default:
		err = fmt.Errorf("cannot encode %q", f)
	}
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
