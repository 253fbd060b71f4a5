package linking

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/datelinehq/dateline/internal/linking/wordvec"
)

// An index image is an index as bytes: what WriteImage writes,
// ReadImage gives back as an index that answers every query as the one
// written did, and changes as it would (Upsert, Remove). Building an
// index reads and analyses every article; reading an image of it and
// adding the few articles changed since takes a small part of that time,
// which is what a static export after an edit needs.

// imageMagic begins an image; imageFormat changes with its layout.
const (
	imageMagic  = "dateline linking index\n"
	imageFormat = 1
)

// Limits a damaged image cannot get past: a count beyond them is refused
// before anything is allocated for it.
// Lists grow as they are read, from at most maxImageAlloc items: a count
// is only believed as far as the bytes behind it go.
const (
	maxImageItems  = 1 << 28
	maxImageString = 1 << 20
	maxImageAlloc  = 1 << 12
)

// WriteImage writes ix to w as an image (see ReadImage).
func (ix *Index) WriteImage(w io.Writer) error {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	e := &imageWriter{w: bufio.NewWriterSize(w, 1<<16)}
	e.str(imageMagic)
	e.u32(imageFormat)
	rows, dim := 0, 0
	if ix.words != nil {
		rows, dim = ix.words.Len(), ix.words.Dim
	}
	e.count(rows)
	e.count(dim)
	e.u32(semDim)
	e.u64(ix.gen)
	e.count(ix.stale)
	e.count(ix.wvCount)
	e.count(len(ix.wvSum))
	for _, x := range ix.wvSum {
		e.u64(math.Float64bits(x))
	}

	e.count(len(ix.terms))
	hashes := make([]uint64, len(ix.terms))
	for h, id := range ix.termID {
		hashes[id] = h
	}
	for id, t := range ix.terms {
		e.u64(hashes[id])
		e.u32(uint32(t.df))
		e.u8(t.flags)
		e.u32(uint32(t.vec))
		if t.termData == nil {
			e.u8(0)
			continue
		}
		e.u8(1)
		e.str(t.display)
		e.count(len(t.postings))
		for _, p := range t.postings {
			e.u32(uint32(p.slot))
			e.f32(p.w)
		}
		e.int32s(t.titles)
	}

	sem := make([]uint32, 0, len(ix.sem))
	for t := range ix.sem {
		sem = append(sem, t)
	}
	slices.Sort(sem)
	e.count(len(sem))
	for _, t := range sem {
		e.u32(t)
		for _, x := range ix.sem[t] {
			e.f32(x)
		}
	}

	e.count(len(ix.docs))
	for _, d := range ix.docs {
		if d == nil {
			e.u8(0)
			continue
		}
		e.u8(1)
		e.u64(uint64(d.info.ID))
		e.str(d.info.Slug)
		e.str(d.info.Title)
		e.count(len(d.info.Tags))
		for _, t := range d.info.Tags {
			e.str(t)
		}
		published, err := d.info.Published.MarshalBinary()
		if err != nil {
			return fmt.Errorf("article %d: %w", d.info.ID, err)
		}
		e.str(string(published))
		e.count(len(d.vec))
		for _, tw := range d.vec {
			e.u32(tw.term)
			e.f32(tw.w)
		}
		e.f32(d.norm)
		e.count(len(d.title))
		for _, t := range d.title {
			e.u32(t)
		}
		e.count(len(d.phrases))
		for _, p := range d.phrases {
			e.u32(p.term)
			e.f32(p.w)
			e.u8(p.kind)
			e.bool(p.about)
			e.bool(p.inTitle)
		}
		e.str(d.words)
		e.count(len(d.wv))
		for _, q := range d.wv {
			e.u16(uint16(q))
		}
		e.f32(d.wvScale)
	}
	e.int32s(ix.free)
	if e.err != nil {
		return e.err
	}
	return e.w.Flush()
}

