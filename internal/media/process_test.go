package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"slices"
	"strings"
	"testing"

	"github.com/gen2brain/webp"
	"github.com/google/go-cmp/cmp"

	"github.com/datelinehq/dateline/internal/media/mediatest"
)

// TestOrientation makes a photo stored for each of the eight EXIF
// orientations and checks that its variants show it as meant.
func TestOrientation(t *testing.T) {
	t.Parallel()
	const w, h = 96, 48
	for o := 1; o <= 8; o++ {
		t.Run(fmt.Sprint(o), func(t *testing.T) {
			t.Parallel()
			in := mediatest.JPEG(mediatest.Stored(mediatest.Quarters(w, h), o), mediatest.EXIF{Orientation: o})
			if got, err := DefaultLimits().Check(in); err != nil || got.Orientation != o || got.Width != w || got.Height != h {
				t.Fatalf("Check = %+v, %v; want orientation %d, %d×%d", got, err, o, w, h)
			}
			res := process(t, in)
			if res.Width != w || res.Height != h {
				t.Fatalf("Process: the original is %d×%d, want %d×%d as shown", res.Width, res.Height, w, h)
			}
			for _, f := range []Format{WebP, JPEG} {
				e := variant(t, res, "w96", f)
				m := decodeVariant(t, e)
				for qy := range 2 {
					for qx := range 2 {
						c := mediatest.QuarterColour(qx, qy)
						wantColour(t, e.Variant.File(), m, w/4+qx*w/2, h/4+qy*h/2, color.NRGBA(c), 40)
					}
				}
			}
		})
	}
}

// TestNoMetadataReachesReaders processes a phone's photo with a GPS
// position and orientation 6: it comes out turned, and no variant
// carries EXIF or any other metadata.
func TestNoMetadataReachesReaders(t *testing.T) {
	t.Parallel()
	in := mediatest.JPEGWithGPS(640, 480)
	var lat []byte
	for _, r := range mediatest.GPS.Latitude {
		lat = binary.BigEndian.AppendUint32(lat, r[0])
		lat = binary.BigEndian.AppendUint32(lat, r[1])
	}
	// The test means something only if the input carries it all.
	if !bytes.Contains(in, []byte("Exif\x00\x00")) || !bytes.Contains(in, lat) || !slices.Contains(jpegMarkers(t, in), 0xe1) {
		t.Fatal("mediatest.JPEGWithGPS wrote no EXIF, APP1 or GPS position")
	}
	res := process(t, in)
	if res.Width != 640 || res.Height != 480 {
		t.Errorf("the original is %d×%d, want 640×480 as shown (stored 480×640 with orientation 6)", res.Width, res.Height)
	}
	for _, e := range res.Variants {
		file := e.Variant.File()
		for _, leak := range [][]byte{[]byte("Exif\x00\x00"), lat, []byte("Dateline QA"), []byte("http://ns.adobe.com/xap")} {
			if bytes.Contains(e.Data, leak) {
				t.Errorf("%s contains %q", file, leak)
			}
		}
		switch e.Variant.Format {
		case JPEG:
			for _, m := range jpegMarkers(t, e.Data) {
				if m >= 0xe0 && m <= 0xef || m == 0xfe { // APPn and comments
					t.Errorf("%s has a segment with marker 0x%02x; want none but the image's", file, m)
				}
			}
		case WebP:
			for _, c := range riffChunks(t, e.Data) {
				if c != "VP8 " && c != "VP8L" && c != "VP8X" && c != "ALPH" {
					t.Errorf("%s has a %q chunk", file, c)
				}
			}
		}
	}
	m := decodeVariant(t, variant(t, res, "w640", JPEG))
	wantColour(t, "w640.jpg top left", m, 160, 120, color.NRGBA{255, 0, 0, 255}, 40)
	wantColour(t, "w640.jpg top right", m, 480, 120, color.NRGBA{0, 255, 0, 255}, 40)
	wantColour(t, "w640.jpg bottom left", m, 160, 360, color.NRGBA{0, 0, 255, 255}, 40)
}

