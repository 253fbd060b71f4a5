package linking

import "sync"

// Loader adds articles to an index in the order they are given, while
// several are made and analysed at once. The order matters: ties between
// equal scores go to the article added first, and floating-point sums
// follow it, so an index loaded from the same articles in the same order
// ranks them the same on any machine and in any run (a static export of
// an unchanged site is then byte for byte the one before). Upsert from
// several goroutines is as fast, but in no fixed order.
type Loader struct {
	ix       *Index
	work     chan *pending
	order    chan *pending
	workers  sync.WaitGroup
	inserted chan struct{}
}

type pending struct {
	build func() Doc
	doc   Doc
	a     *analysis
	ready chan struct{}
}

// Loader returns a loader into ix with workers goroutines making and
// analysing articles (at least one). Its Wait must be called.
func (ix *Index) Loader(workers int) *Loader {
	workers = max(workers, 1)
	l := &Loader{ix: ix, work: make(chan *pending, 4*workers), order: make(chan *pending, 8*workers), inserted: make(chan struct{})}
	for range workers {
		l.workers.Go(func() {
			for p := range l.work {
				p.doc = p.build()
				p.a = analyze(p.doc)
				close(p.ready)
			}
		})
	}
	go func() {
		defer close(l.inserted)
		for p := range l.order {
			<-p.ready
			ix.add(p.doc, p.a)
			p.a.release()
		}
	}()
	return l
}

// Add adds the article build returns, after those added before it; build
// runs on one of the loader's goroutines.
func (l *Loader) Add(build func() Doc) {
	p := &pending{build: build, ready: make(chan struct{})}
	// Queued for insertion before it is queued for work: the inserter
	// waits on the oldest article, which is then always being worked on.
	l.order <- p
	l.work <- p
}

// Wait returns once every article added is in the index.
func (l *Loader) Wait() {
	close(l.work)
	close(l.order)
	l.workers.Wait()
	<-l.inserted
}
