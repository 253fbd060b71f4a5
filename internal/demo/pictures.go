package demo

import (
	"image"
	"image/color"
	"math"
)

// The demo's pictures are drawn by the code below as the demo loads: no
// photograph is copied, and no image file is kept in the repository.
// Like the demo's articles, they are ours; we release them under CC0 1.0
// (no rights reserved), so anyone may reuse them for anything.

// Picture is an illustration for demo articles.
type Picture struct {
	Name, Alt, Caption string
	draw               func(m *image.RGBA)
}

// Credit is the credit line of every demo picture.
const Credit = "Drawn by Dateline's demo (CC0)"

// Size of the demo pictures: wide enough for Google's large previews.
const (
	PictureWidth  = 1600
	PictureHeight = 1000
)

// Draw returns the picture at PictureWidth × PictureHeight.
func (p Picture) Draw() *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, PictureWidth, PictureHeight))
	p.draw(m)
	return m
}

var (
	harbour = Picture{"harbour", "Container cranes over a harbour at dusk, the water orange under a setting sun",
		"Port Selvik at dusk: the new cranes over the container quay.", func(m *image.RGBA) {
			sky(m, rgb(252, 176, 96), rgb(78, 84, 150), 0.62)
			disc(m, 0.72, 0.5, 0.07, rgb(255, 214, 130)) // the sun
			water(m, 0.62, rgb(232, 130, 70), rgb(40, 50, 100))
			for i, x := range []float64{0.12, 0.3, 0.48} {
				crane(m, x, 0.62, 0.34+0.03*float64(i), rgb(30, 32, 48))
			}
			block(m, 0.05, 0.56, 0.62, 0.62, rgb(36, 38, 56))
		}}
	river = Picture{"river", "A river in flood between dykes under grey storm clouds, a barrier gate across it",
		"The Ems barrier, closed against an autumn storm.", func(m *image.RGBA) {
			sky(m, rgb(170, 180, 190), rgb(70, 80, 96), 0.55)
			hills(m, 0.55, 0.04, 3, rgb(70, 96, 72))
			water(m, 0.6, rgb(120, 130, 120), rgb(60, 70, 70))
			block(m, 0.35, 0.42, 0.65, 0.6, rgb(80, 84, 90))
			for x := 0.37; x < 0.64; x += 0.045 {
				block(m, x, 0.45, x+0.025, 0.6, rgb(170, 60, 50))
			}
		}}
	wind = Picture{"wind", "Wind turbines on green hills under a blue sky, a power line in front",
		"Wind farms on the coast feed the Skerra link.", func(m *image.RGBA) {
			sky(m, rgb(150, 200, 240), rgb(40, 110, 190), 0.7)
			hills(m, 0.62, 0.06, 2, rgb(96, 150, 80))
			for i, x := range []float64{0.2, 0.42, 0.63, 0.84} {
				turbine(m, x, 0.64-0.02*float64(i%2), 0.3, float64(i)*0.7, rgb(245, 245, 245))
			}
			hills(m, 0.8, 0.03, 5, rgb(70, 120, 60))
		}}
	tram = Picture{"tram", "A lit tram on a city street at night, shop windows glowing",
		"A night tram on Harbour Street.", func(m *image.RGBA) {
			sky(m, rgb(40, 44, 90), rgb(10, 12, 30), 0.6)
			for i := 0; i < 9; i++ {
				x := float64(i) * 0.115
				top := 0.22 + 0.12*math.Abs(math.Sin(float64(i)*1.7))
				block(m, x, top, x+0.105, 0.72, rgb(30, 32, 52))
				for y := top + 0.04; y < 0.66; y += 0.07 {
					block(m, x+0.02, y, x+0.045, y+0.035, rgb(250, 210, 120))
					block(m, x+0.06, y, x+0.085, y+0.035, rgb(240, 190, 100))
				}
			}
			block(m, 0, 0.72, 1, 1, rgb(50, 50, 60))
			block(m, 0.25, 0.55, 0.75, 0.8, rgb(200, 40, 50))
			for x := 0.28; x < 0.72; x += 0.08 {
				block(m, x, 0.58, x+0.06, 0.66, rgb(255, 240, 200))
			}
			block(m, 0, 0.86, 1, 0.87, rgb(160, 160, 170))
		}}
	hall = Picture{"hall", "A city hall with columns and a clock tower under a clear morning sky",
		"Selvik's city hall, where the council meets.", func(m *image.RGBA) {
			sky(m, rgb(200, 225, 245), rgb(110, 160, 215), 0.75)
			block(m, 0.2, 0.45, 0.8, 0.78, rgb(225, 215, 190))
			block(m, 0.45, 0.18, 0.55, 0.45, rgb(215, 205, 180))
			disc(m, 0.5, 0.28, 0.03, rgb(250, 250, 240))
			for x := 0.24; x < 0.78; x += 0.07 {
				block(m, x, 0.5, x+0.025, 0.78, rgb(245, 240, 225))
			}
			block(m, 0.18, 0.42, 0.82, 0.46, rgb(190, 180, 160))
			block(m, 0, 0.78, 1, 1, rgb(150, 150, 140))
		}}
	campus = Picture{"campus", "Brick university buildings and trees beside a green lawn in autumn",
		"The university quarter, where the new housing would go.", func(m *image.RGBA) {
			sky(m, rgb(230, 210, 180), rgb(150, 170, 200), 0.6)
			block(m, 0.05, 0.35, 0.45, 0.7, rgb(150, 70, 50))
			block(m, 0.55, 0.3, 0.95, 0.7, rgb(140, 64, 48))
			for _, b := range [][2]float64{{0.05, 0.45}, {0.55, 0.95}} {
				for x := b[0] + 0.03; x < b[1]-0.03; x += 0.06 {
					for y := 0.4; y < 0.66; y += 0.09 {
						block(m, x, y, x+0.03, y+0.05, rgb(240, 230, 200))
					}
				}
			}
			block(m, 0, 0.7, 1, 1, rgb(90, 140, 70))
			for _, x := range []float64{0.48, 0.5, 0.15, 0.82} {
				disc(m, x, 0.62, 0.06, rgb(200, 120, 40))
				block(m, x-0.005, 0.66, x+0.005, 0.74, rgb(80, 50, 30))
			}
		}}
)

