package media

import (
	"fmt"
	"image"
	"image/color"
	"testing"
)

// TestShrink checks the box average of each decoded type against one
// computed naively through At, including the cut boxes of the edges.
func TestShrink(t *testing.T) {
	t.Parallel()
	const w, h = 8, 7
	colour := func(x, y int) color.NRGBA {
		return color.NRGBA{uint8(30 * x), uint8(35 * y), uint8(200 - 20*x + 10*y), uint8(255 - 25*x)}
	}
	nrgba := image.NewNRGBA(image.Rect(0, 0, w, h))
	ycc := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	gray := image.NewGray(image.Rect(0, 0, w, h))
	cmyk := image.NewCMYK(image.Rect(0, 0, w, h))
	rgba64 := image.NewNRGBA64(image.Rect(0, 0, w, h))
	pal := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{color.Black, color.White, color.RGBA{200, 10, 10, 255}, color.Transparent})
	for y := range h {
		for x := range w {
			c := colour(x, y)
			nrgba.SetNRGBA(x, y, c)
			yy, cb, cr := color.RGBToYCbCr(c.R, c.G, c.B)
			ycc.Y[ycc.YOffset(x, y)] = yy
			ycc.Cb[ycc.COffset(x, y)], ycc.Cr[ycc.COffset(x, y)] = cb, cr
			gray.SetGray(x, y, color.Gray{c.R})
			cmyk.SetCMYK(x, y, color.CMYK{c.R, c.G, c.B, c.A / 4})
			rgba64.Set(x, y, c)
			pal.SetColorIndex(x, y, uint8(x*y%4))
		}
	}
	rgba := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			rgba.Set(x, y, colour(x, y))
		}
	}
	// A sub-image starts elsewhere than (0, 0).
	sub := image.NewRGBA(image.Rect(-3, 5, w-3, h+5))
	for y := range h {
		for x := range w {
			sub.Set(x-3, y+5, colour(x, y))
		}
	}
	for _, src := range []image.Image{nrgba, ycc, gray, cmyk, rgba64, pal, rgba, sub} {
		for _, k := range []int{1, 2, 3, 8} {
			t.Run(fmt.Sprintf("%T by %d", src, k), func(t *testing.T) {
				got := shrink(src, k)
				want := image.Rect(0, 0, (w+k-1)/k, (h+k-1)/k)
				if got.Rect != want {
					t.Fatalf("shrink by %d: %v, want %v", k, got.Rect, want)
				}
				b := src.Bounds()
				for dy := range want.Dy() {
					for dx := range want.Dx() {
						var sum [4]uint32
						n := uint32(0)
						for y := dy * k; y < min(h, (dy+1)*k); y++ {
							for x := dx * k; x < min(w, (dx+1)*k); x++ {
								r, g, bl, a := src.At(b.Min.X+x, b.Min.Y+y).RGBA()
								sum[0], sum[1], sum[2], sum[3] = sum[0]+r>>8, sum[1]+g>>8, sum[2]+bl>>8, sum[3]+a>>8
								n++
							}
						}
						c := got.RGBAAt(dx, dy)
						for i, v := range []uint8{c.R, c.G, c.B, c.A} {
							if d := int(v) - int((sum[i]+n/2)/n); d < -1 || d > 1 {
								t.Errorf("box (%d, %d): %v, want the average %v of %d pixels", dx, dy, c, sum, n)
								break
							}
						}
					}
				}
			})
		}
	}
}

func TestCentreCrop(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		w, h, aw, ah int
		want         image.Rectangle
	}{
		{6000, 4000, 1, 1, image.Rect(1000, 0, 5000, 4000)},
		{6000, 4000, 16, 9, image.Rect(0, 312, 6000, 3687)},
		{4000, 6000, 1200, 630, image.Rect(0, 1950, 4000, 4050)},
		{1, 1000, 16, 9, image.Rect(0, 499, 1, 500)},
		{1000, 1, 1, 1, image.Rect(499, 0, 500, 1)},
	} {
		if got := centreCrop(test.w, test.h, test.aw, test.ah); got != test.want {
			t.Errorf("centreCrop(%d, %d, %d:%d) = %v, want %v", test.w, test.h, test.aw, test.ah, got, test.want)
		}
	}
}