// ReadImage reads an index that WriteImage wrote, with words, the word
// vectors it was built with (nil for none): an index places articles in
// the space of its word vectors, which the image does not hold. An image
// of another format, of other word vectors, or damaged, is an error.
func ReadImage(r io.Reader, words *wordvec.Table) (*Index, error) {
	d := &imageReader{r: bufio.NewReaderSize(r, 1<<16)}
	if magic := d.str(); d.err != nil || magic != imageMagic {
		return nil, errors.New("not an image of a linking index")
	}
	if f := d.u32(); d.err == nil && f != imageFormat {
		return nil, fmt.Errorf("an image of format %d, not %d", f, imageFormat)
	}
	rows, dim, sd := d.count(), d.count(), d.u32()
	wantRows, wantDim := 0, 0
	if words != nil {
		wantRows, wantDim = words.Len(), words.Dim
	}
	if d.err == nil && (rows != wantRows || dim != wantDim || sd != semDim) {
		return nil, fmt.Errorf("an image of an index with other word vectors (%d of %d dimensions, not %d of %d)", rows, dim, wantRows, wantDim)
	}
	ix := NewIndex()
	ix.words = words
	ix.gen = d.u64()
	ix.stale = d.count()
	ix.wvCount = d.count()
	if n := d.count(); n > 0 || words != nil {
		if d.err == nil && n != wantDim {
			return nil, fmt.Errorf("an image whose mean word vector has %d dimensions, not %d", n, wantDim)
		}
		ix.wvSum = make([]float64, n) // n is the word vectors' dimension
		for k := range ix.wvSum {
			ix.wvSum[k] = math.Float64frombits(d.u64())
		}
	}

	nterms := d.count()
	ix.terms = make([]termInfo, 0, min(nterms, maxImageAlloc))
	for id := 0; id < nterms && d.err == nil; id++ {
		h := d.u64()
		t := termInfo{df: int32(d.u32()), flags: d.u8(), vec: int32(d.u32())}
		if d.u8() == 1 {
			t.termData = &termData{display: d.str()}
			n := d.count()
			t.postings = make([]posting, 0, min(n, maxImageAlloc))
			d.each(n, func() { t.postings = append(t.postings, posting{slot: int32(d.u32()), w: d.f32()}) })
			t.titles = d.int32s()
		}
		if _, dup := ix.termID[h]; dup && d.err == nil {
			d.err = fmt.Errorf("term %d repeats a term's hash", id)
		}
		ix.termID[h] = uint32(id)
		ix.terms = append(ix.terms, t)
	}

	d.each(d.count(), func() {
		t := d.u32()
		v := make([]float32, semDim)
		for k := range v {
			v[k] = d.f32()
		}
		ix.sem[t] = v
	})

	ndocs := d.count()
	ix.docs = make([]*docEntry, 0, min(ndocs, maxImageAlloc))
	for slot := 0; slot < ndocs && d.err == nil; slot++ {
		if d.u8() == 0 {
			ix.docs = append(ix.docs, nil)
			continue
		}
		e := &docEntry{}
		e.info.ID = int64(d.u64())
		e.info.Slug, e.info.Title = d.str(), d.str()
		d.each(d.count(), func() { e.info.Tags = append(e.info.Tags, d.str()) })
		if err := e.info.Published.UnmarshalBinary([]byte(d.str())); err != nil && d.err == nil {
			d.err = fmt.Errorf("article %d: %w", e.info.ID, err)
		}
		n := d.count()
		e.vec = make([]termWeight, 0, min(n, maxImageAlloc))
		d.each(n, func() { e.vec = append(e.vec, termWeight{term: d.u32(), w: d.f32()}) })
		e.norm = d.f32()
		d.each(d.count(), func() { e.title = append(e.title, d.u32()) })
		d.each(d.count(), func() {
			e.phrases = append(e.phrases, phraseEntry{term: d.u32(), w: d.f32(), kind: d.u8(), about: d.bool(), inTitle: d.bool()})
		})
		e.words = d.str()
		d.each(d.count(), func() { e.wv = append(e.wv, int16(d.u16())) })
		e.wvScale = d.f32()
		if _, dup := ix.slots[e.info.ID]; dup && d.err == nil {
			d.err = fmt.Errorf("article %d is in two slots", e.info.ID)
		}
		ix.slots[e.info.ID] = int32(slot)
		ix.docs = append(ix.docs, e)
	}
	ix.free = d.int32s()
	if d.err == nil {
		d.err = ix.checkImage()
	}
	if d.err != nil {
		if errors.Is(d.err, io.EOF) {
			d.err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("a damaged image of a linking index: %w", d.err)
	}
	if _, err := d.r.ReadByte(); err != io.EOF {
		return nil, errors.New("a damaged image of a linking index: bytes after its end")
	}
	return ix, nil
}

// checkImage checks that every reference an index read from an image
// holds lands in it, so that a damaged image is an error rather than a
// panic at the first query.
func (ix *Index) checkImage() error {
	nterms, nslots := uint32(len(ix.terms)), int32(len(ix.docs))
	rows := 0
	if ix.words != nil {
		rows = ix.words.Len()
	}
	for id, t := range ix.terms {
		if t.vec < 0 || int(t.vec) > rows {
			return fmt.Errorf("term %d has word vector %d of %d", id, t.vec, rows)
		}
		for _, p := range t.list() {
			if p.slot < 0 || p.slot >= nslots || ix.docs[p.slot] == nil {
				return fmt.Errorf("term %d lists slot %d, which holds no article", id, p.slot)
			}
		}
		if t.termData != nil {
			for _, s := range t.titles {
				if s < 0 || s >= nslots || ix.docs[s] == nil {
					return fmt.Errorf("term %d lists the title of slot %d, which holds no article", id, s)
				}
			}
		}
	}
	for t, v := range ix.sem {
		if t >= nterms || len(v) != semDim {
			return fmt.Errorf("a co-occurrence vector of term %d", t)
		}
	}
	for _, e := range ix.docs {
		if e == nil {
			continue
		}
		for _, tw := range e.vec {
			if tw.term >= nterms {
				return fmt.Errorf("article %d has term %d of %d", e.info.ID, tw.term, nterms)
			}
		}
		for _, t := range e.title {
			if t >= nterms {
				return fmt.Errorf("article %d has title term %d of %d", e.info.ID, t, nterms)
			}
		}
		for _, p := range e.phrases {
			if p.term >= nterms || p.kind > kindTag {
				return fmt.Errorf("article %d has phrase term %d (kind %d) of %d", e.info.ID, p.term, p.kind, nterms)
			}
		}
		if e.wv != nil && len(e.wv) != len(ix.wvSum) {
			return fmt.Errorf("article %d has a word-vector image of %d dimensions", e.info.ID, len(e.wv))
		}
	}
	for _, s := range ix.free {
		if s < 0 || s >= nslots || ix.docs[s] != nil {
			return fmt.Errorf("free slot %d holds an article or is out of range", s)
		}
	}
	return nil
}

// imageWriter writes an image's values, keeping the first error.
type imageWriter struct {
	w   *bufio.Writer
	buf [8]byte
	err error
}

func (e *imageWriter) bytes(b []byte) {
	if e.err == nil {
		_, e.err = e.w.Write(b)
	}
}

func (e *imageWriter) u8(v uint8) {
	if e.err == nil {
		e.err = e.w.WriteByte(v)
	}
}

func (e *imageWriter) bool(v bool) {
	if v {
		e.u8(1)
	} else {
		e.u8(0)
	}
}

func (e *imageWriter) u16(v uint16) {
	binary.LittleEndian.PutUint16(e.buf[:2], v)
	e.bytes(e.buf[:2])
}

func (e *imageWriter) u32(v uint32) {
	binary.LittleEndian.PutUint32(e.buf[:4], v)
	e.bytes(e.buf[:4])
}

func (e *imageWriter) u64(v uint64) {
	binary.LittleEndian.PutUint64(e.buf[:8], v)
	e.bytes(e.buf[:8])
}

func (e *imageWriter) f32(v float32) { e.u32(math.Float32bits(v)) }

func (e *imageWriter) count(n int) { e.u64(uint64(n)) }

func (e *imageWriter) str(s string) {
	e.count(len(s))
	if e.err == nil {
		_, e.err = e.w.WriteString(s)
	}
}

func (e *imageWriter) int32s(v []int32) {
	e.count(len(v))
	for _, x := range v {
		e.u32(uint32(x))
	}
}

// imageReader reads an image's values, keeping the first error; after
// one it gives zeros.
type imageReader struct {
	r   *bufio.Reader
	buf [8]byte
	err error
}

func (d *imageReader) fill(n int) []byte {
	if d.err != nil {
		clear(d.buf[:n])
		return d.buf[:n]
	}
	if _, err := io.ReadFull(d.r, d.buf[:n]); err != nil {
		d.err = err
		clear(d.buf[:n])
	}
	return d.buf[:n]
}

// each calls read n times, or until the first error.
func (d *imageReader) each(n int, read func()) {
	for k := 0; k < n && d.err == nil; k++ {
		read()
	}
}

func (d *imageReader) u8() uint8   { return d.fill(1)[0] }
func (d *imageReader) bool() bool  { return d.u8() != 0 }
func (d *imageReader) u16() uint16 { return binary.LittleEndian.Uint16(d.fill(2)) }
func (d *imageReader) u32() uint32 { return binary.LittleEndian.Uint32(d.fill(4)) }
func (d *imageReader) u64() uint64 { return binary.LittleEndian.Uint64(d.fill(8)) }
func (d *imageReader) f32() float32 {
	return math.Float32frombits(d.u32())
}

// count reads a count, refusing one no index has.
func (d *imageReader) count() int {
	n := d.u64()
	if n > maxImageItems && d.err == nil {
		d.err = fmt.Errorf("a count of %d", n)
	}
	if d.err != nil {
		return 0
	}
	return int(n)
}

func (d *imageReader) str() string {
	n := d.count()
	if n > maxImageString && d.err == nil {
		d.err = fmt.Errorf("a string of %d bytes", n)
	}
	if d.err != nil || n == 0 {
		return ""
	}
	b := make([]byte, n) // at most maxImageString
	if _, err := io.ReadFull(d.r, b); err != nil {
		d.err = err
		return ""
	}
	return string(b)
}

func (d *imageReader) int32s() []int32 {
	n := d.count()
	if n == 0 {
		return nil
	}
	v := make([]int32, 0, min(n, maxImageAlloc))
	d.each(n, func() { v = append(v, int32(d.u32())) })
	return v
}