// Pictures are the demo's illustrations.
var Pictures = []Picture{harbour, river, wind, tram, hall, campus}

// PictureFor names the picture of a demo article, by its file, or "" for
// none.
func PictureFor(file string) string {
	return map[string]string{
		"ems-ferry-electrification.md":  "harbour",
		"ems-flood-barriers.md":         "river",
		"ems-regional-election.md":      "hall",
		"night-tram-permanent-vote.md":  "tram",
		"night-tram-trial.md":           "tram",
		"old-harbour-water-quality.md":  "river",
		"port-selvik-cranes.md":         "harbour",
		"regional-council-budget.md":    "hall",
		"skerra-link-interconnector.md": "wind",
		"university-quarter-housing.md": "campus",
		"westmere-fisheries-treaty.md":  "harbour",
	}[file]
}

func rgb(r, g, b uint8) color.RGBA { return color.RGBA{r, g, b, 255} }

func mix(a, b color.RGBA, t float64) color.RGBA {
	f := func(x, y uint8) uint8 { return uint8(float64(x)*(1-t) + float64(y)*t) }
	return color.RGBA{f(a.R, b.R), f(a.G, b.G), f(a.B, b.B), 255}
}

// sky fills the picture with a gradient from bottom (at horizon, a
// fraction of the height) to top.
func sky(m *image.RGBA, low, high color.RGBA, horizon float64) {
	b := m.Bounds()
	for y := 0; y < b.Dy(); y++ {
		t := 1 - math.Min(1, float64(y)/(horizon*float64(b.Dy())))
		c := mix(low, high, t)
		for x := 0; x < b.Dx(); x++ {
			m.SetRGBA(x, y, c)
		}
	}
}