// TestPNGWithEXIF processes a PNG carrying EXIF (an eXIf chunk) with
// orientation 6 and a GPS position: turned, and no chunk but the image's
// in any PNG variant.
func TestPNGWithEXIF(t *testing.T) {
	t.Parallel()
	plain := encodePNG(t, mediatest.Stored(mediatest.Quarters(64, 32), 6))
	// eXIf goes before the image data; Go's encoder writes IHDR (25
	// bytes after the signature) first.
	data := mediatest.TIFF(mediatest.EXIF{Orientation: 6, GPS: true})
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	chunk = append(chunk, "eXIf"...)
	chunk = append(chunk, data...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	in := slices.Concat(plain[:33], chunk, plain[33:])
	if got := pngChunks(t, in); !slices.Contains(got, "eXIf") {
		t.Fatalf("the test PNG has chunks %v, no eXIf", got)
	}
	res := process(t, in)
	if res.Width != 64 || res.Height != 32 {
		t.Errorf("the original is %d×%d, want 64×32 as shown", res.Width, res.Height)
	}
	for _, f := range []Format{WebP, PNG} {
		e := variant(t, res, "w64", f)
		m := decodeVariant(t, e)
		wantColour(t, e.Variant.File(), m, 48, 8, color.NRGBA(mediatest.QuarterColour(1, 0)), 12)
		wantColour(t, e.Variant.File(), m, 16, 24, color.NRGBA(mediatest.QuarterColour(0, 1)), 12)
	}
	for _, e := range res.Variants {
		if e.Variant.Format != PNG {
			continue
		}
		for _, c := range pngChunks(t, e.Data) {
			if c != "IHDR" && c != "PLTE" && c != "tRNS" && c != "IDAT" && c != "IEND" {
				t.Errorf("%s has a %q chunk", e.Variant.File(), c)
			}
		}
	}
}

// TestVariants checks the variants made for originals of many shapes:
// the widths under the original's (and its own), never wider than it,
// the crops at their exact sizes when the original allows, each in WebP
// and the fallback format.
func TestVariants(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		w, h  int
		names []string
		sizes map[string][2]int // some variants' sizes
	}{
		{1920, 1200, []string{"w320", "w640", "w960", "w1280", "w1920", "share", "16x9", "4x3", "1x1"}, map[string][2]int{
			"w320": {320, 200}, "w1920": {1920, 1200}, "share": {1200, 630}, "16x9": {1200, 675}, "4x3": {1200, 900}, "1x1": {1200, 1200},
		}},
		{1000, 700, []string{"w320", "w640", "w960", "w1000", "share", "16x9", "4x3", "1x1"}, map[string][2]int{
			"w1000": {1000, 700}, "share": {1000, 525}, "16x9": {1000, 563}, "4x3": {933, 700}, "1x1": {700, 700},
		}},
		{640, 480, []string{"w320", "w640", "share", "16x9", "4x3", "1x1"}, map[string][2]int{
			"w640": {640, 480}, "4x3": {640, 480}, "1x1": {480, 480},
		}},
		{2000, 400, []string{"w320", "w640", "w960", "w1280", "w1920", "share", "16x9", "4x3", "1x1"}, map[string][2]int{
			"w1920": {1920, 384}, "share": {762, 400}, "16x9": {711, 400}, "1x1": {400, 400},
		}},
		{500, 2500, []string{"w320", "w500", "share", "16x9", "4x3", "1x1"}, map[string][2]int{
			"w500": {500, 2500}, "w320": {320, 1600}, "share": {500, 263}, "1x1": {500, 500},
		}},
		{7, 5, []string{"w7", "share", "16x9", "4x3", "1x1"}, map[string][2]int{
			"w7": {7, 5}, "1x1": {5, 5},
		}},
	} {
		t.Run(fmt.Sprintf("%dx%d", test.w, test.h), func(t *testing.T) {
			t.Parallel()
			res := process(t, encodeJPEG(t, gradient(test.w, test.h)))
			if res.Format != JPEG || res.Fallback != JPEG || res.Width != test.w || res.Height != test.h {
				t.Errorf("Result = %s %d×%d (fallback %s); want jpeg %d×%d (fallback jpeg)", res.Format, res.Width, res.Height, res.Fallback, test.w, test.h)
			}
			var files, want []string
			for _, n := range test.names {
				want = append(want, n+".webp", n+".jpg")
			}
			for _, e := range res.Variants {
				files = append(files, e.Variant.File())
				decodeVariant(t, e)
				v := e.Variant
				if v.Width > test.w || v.Height > test.h {
					t.Errorf("%s is %d×%d, larger than the original", v.File(), v.Width, v.Height)
				}
				if s, ok := test.sizes[v.Name]; ok && (v.Width != s[0] || v.Height != s[1]) {
					t.Errorf("%s is %d×%d, want %d×%d", v.File(), v.Width, v.Height, s[0], s[1])
				}
				if strings.HasPrefix(v.Name, "w") && v.Name != fmt.Sprintf("w%d", v.Width) {
					t.Errorf("%s is %d wide", v.File(), v.Width)
				}
			}
			if diff := cmp.Diff(want, files); diff != "" {
				t.Errorf("variants (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCMYKJPEG processes an Adobe CMYK JPEG (as Photoshop writes them
// for print, with inverted channels): its variants are RGB, in the right
// colours.
func TestCMYKJPEG(t *testing.T) {
	t.Parallel()
	inks := [2][2][4]uint8{ // [qy][qx]: cyan, magenta; yellow, half black
		{{255, 0, 0, 0}, {0, 255, 0, 0}},
		{{0, 0, 255, 0}, {0, 0, 0, 128}},
	}
	want := [2][2]color.NRGBA{
		{{0, 255, 255, 255}, {255, 0, 255, 255}},
		{{255, 255, 0, 255}, {127, 127, 127, 255}},
	}
	in := cmykJPEG(64, 64, func(bx, by int) [4]uint8 { return inks[by/4][bx/4] })
	if m, err := decode(JPEG, in); err != nil {
		t.Fatal(err)
	} else if _, ok := m.(*image.CMYK); !ok {
		t.Fatalf("the test JPEG decodes to a %T, want *image.CMYK", m)
	}
	res := process(t, in)
	for _, f := range []Format{WebP, JPEG} {
		for _, name := range []string{"w64", "1x1"} {
			e := variant(t, res, name, f)
			m := decodeVariant(t, e)
			for qy := range 2 {
				for qx := range 2 {
					wantColour(t, e.Variant.File(), m, 16+32*qx, 16+32*qy, want[qy][qx], 24)
				}
			}
		}
	}
}

// Test16BitPNG processes a 16-bit PNG with a half-transparent quarter:
// variants in 8 bits, the transparency kept in WebP and PNG.
func Test16BitPNG(t *testing.T) {
	t.Parallel()
	colours := [2][2]color.NRGBA64{
		{{0xffff, 0x8000, 0, 0xffff}, {0, 0xffff, 0, 0xffff}},
		{{0, 0, 0xffff, 0x8000}, {0x4000, 0x4000, 0x4000, 0xffff}},
	}
	src := image.NewNRGBA64(image.Rect(0, 0, 400, 300))
	for y := range 300 {
		for x := range 400 {
			src.SetNRGBA64(x, y, colours[y/150][x/200])
		}
	}
	in := encodePNG(t, src)
	if !bytes.Contains(in[:30], []byte("IHDR\x00\x00\x01\x90\x00\x00\x01\x2c\x10")) {
		t.Fatal("the test PNG is not 16 bits deep")
	}
	res := process(t, in)
	if res.Fallback != PNG {
		t.Errorf("fallback %s, want png", res.Fallback)
	}
	for _, f := range []Format{WebP, PNG} {
		for _, name := range []string{"w400", "w320"} {
			e := variant(t, res, name, f)
			m := decodeVariant(t, e)
			for qy := range 2 {
				for qx := range 2 {
					c := colours[qy][qx]
					want := color.NRGBA{uint8(c.R >> 8), uint8(c.G >> 8), uint8(c.B >> 8), uint8(c.A >> 8)}
					wantColour(t, e.Variant.File(), m, (100+200*qx)*e.Variant.Width/400, (75+150*qy)*e.Variant.Width/400, want, 12)
				}
			}
		}
	}
}

// TestPalettedAndGrey processes a paletted PNG with a transparent entry,
// a grey PNG and a grey JPEG.
func TestPalettedAndGrey(t *testing.T) {
	t.Parallel()
	pal := image.NewPaletted(image.Rect(0, 0, 40, 40), color.Palette{color.Transparent, color.RGBA{200, 30, 60, 255}})
	for y := range 40 {
		for x := 20; x < 40; x++ {
			pal.SetColorIndex(x, y, 1)
		}
	}
	grey := image.NewGray(image.Rect(0, 0, 40, 40))
	for i := range grey.Pix {
		grey.Pix[i] = 90
	}
	for _, test := range []struct {
		name        string
		in          []byte
		fallback    Format
		left, right color.NRGBA
	}{
		{"paletted PNG", encodePNG(t, pal), PNG, color.NRGBA{}, color.NRGBA{200, 30, 60, 255}},
		{"grey PNG", encodePNG(t, grey), PNG, color.NRGBA{90, 90, 90, 255}, color.NRGBA{90, 90, 90, 255}},
		{"grey JPEG", encodeJPEG(t, grey), JPEG, color.NRGBA{90, 90, 90, 255}, color.NRGBA{90, 90, 90, 255}},
	} {
		t.Run(test.name, func(t *testing.T) {
			t.Parallel()
			res := process(t, test.in)
			if res.Fallback != test.fallback {
				t.Errorf("fallback %s, want %s", res.Fallback, test.fallback)
			}
			for _, f := range []Format{WebP, test.fallback} {
				e := variant(t, res, "w40", f)
				m := decodeVariant(t, e)
				wantColour(t, e.Variant.File()+" left", m, 8, 20, test.left, 12)
				wantColour(t, e.Variant.File()+" right", m, 32, 20, test.right, 12)
			}
		})
	}
}

// TestGIF processes an animated GIF whose first frame covers half its
// canvas: the variants are PNG and WebP stills of that frame, the rest
// transparent.
func TestGIF(t *testing.T) {
	t.Parallel()
	pal := color.Palette{color.Transparent, color.RGBA{255, 0, 0, 255}, color.RGBA{0, 0, 255, 255}}
	first := image.NewPaletted(image.Rect(0, 0, 20, 20), pal)
	for i := range first.Pix {
		first.Pix[i] = 1
	}
	second := image.NewPaletted(image.Rect(0, 0, 40, 20), pal)
	for i := range second.Pix {
		second.Pix[i] = 2
	}
	var buf bytes.Buffer
	err := gif.EncodeAll(&buf, &gif.GIF{
		Image:  []*image.Paletted{first, second},
		Delay:  []int{10, 10},
		Config: image.Config{ColorModel: pal, Width: 40, Height: 20},
	})
	if err != nil {
		t.Fatal(err)
	}
	res := process(t, buf.Bytes())
	if res.Format != GIF || res.Fallback != PNG || res.Width != 40 || res.Height != 20 {
		t.Errorf("Result = %s %d×%d (fallback %s); want gif 40×20 (fallback png)", res.Format, res.Width, res.Height, res.Fallback)
	}
	for _, f := range []Format{WebP, PNG} {
		e := variant(t, res, "w40", f)
		m := decodeVariant(t, e)
		wantColour(t, e.Variant.File()+" left", m, 5, 10, color.NRGBA{255, 0, 0, 255}, 12)
		wantColour(t, e.Variant.File()+" right", m, 35, 10, color.NRGBA{}, 12)
	}
}

// TestWebPOriginal processes WebP uploads: the fallback is JPEG for an
// opaque one and PNG for one with transparency, and a lossy one keeps
// its colours (x/image/webp alone would turn black grey and white dull).
func TestWebPOriginal(t *testing.T) {
	t.Parallel()
	opaque := mediatest.Quarters(300, 200)
	faded := image.NewNRGBA(image.Rect(0, 0, 300, 200))
	for y := range 200 {
		for x := range 300 {
			faded.SetNRGBA(x, y, color.NRGBA{0, 128, 0, uint8(255 * x / 300)})
		}
	}
	for _, test := range []struct {
		name     string
		m        image.Image
		lossless bool
		fallback Format
	}{
		{"lossy opaque", opaque, false, JPEG},
		{"lossless with transparency", faded, true, PNG},
	} {
		t.Run(test.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := webp.Encode(&buf, test.m, webp.Options{Quality: 90, Lossless: test.lossless}); err != nil {
				t.Fatal(err)
			}
			res := process(t, buf.Bytes())
			if res.Format != WebP || res.Fallback != test.fallback {
				t.Errorf("Result = %s (fallback %s); want webp (fallback %s)", res.Format, res.Fallback, test.fallback)
			}
			for _, e := range res.Variants {
				decodeVariant(t, e)
			}
			if test.fallback == PNG {
				m := decodeVariant(t, variant(t, res, "w300", PNG))
				wantColour(t, "w300.png", m, 150, 100, color.NRGBA{0, 128, 0, 127}, 6)
				return
			}
			m := decodeVariant(t, variant(t, res, "w300", JPEG))
			for qy := range 2 {
				for qx := range 2 {
					wantColour(t, "w300.jpg", m, 75+150*qx, 50+100*qy, color.NRGBA(mediatest.QuarterColour(qx, qy)), 10)
				}
			}
		})
	}
}

// TestProcessWaitsForASlot checks that a processor holds no more
// originals than it may: with its one slot taken, Process waits, and
// gives up when its context ends.
func TestProcessWaitsForASlot(t *testing.T) {
	t.Parallel()
	p := NewProcessor(DefaultLimits(), 1)
	p.sem <- struct{}{} // an upload in flight
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := p.Process(ctx, encodeJPEG(t, gradient(10, 10)))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Process with the slot taken = %v; want it to wait and give up with the context", err)
	}
	<-p.sem
	if _, err := p.Process(context.Background(), encodeJPEG(t, gradient(10, 10))); err != nil {
		t.Fatalf("Process with the slot free: %v", err)
	}
}

// TestProcessStopsWhenCancelled checks that Process gives up once its
// context ends, whether or not a slot is free.
func TestProcessStopsWhenCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := NewProcessor(DefaultLimits(), 1).Process(ctx, encodeJPEG(t, gradient(10, 10)))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Process with a cancelled context = %v; want context.Canceled", err)
	}
}

func TestPlan(t *testing.T) {
	t.Parallel()
	type planned struct {
		Name string
		W, H int
		From string
	}
	for _, test := range []struct {
		w, h int
		k    int
		want []planned
	}{
		{6000, 4000, 3, []planned{
			{"w320", 320, 213, "w640"}, {"w640", 640, 427, "w1280"}, {"w960", 960, 640, "w1920"}, {"w1280", 1280, 853, ""}, {"w1920", 1920, 1280, ""},
			{"share", 1200, 630, ""}, {"16x9", 1200, 675, ""}, {"4x3", 1200, 900, ""}, {"1x1", 1200, 1200, ""},
		}},
		{4000, 6000, 2, []planned{ // the widths allow 2, the crops 3
			{"w320", 320, 480, "w640"}, {"w640", 640, 960, "w1280"}, {"w960", 960, 1440, "w1920"}, {"w1280", 1280, 1920, ""}, {"w1920", 1920, 2880, ""},
			{"share", 1200, 630, ""}, {"16x9", 1200, 675, ""}, {"4x3", 1200, 900, ""}, {"1x1", 1200, 1200, ""},
		}},
		{1100, 500, 1, []planned{
			{"w320", 320, 145, "w640"}, {"w640", 640, 291, ""}, {"w960", 960, 436, ""}, {"w1100", 1100, 500, ""},
			{"share", 952, 500, ""}, {"16x9", 889, 500, ""}, {"4x3", 667, 500, ""}, {"1x1", 500, 500, ""},
		}},
	} {
		jobs, k := plan(test.w, test.h)
		var got []planned
		for _, j := range jobs {
			p := planned{Name: j.name, W: j.w, H: j.h}
			if j.from >= 0 {
				p.From = jobs[j.from].name
			}
			got = append(got, p)
		}
		if k != test.k {
			t.Errorf("plan(%d, %d): shrink by %d, want %d", test.w, test.h, k, test.k)
		}
		if diff := cmp.Diff(test.want, got); diff != "" {
			t.Errorf("plan(%d, %d) (-want +got):\n%s", test.w, test.h, diff)
		}
	}
}

// cmykJPEG hand-writes a baseline Adobe CMYK JPEG, as Go cannot encode
// one: w×h (multiples of 8), every 8×8 block one colour, given as ink
// (0 none, 255 full) for cyan, magenta, yellow and black. Every block
// holds its DC coefficient only (its average), the quantisation table is
// all ones, and the Huffman tables are as small as can be: the twelve DC
// sizes in four bits each, and end-of-block as the only AC code ("0").
// The Adobe segment says "no transform", and the channels are stored
// inverted (255 for no ink), as Photoshop writes them.
func cmykJPEG(w, h int, ink func(bx, by int) [4]uint8) []byte {
	seg := func(b []byte, marker byte, payload ...byte) []byte {
		b = append(b, 0xff, marker)
		b = binary.BigEndian.AppendUint16(b, uint16(2+len(payload)))
		return append(b, payload...)
	}
	b := []byte{0xff, 0xd8}
	b = seg(b, 0xee, append([]byte("Adobe"), 0, 100, 0, 0, 0, 0, 0)...) // version 100, flags, transform 0
	b = seg(b, 0xdb, append([]byte{0}, bytes.Repeat([]byte{1}, 64)...)...)
	sof := []byte{8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), 4}
	for c := range 4 {
		sof = append(sof, byte(c+1), 0x11, 0)
	}
	b = seg(b, 0xc0, sof...)
	dht := []byte{0x00, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	dht = append(dht, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
	dht = append(dht, 0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00)
	b = seg(b, 0xc4, dht...)
	b = seg(b, 0xda, 4, 1, 0x00, 2, 0x00, 3, 0x00, 4, 0x00, 0, 63, 0)

	var acc, n uint32
	bit := func(v uint32, bits int) {
		for i := bits - 1; i >= 0; i-- {
			acc = acc<<1 | (v>>i)&1
			if n++; n == 8 {
				b = append(b, byte(acc))
				if acc == 0xff {
					b = append(b, 0) // byte stuffing
				}
				acc, n = 0, 0
			}
		}
	}
	var pred [4]int
	for by := range h / 8 {
		for bx := range w / 8 {
			c := ink(bx, by)
			for i := range 4 {
				dc := (int(255-c[i]) - 128) * 8 // an 8×8 block's DC is 8 times its mean
				d := dc - pred[i]
				pred[i] = dc
				size := 0
				for a := max(d, -d); a > 0; a >>= 1 {
					size++
				}
				bit(uint32(size), 4)
				if d < 0 {
					d += 1<<size - 1
				}
				bit(uint32(d), size)
				bit(0, 1) // end of block
			}
		}
	}
	for n != 0 {
		bit(1, 1) // pad with ones
	}
	return append(b, 0xff, 0xd9)
}
