package media

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"runtime"
	"sync"
)

// Encoded is one variant with its bytes.
type Encoded struct {
	Variant Variant
	Data    []byte
}

// Result is what processing an original makes of it.
type Result struct {
	Format        Format // of the original
	Width, Height int    // of the original, after its EXIF orientation
	// Fallback is the format of the variants that are not WebP: the
	// original's, but PNG for a GIF and JPEG (PNG with transparency) for
	// a WebP.
	Fallback Format
	// Variants holds the responsive widths, narrowest first, then the
	// crops, each in WebP and then in Fallback.
	Variants []Encoded
}

// Processor makes the variants of originals, at most Concurrency at a
// time: a decoded 24-megapixel photo takes about 100 MB, so memory must
// not grow with the uploads in flight.
type Processor struct {
	limits Limits
	sem    chan struct{}
}

// NewProcessor returns a processor with those limits (zero fields take
// the defaults) that holds at most concurrency originals in memory at
// once (at least one).
func NewProcessor(l Limits, concurrency int) *Processor {
	return &Processor{limits: l.orDefaults(), sem: make(chan struct{}, max(1, concurrency))}
}

// Limits returns the processor's limits, with the defaults filled in.
func (p *Processor) Limits() Limits { return p.limits }

// The responsive widths, and the crops: their names, aspect ratios and
// the width each is made at when the original allows it.
var (
	widths = []int{320, 640, 960, 1280, 1920}
	crops  = []struct {
		name   string
		aw, ah int
	}{
		{"share", 1200, 630}, // the size Facebook, LinkedIn and X show a link's image at
		{"16x9", 16, 9},
		{"4x3", 4, 3},
		{"1x1", 1, 1},
	}
)

const cropWidth = 1200

// Process checks an original against the limits (see Limits.Check), then
// makes its variants: every responsive width up to the original's own,
// and the centre crops, never enlarged, each in WebP and in Fallback.
// The EXIF orientation is applied first; no variant carries any
// metadata (Go's encoders write none), so the GPS position of a
// reporter's photo never reaches readers. Refusals of the bytes wrap
// ErrInvalid, or ErrTooLarge for the size; other errors are the
// server's.
func (p *Processor) Process(ctx context.Context, original []byte) (*Result, error) {
	h, err := p.limits.Check(original)
	if err != nil {
		return nil, err
	}
	select {
	case p.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("process image: %w", context.Cause(ctx))
	}
	defer func() { <-p.sem }()

	src, err := decode(h.Format, original)
	if err != nil {
		return nil, err
	}
	if err := context.Cause(ctx); err != nil {
		return nil, fmt.Errorf("process image: %w", err)
	}
	w, ht := src.Bounds().Dx(), src.Bounds().Dy()
	if h.Orientation >= 5 {
		w, ht = ht, w
	}
	jobs, k := plan(w, ht)
	// Shrinking first and turning after is as good as turning first (the
	// boxes are square; only the cut boxes of the edges may change
	// sides), and turns a smaller image.
	mid := orient(shrink(src, k), h.Orientation)

	res := &Result{Format: h.Format, Width: w, Height: ht, Fallback: fallback(h.Format, mid)}
	res.Variants = make([]Encoded, 2*len(jobs))
	e := newEncoders(ctx)
	made := make([]*image.RGBA, len(jobs))
	for _, i := range makingOrder(jobs) {
		if err := context.Cause(ctx); err != nil {
			e.fail(fmt.Errorf("process image: %w", err))
			break
		}
		j := jobs[i]
		from, r := mid, j.region(mid)
		if j.from >= 0 {
			from, r = made[j.from], made[j.from].Rect
		}
		m := resize(from, r, j.w, j.h)
		made[i] = m
		for n, f := range []Format{WebP, res.Fallback} {
			v := Variant{Name: j.name, Format: f, Width: j.w, Height: j.h}
			e.encode(m, v, &res.Variants[2*i+n])
		}
		if e.failed() {
			break
		}
	}
	if err := e.wait(); err != nil {
		return nil, err
	}
	return res, nil
}

// decode decodes an original; a GIF's first frame, on its canvas.
func decode(f Format, b []byte) (image.Image, error) {
	r := bytes.NewReader(b)
	var m image.Image
	var err error
	switch f {
	case JPEG:
		m, err = jpeg.Decode(r)
	case PNG:
		m, err = png.Decode(r)
	case GIF:
		var cfg image.Config
		if cfg, err = gif.DecodeConfig(r); err != nil {
			break
		}
		r.Reset(b)
		if m, err = gif.Decode(r); err != nil {
			break
		}
		// The first frame may cover part of the canvas only; browsers
		// show the rest transparent.
		canvas := image.NewRGBA(image.Rect(0, 0, cfg.Width, cfg.Height))
		draw.Draw(canvas, m.Bounds(), m, m.Bounds().Min, draw.Src)
		m = canvas
	case WebP:
		m, err = decodeWebP(r)
	default:
		err = fmt.Errorf("unknown format %q", f)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: the %s cannot be decoded, it may be damaged or cut short: %v", ErrInvalid, f.name(), err)
	}
	return m, nil
}

