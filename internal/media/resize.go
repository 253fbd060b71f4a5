package media

import (
	"image"
	"image/color"
	stddraw "image/draw"
	"runtime"
	"sync"

	"golang.org/x/image/draw"
)

// shrink makes an RGBA copy of src, k times smaller each way, each pixel
// the average of a k×k box (the boxes on the right and bottom edges may
// be cut short). It is the cheap first step from a 24-megapixel decode:
// a box average is the right filter for whole factors and reads each
// pixel once, and it leaves the good filter, which costs memory in
// proportion to its source, a source little larger than its targets.
func shrink(src image.Image, k int) *image.RGBA {
	b := src.Bounds()
	if k <= 1 {
		dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
		stddraw.Draw(dst, dst.Rect, src, b.Min, stddraw.Src)
		return dst
	}
	w, h := (b.Dx()+k-1)/k, (b.Dy()+k-1)/k
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	rowsInParallel(h, func(y0, y1 int) {
		// sum holds a row of boxes: premultiplied red, green, blue, alpha.
		sum := make([]uint32, 4*w)
		for dy := y0; dy < y1; dy++ {
			clear(sum)
			top, bottom := dy*k, min((dy+1)*k, b.Dy())
			for sy := top; sy < bottom; sy++ {
				addRow(sum, src, b.Min.Y+sy, k)
			}
			row := dst.Pix[dy*dst.Stride:]
			for dx := range w {
				n := uint32((bottom - top) * (min((dx+1)*k, b.Dx()) - dx*k))
				for c := range 4 {
					row[4*dx+c] = uint8((sum[4*dx+c] + n/2) / n)
				}
			}
		}
	})
	return dst
}

// addRow adds row y of src to the box sums, k source pixels to a box.
// The common decoded types are read directly; the rest (16-bit,
// paletted) through RGBA64At, which is slower but rarer.
func addRow(sum []uint32, src image.Image, y, k int) {
	b := src.Bounds()
	switch m := src.(type) {
	case *image.YCbCr:
		for x := b.Min.X; x < b.Max.X; x++ {
			yi, ci := m.YOffset(x, y), m.COffset(x, y)
			r, g, bl := color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
			i := 4 * ((x - b.Min.X) / k)
			sum[i] += uint32(r)
			sum[i+1] += uint32(g)
			sum[i+2] += uint32(bl)
			sum[i+3] += 0xff
		}
	case *image.Gray:
		row := m.Pix[m.PixOffset(b.Min.X, y):]
		for x := range b.Dx() {
			v := uint32(row[x])
			i := 4 * (x / k)
			sum[i] += v
			sum[i+1] += v
			sum[i+2] += v
			sum[i+3] += 0xff
		}
	case *image.RGBA:
		row := m.Pix[m.PixOffset(b.Min.X, y):]
		for x := range b.Dx() {
			i := 4 * (x / k)
			sum[i] += uint32(row[4*x])
			sum[i+1] += uint32(row[4*x+1])
			sum[i+2] += uint32(row[4*x+2])
			sum[i+3] += uint32(row[4*x+3])
		}
	case *image.NRGBA:
		row := m.Pix[m.PixOffset(b.Min.X, y):]
		for x := range b.Dx() {
			a := uint32(row[4*x+3])
			i := 4 * (x / k)
			sum[i] += (uint32(row[4*x])*a + 127) / 255
			sum[i+1] += (uint32(row[4*x+1])*a + 127) / 255
			sum[i+2] += (uint32(row[4*x+2])*a + 127) / 255
			sum[i+3] += a
		}
	case *image.CMYK:
		row := m.Pix[m.PixOffset(b.Min.X, y):]
		for x := range b.Dx() {
			r, g, bl := color.CMYKToRGB(row[4*x], row[4*x+1], row[4*x+2], row[4*x+3])
			i := 4 * (x / k)
			sum[i] += uint32(r)
			sum[i+1] += uint32(g)
			sum[i+2] += uint32(bl)
			sum[i+3] += 0xff
		}
	case image.RGBA64Image:
		for x := b.Min.X; x < b.Max.X; x++ {
			c := m.RGBA64At(x, y)
			i := 4 * ((x - b.Min.X) / k)
			sum[i] += uint32(c.R >> 8)
			sum[i+1] += uint32(c.G >> 8)
			sum[i+2] += uint32(c.B >> 8)
			sum[i+3] += uint32(c.A >> 8)
		}
	default:
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := m.At(x, y).RGBA()
			i := 4 * ((x - b.Min.X) / k)
			sum[i] += r >> 8
			sum[i+1] += g >> 8
			sum[i+2] += bl >> 8
			sum[i+3] += a >> 8
		}
	}
}

// rowsInParallel splits rows 0 to n among the processors.
func rowsInParallel(n int, f func(y0, y1 int)) {
	parts := min(runtime.GOMAXPROCS(0), n)
	if parts <= 1 {
		f(0, n)
		return
	}
	var wg sync.WaitGroup
	for i := range parts {
		wg.Go(func() { f(i*n/parts, (i+1)*n/parts) })
	}
	wg.Wait()
}

// resize scales the part r of src to w×h with the Catmull-Rom filter,
// sharp without the ringing of Lanczos. It never needs to enlarge: the
// plan picks sources at least as large as their targets.
func resize(src *image.RGBA, r image.Rectangle, w, h int) *image.RGBA {
	if r == src.Rect && w == r.Dx() && h == r.Dy() {
		return src
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(dst, dst.Rect, src, r, draw.Src, nil)
	return dst
}

// centreCrop is the largest rectangle of aspect ratio aw:ah inside a
// w×h image, centred.
func centreCrop(w, h, aw, ah int) image.Rectangle {
	cw, ch := w, h
	if w*ah >= h*aw {
		cw = max(1, min(w, (h*aw+ah/2)/ah))
	} else {
		ch = max(1, min(h, (w*ah+aw/2)/aw))
	}
	x, y := (w-cw)/2, (h-ch)/2
	return image.Rect(x, y, x+cw, y+ch)
}
