// Package mediatest makes images for tests of the media library: photos
// as cameras write them, with EXIF orientation and a GPS position, built
// from Go's encoders and hand-made metadata, so that no test depends on
// a photo copied from anywhere.
package mediatest

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
)

// GPS is the position JPEGWithGPS writes: 51°30'26"N 0°7'39"W. A test
// can look for Latitude's bytes in output that must carry none.
var GPS = struct{ Latitude, Longitude [3][2]uint32 }{
	Latitude:  [3][2]uint32{{51, 1}, {30, 1}, {26, 1}},
	Longitude: [3][2]uint32{{0, 1}, {7, 1}, {39, 1}},
}

// JPEGWithGPS returns a w×h JPEG as a phone held upright writes it: the
// pixels stored turned (h×w, orientation 6: to be turned a quarter
// clockwise) and an EXIF segment with the orientation and a GPS
// position. Shown as meant, the image is w×h with a red top-left
// quarter, a green top-right one, a blue bottom-left one and a white
// bottom-right one.
func JPEGWithGPS(w, h int) []byte {
	return JPEG(Stored(Quarters(w, h), 6), EXIF{Orientation: 6, GPS: true})
}

// Quarters returns a w×h image in four quarters: red top left, green top
// right, blue bottom left, white bottom right. No two of the eight
// orientations of it look alike.
func Quarters(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.SetRGBA(x, y, QuarterColour(x*2/w, y*2/h))
		}
	}
	return m
}

// QuarterColour is the colour of Quarters' quarter in column qx and row
// qy (each 0 or 1).
func QuarterColour(qx, qy int) color.RGBA {
	return [2][2]color.RGBA{
		{{255, 0, 0, 255}, {0, 0, 255, 255}},
		{{0, 255, 0, 255}, {255, 255, 255, 255}},
	}[qx][qy]
}

// Stored returns the pixels a camera stores for the image shown when it
// writes EXIF orientation o, following the EXIF specification's words
// for each value: where the stored first row and first column appear.
func Stored(shown image.Image, o int) *image.RGBA {
	b := shown.Bounds()
	w, h := b.Dx(), b.Dy() // as shown
	sw, sh := w, h
	if o >= 5 {
		sw, sh = h, w
	}
	m := image.NewRGBA(image.Rect(0, 0, sw, sh))
	for sy := range sh {
		for sx := range sw {
			// (x, y) is where stored pixel (sx, sy) is shown.
			var x, y int
			switch o {
			case 2: // row 0 at the top, column 0 on the right
				x, y = w-1-sx, sy
			case 3: // row 0 at the bottom, column 0 on the right
				x, y = w-1-sx, h-1-sy
			case 4: // row 0 at the bottom, column 0 on the left
				x, y = sx, h-1-sy
			case 5: // row 0 on the left, column 0 at the top
				x, y = sy, sx
			case 6: // row 0 on the right, column 0 at the top
				x, y = w-1-sy, sx
			case 7: // row 0 on the right, column 0 at the bottom
				x, y = w-1-sy, h-1-sx
			case 8: // row 0 on the left, column 0 at the bottom
				x, y = sy, h-1-sx
			default: // row 0 at the top, column 0 on the left
				x, y = sx, sy
			}
			m.Set(sx, sy, shown.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	return m
}

// EXIF is what JPEG writes into the EXIF segment.
type EXIF struct {
	Orientation int // 0 writes none
	GPS         bool
}

// JPEG encodes m at quality 95 and, when e asks for any, inserts an EXIF
// (APP1) segment right after the start of the image, as cameras do.
func JPEG(m image.Image, e EXIF) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 95}); err != nil {
		panic(err) // encoding to memory fails only on a bad image
	}
	b := buf.Bytes()
	if e.Orientation == 0 && !e.GPS {
		return b
	}
	app1 := App1(e)
	out := make([]byte, 0, len(b)+len(app1))
	out = append(out, b[:2]...) // SOI
	out = append(out, app1...)
	return append(out, b[2:]...)
}

// App1 returns an EXIF APP1 segment, marker included, holding TIFF(e).
func App1(e EXIF) []byte {
	payload := append([]byte("Exif\x00\x00"), TIFF(e)...)
	seg := []byte{0xff, 0xe1}
	seg = binary.BigEndian.AppendUint16(seg, uint16(2+len(payload)))
	return append(seg, payload...)
}

// TIFF returns EXIF data as a PNG's eXIf chunk or a JPEG's APP1 segment
// hold it: a big-endian TIFF structure whose first IFD holds the
// orientation, the camera's make ("Dateline QA") and, when asked, a
// pointer to a GPS IFD with a latitude and a longitude.
func TIFF(e EXIF) []byte {
	type entry struct {
		tag, typ uint16
		count    uint32
		value    []byte // inline when at most 4 bytes, else at an offset
	}
	const (
		typASCII    = 2
		typShort    = 3
		typLong     = 4
		typRational = 5
	)
	short := func(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }
	long := func(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }
	rationals := func(rs [3][2]uint32) []byte {
		var b []byte
		for _, r := range rs {
			b = binary.BigEndian.AppendUint32(b, r[0])
			b = binary.BigEndian.AppendUint32(b, r[1])
		}
		return b
	}
	// ifd writes an IFD at offset off of the TIFF structure, with its
	// out-of-line values after it.
	ifd := func(off uint32, entries []entry) []byte {
		data := off + 2 + 12*uint32(len(entries)) + 4
		var b, extra []byte
		b = binary.BigEndian.AppendUint16(b, uint16(len(entries)))
		for _, en := range entries {
			b = binary.BigEndian.AppendUint16(b, en.tag)
			b = binary.BigEndian.AppendUint16(b, en.typ)
			b = binary.BigEndian.AppendUint32(b, en.count)
			if len(en.value) <= 4 {
				b = append(b, en.value...)
				b = append(b, make([]byte, 4-len(en.value))...)
			} else {
				b = binary.BigEndian.AppendUint32(b, data+uint32(len(extra)))
				extra = append(extra, en.value...)
			}
		}
		b = binary.BigEndian.AppendUint32(b, 0) // no next IFD
		return append(b, extra...)
	}

	var ifd0 []entry
	if e.Orientation != 0 {
		ifd0 = append(ifd0, entry{0x0112, typShort, 1, short(uint16(e.Orientation))})
	}
	ifd0 = append(ifd0, entry{0x010f, typASCII, 12, []byte("Dateline QA\x00")}) // Make
	var gps []byte
	if e.GPS {
		// The GPS IFD follows IFD0, whose size does not depend on the
		// pointer's value.
		ifd0 = append(ifd0, entry{0x8825, typLong, 1, long(0)})
		gpsOff := 8 + uint32(len(ifd(8, ifd0)))
		ifd0[len(ifd0)-1].value = long(gpsOff)
		gps = ifd(gpsOff, []entry{
			{0x0001, typASCII, 2, []byte("N\x00")},
			{0x0002, typRational, 3, rationals(GPS.Latitude)},
			{0x0003, typASCII, 2, []byte("W\x00")},
			{0x0004, typRational, 3, rationals(GPS.Longitude)},
		})
	}
	tiff := append([]byte("MM\x00\x2a\x00\x00\x00\x08"), ifd(8, ifd0)...)
	return append(tiff, gps...)
}