// water fills below the horizon with a gradient and light ripples.
func water(m *image.RGBA, horizon float64, near, far color.RGBA) {
	b := m.Bounds()
	top := int(horizon * float64(b.Dy()))
	for y := top; y < b.Dy(); y++ {
		t := float64(y-top) / float64(b.Dy()-top)
		c := mix(near, far, t)
		for x := 0; x < b.Dx(); x++ {
			if math.Sin(float64(x)*0.05+float64(y)*0.9) > 0.93 {
				m.SetRGBA(x, y, mix(c, rgb(255, 255, 255), 0.35))
			} else {
				m.SetRGBA(x, y, c)
			}
		}
	}
}

// block fills a rectangle given in fractions of the picture.
func block(m *image.RGBA, x0, y0, x1, y1 float64, c color.RGBA) {
	b := m.Bounds()
	for y := int(y0 * float64(b.Dy())); y < int(y1*float64(b.Dy())) && y < b.Dy(); y++ {
		for x := int(x0 * float64(b.Dx())); x < int(x1*float64(b.Dx())) && x < b.Dx(); x++ {
			m.SetRGBA(x, y, c)
		}
	}
}

// disc fills a circle; its radius is a fraction of the width.
func disc(m *image.RGBA, cx, cy, r float64, c color.RGBA) {
	b := m.Bounds()
	px, py, pr := cx*float64(b.Dx()), cy*float64(b.Dy()), r*float64(b.Dx())
	for y := int(py - pr); y <= int(py+pr); y++ {
		for x := int(px - pr); x <= int(px+pr); x++ {
			if (float64(x)-px)*(float64(x)-px)+(float64(y)-py)*(float64(y)-py) <= pr*pr && image.Pt(x, y).In(b) {
				m.SetRGBA(x, y, c)
			}
		}
	}
}

// hills fills below a wavy line around the height base.
func hills(m *image.RGBA, base, amp, waves float64, c color.RGBA) {
	b := m.Bounds()
	for x := 0; x < b.Dx(); x++ {
		fx := float64(x) / float64(b.Dx())
		top := int((base - amp*math.Sin(fx*waves*math.Pi)) * float64(b.Dy()))
		for y := max(top, 0); y < b.Dy(); y++ {
			m.SetRGBA(x, y, c)
		}
	}
}

// line draws a thick line between two points given in fractions.
func line(m *image.RGBA, x0, y0, x1, y1, width float64, c color.RGBA) {
	b := m.Bounds()
	w, h := float64(b.Dx()), float64(b.Dy())
	steps := int(math.Hypot((x1-x0)*w, (y1-y0)*h))
	for i := 0; i <= steps; i++ {
		t := float64(i) / float64(max(steps, 1))
		disc(m, x0+(x1-x0)*t, y0+(y1-y0)*t, width, c)
	}
}

// crane draws a container crane standing at x on the quay at base.
func crane(m *image.RGBA, x, base, height float64, c color.RGBA) {
	line(m, x, base, x, base-height, 0.004, c)
	line(m, x+0.05, base, x+0.05, base-height, 0.004, c)
	line(m, x-0.04, base-height, x+0.16, base-height, 0.004, c)
	line(m, x, base-height*0.6, x+0.05, base-height*0.6, 0.003, c)
	line(m, x+0.12, base-height, x+0.12, base-height*0.55, 0.0015, c)
}

// turbine draws a wind turbine at x on the ground at base.
func turbine(m *image.RGBA, x, base, height, angle float64, c color.RGBA) {
	hubY := base - height
	line(m, x, base, x, hubY, 0.003, c)
	for k := 0.0; k < 3; k++ {
		a := angle + k*2*math.Pi/3
		line(m, x, hubY, x+0.07*math.Cos(a)*0.625, hubY+0.07*math.Sin(a), 0.002, c)
	}
}
