package media

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"regexp"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"testing"
	"time"
)

// BenchmarkProcess24MP makes every variant of a 6000×4000 JPEG (issue
// 13: under 4 s and 400 MB on the 2-core machine). Besides the time per
// photo it reports first-s, the first photo's time, which includes
// compiling libwebp's WASM once per process, and peak-RSS-MiB, the
// process's peak resident memory while processing (Linux only: the peak
// is reset after the test photo is made).
func BenchmarkProcess24MP(b *testing.B) {
	in := photo24MP(b)
	p := NewProcessor(DefaultLimits(), 1)
	ctx := context.Background()
	runtime.GC()
	debug.FreeOSMemory()
	reset := resetPeakRSS()
	start := time.Now()
	if _, err := p.Process(ctx, in); err != nil {
		b.Fatal(err)
	}
	first := time.Since(start)
	for b.Loop() {
		if _, err := p.Process(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(first.Seconds(), "first-s")
	if peak, ok := peakRSS(); ok && reset {
		b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MiB")
	}
}

var photo24 = sync.OnceValues(func() ([]byte, error) {
	var buf bytes.Buffer
	err := jpeg.Encode(&buf, photo{6000, 4000}, &jpeg.Options{Quality: 90})
	return buf.Bytes(), err
})

// photo24MP returns the 6000×4000 test JPEG, made once.
func photo24MP(b *testing.B) []byte {
	b.Helper()
	in, err := photo24()
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("test photo: 6000×4000, %s", formatBytes(int64(len(in))))
	return in
}

// photo is an image computed pixel by pixel, so that encoding it takes
// no 96 MB of pixels: smooth gradients under a grain of noise, which a
// JPEG compresses about as well as a camera's photo.
type photo struct{ w, h int }

func (p photo) ColorModel() color.Model { return color.RGBAModel }
func (p photo) Bounds() image.Rectangle { return image.Rect(0, 0, p.w, p.h) }
func (p photo) At(x, y int) color.Color {
	n := uint32(x)*0x9e3779b1 ^ uint32(y)*0x85ebca77
	n ^= n >> 15
	n *= 0x2c1b3c6d
	n ^= n >> 12
	grain := int(n%48) - 24
	c := func(v int) uint8 { return uint8(max(0, min(255, v+grain))) }
	return color.RGBA{c(255 * x / p.w), c(255 * y / p.h), c(128 + 100*(x-y)/p.w), 255}
}

// resetPeakRSS resets the process's peak resident memory, where Linux
// allows it.
func resetPeakRSS() bool {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// peakRSS returns the process's peak resident memory, in bytes.
func peakRSS() (int64, bool) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	m := regexp.MustCompile(`VmHWM:\s+(\d+) kB`).FindSubmatch(status)
	if m == nil {
		return 0, false
	}
	kb, err := strconv.ParseInt(string(m[1]), 10, 64)
	return kb << 10, err == nil
}