// fallback is the format of the variants beside WebP: the original's,
// but PNG for a GIF (a variant is a still image, and PNG keeps the GIF's
// transparency and sharp edges), and JPEG for a WebP, or PNG when it has
// transparency, so that clients without WebP still get every variant.
func fallback(f Format, m *image.RGBA) Format {
	switch f {
	case GIF:
		return PNG
	case WebP:
		if m.Opaque() {
			return JPEG
		}
		return PNG
	}
	return f
}

// A job makes one variant (in both formats), from the reduced original
// or from a larger variant.
type job struct {
	name   string
	w, h   int
	aw, ah int // the aspect ratio of a crop; zero for a width
	from   int // the index of the job whose image is the source, or -1
}

// region is the part of the reduced original m a job scales from.
func (j job) region(m *image.RGBA) image.Rectangle {
	if j.aw == 0 {
		return m.Rect
	}
	return centreCrop(m.Rect.Dx(), m.Rect.Dy(), j.aw, j.ah)
}

// plan lists the variants of a w×h original (as shown) and the factor k
// by which it can be shrunk before them without any variant being made
// from fewer pixels than it has.
//
// The widths are those under the original's, and its own when it is
// under the widest and not among them. Each is made from the smallest
// larger variant at least twice as wide (one halving with a good filter
// is sharp, and cheaper than starting again from the original), or from
// the original.
func plan(w, h int) (jobs []job, k int) {
	for _, vw := range widths {
		if vw <= w {
			jobs = append(jobs, job{name: fmt.Sprintf("w%d", vw), w: vw, h: max(1, (h*vw+w/2)/w), from: -1})
		}
	}
	if w < widths[len(widths)-1] && (len(jobs) == 0 || jobs[len(jobs)-1].w != w) {
		jobs = append(jobs, job{name: fmt.Sprintf("w%d", w), w: w, h: h, from: -1})
	}
	for i := range jobs {
		for j := i + 1; j < len(jobs); j++ {
			if jobs[j].w >= 2*jobs[i].w {
				jobs[i].from = j
				break
			}
		}
	}
	k = max(1, min(w/jobs[len(jobs)-1].w, h/jobs[len(jobs)-1].h))
	for _, c := range crops {
		r := centreCrop(w, h, c.aw, c.ah)
		cw := min(cropWidth, r.Dx())
		ch := max(1, (cw*c.ah+c.aw/2)/c.aw)
		jobs = append(jobs, job{name: c.name, w: cw, h: ch, aw: c.aw, ah: c.ah, from: -1})
		k = max(1, min(k, r.Dx()/cw, r.Dy()/ch))
	}
	return jobs, k
}

// makingOrder is the order to make the jobs in: each after its source.
// The widths are listed narrowest first, so they are made backwards.
func makingOrder(jobs []job) []int {
	var order []int
	for i := len(jobs) - 1; i >= 0; i-- {
		if jobs[i].aw == 0 {
			order = append(order, i)
		}
	}
	for i, j := range jobs {
		if j.aw != 0 {
			order = append(order, i)
		}
	}
	return order
}

// encoders encode variants on every processor while the next variant is
// scaled; the first error stops the rest.
type encoders struct {
	ctx   context.Context
	slots chan struct{}
	wg    sync.WaitGroup
	mu    sync.Mutex
	err   error
}

func newEncoders(ctx context.Context) *encoders {
	return &encoders{ctx: ctx, slots: make(chan struct{}, runtime.GOMAXPROCS(0))}
}

// encode encodes m as the variant v into out, in the background.
func (e *encoders) encode(m *image.RGBA, v Variant, out *Encoded) {
	e.wg.Go(func() {
		e.slots <- struct{}{}
		defer func() { <-e.slots }()
		if e.failed() {
			return
		}
		if err := context.Cause(e.ctx); err != nil {
			e.fail(fmt.Errorf("process image: %w", err))
			return
		}
		data, err := encode(m, v.Format)
		if err != nil {
			e.fail(fmt.Errorf("encode %s: %w", v.File(), err))
			return
		}
		*out = Encoded{Variant: v, Data: data}
	})
}

func (e *encoders) fail(err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.err == nil {
		e.err = err
	}
}

func (e *encoders) failed() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.err != nil
}

// wait waits for every encoding and returns the first error.
func (e *encoders) wait() error {
	e.wg.Wait()
	return e.err
}
