// Package metrics counts what a node does, in Prometheus's format: the
// requests by route and status and how long they took, the page cache's
// hits and misses, the database's connections, the change feed and the
// comments waiting for a moderator, besides the Go runtime's and the
// process's own figures.
// Nothing here is served on the site's public address: serve gives it an
// address of its own (--metrics-addr).
package metrics

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds a node's metrics. Its methods are safe for concurrent use.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	cache    *prometheus.CounterVec
	feed     prometheus.Gauge
	applied  prometheus.Histogram
	purges   *prometheus.CounterVec
	// Long commands (import, export) report their progress.
	jobDone, jobTotal *prometheus.GaugeVec
	exportFiles       *prometheus.CounterVec
	exportRuns        prometheus.Histogram
}

// New returns the metrics of a node serving s.
func New(s store.Store) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dateline_http_requests_total",
			Help: "Requests answered, by route (the pattern that served them) and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "dateline_http_request_duration_seconds",
			Help: "Time to answer a request, by route.",
			// From a cached page (well under a millisecond) to a page
			// built from a slow database.
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
		cache: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dateline_page_cache_requests_total",
			Help: "Reader pages served from the page cache (hit) or built for the request (miss).",
		}, []string{"result"}),
		feed: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "dateline_change_feed_connected",
			Help: "1 while the node follows the database's changes, 0 while it tries to again (pages are then as old as the page cache allows).",
		}),
		applied: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "dateline_change_feed_lag_seconds",
			Help:    "Time from hearing of a change to serving it: pages dropped, settings and linking index brought up to date.",
			Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}),
		purges: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dateline_purges_total",
			Help: "Purges sent to the caches in front of the nodes (--purge), by purger and result (ok, or failed after the retries).",
		}, []string{"purger", "result"}),
		jobDone: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "dateline_job_items_done",
			Help: "Items a long command (job: import, export) has done in its current run.",
		}, []string{"job"}),
		jobTotal: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "dateline_job_items",
			Help: "Items a long command (job: import, export) has to do in its current run.",
		}, []string{"job"}),
		exportFiles: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dateline_export_files_total",
			Help: "Files the static export wrote, found unchanged, or removed, over its runs (export --watch).",
		}, []string{"result"}),
		exportRuns: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "dateline_export_run_seconds",
			Help:    "Time of each run of the static export.",
			Buckets: []float64{.1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300, 900},
		}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.cache, m.feed, m.applied, m.purges, m.jobDone, m.jobTotal, m.exportFiles, m.exportRuns,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&storeCollector{s: s})
	return m
}

// Handler serves the metrics in Prometheus's text format. A figure that
// cannot be read (the database is away) is left out, and the others are
// still served.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// PageCache counts a reader page served from the cache (hit) or built.
func (m *Metrics) PageCache(hit bool) {
	if hit {
		m.cache.WithLabelValues("hit").Inc()
	} else {
		m.cache.WithLabelValues("miss").Inc()
	}
}

// Feed records whether the node follows the database's changes.
func (m *Metrics) Feed(connected bool) {
	if connected {
		m.feed.Set(1)
	} else {
		m.feed.Set(0)
	}
}

// ChangeApplied records a change served, heard of lag ago.
func (m *Metrics) ChangeApplied(lag time.Duration) { m.applied.Observe(lag.Seconds()) }

// Purged counts a purge sent to a cache in front of the nodes: done, or
// failed after its retries.
func (m *Metrics) Purged(purger string, err error) {
	result := "ok"
	if err != nil {
		result = "failed"
	}
	m.purges.WithLabelValues(purger, result).Inc()
}

// Progress records how far a long command's run has got: done of total
// items.
func (m *Metrics) Progress(job string, done, total int) {
	m.jobDone.WithLabelValues(job).Set(float64(done))
	m.jobTotal.WithLabelValues(job).Set(float64(total))
}

// Exported records a run of the static export.
func (m *Metrics) Exported(written, unchanged, removed int, took time.Duration) {
	m.exportFiles.WithLabelValues("written").Add(float64(written))
	m.exportFiles.WithLabelValues("unchanged").Add(float64(unchanged))
	m.exportFiles.WithLabelValues("removed").Add(float64(removed))
	m.exportRuns.Observe(took.Seconds())
}

type routeKey struct{}

// route is where Route leaves the pattern that served a request for
// Middleware, which runs outside the handlers that may copy the request.
type route struct{ pattern string }

// Unmatched is the route of a request no pattern served (a 404 before any
// handler, a malformed address).
const Unmatched = "unmatched"

// Middleware counts and times each request h answers, by the route Route
// or SetRoute recorded for it.
func (m *Metrics) Middleware(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rt := &route{}
		rec := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), routeKey{}, rt)))
		pattern := rt.pattern
		if pattern == "" {
			pattern = Unmatched
		}
		m.requests.WithLabelValues(pattern, strconv.Itoa(rec.status)).Inc()
		m.latency.WithLabelValues(pattern).Observe(time.Since(start).Seconds())
	})
}

// Route records, for Middleware, the pattern of mux that served each
// request ("GET /{slug}/", not the address itself, so that the routes are
// few).
func Route(mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		if r.Pattern != "" {
			SetRoute(r, r.Pattern)
		}
	})
}

// SetRoute records the route of r for Middleware, unless one is recorded.
func SetRoute(r *http.Request, pattern string) {
	if rt, ok := r.Context().Value(routeKey{}).(*route); ok && rt.pattern == "" {
		rt.pattern = pattern
	}
}

// statusWriter remembers the status code written.
type statusWriter struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wroteHeader {
		w.status, w.wroteHeader = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wroteHeader = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// storeCollector reads the store's figures at each scrape.
type storeCollector struct{ s store.Store }

var (
	poolMaxDesc    = prometheus.NewDesc("dateline_db_connections_max", "The most database connections the node opens (0: no limit).", nil, nil)
	poolOpenDesc   = prometheus.NewDesc("dateline_db_connections_open", "Database connections open.", nil, nil)
	poolInUseDesc  = prometheus.NewDesc("dateline_db_connections_in_use", "Database connections serving a statement.", nil, nil)
	poolWaitsDesc  = prometheus.NewDesc("dateline_db_connection_waits_total", "Times a statement waited for a free database connection.", nil, nil)
	poolWaitedDesc = prometheus.NewDesc("dateline_db_connection_wait_seconds_total", "Time statements spent waiting for a free database connection.", nil, nil)
	pendingDesc    = prometheus.NewDesc("dateline_comments_pending", "Comments waiting for a moderator.", nil, nil)
)

// scrapeTimeout bounds the database reads of one scrape.
const scrapeTimeout = 2 * time.Second

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolMaxDesc, poolOpenDesc, poolInUseDesc, poolWaitsDesc, poolWaitedDesc, pendingDesc} {
		ch <- d
	}
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	p := c.s.Pool()
	ch <- prometheus.MustNewConstMetric(poolMaxDesc, prometheus.GaugeValue, float64(p.Max))
	ch <- prometheus.MustNewConstMetric(poolOpenDesc, prometheus.GaugeValue, float64(p.Open))
	ch <- prometheus.MustNewConstMetric(poolInUseDesc, prometheus.GaugeValue, float64(p.InUse))
	ch <- prometheus.MustNewConstMetric(poolWaitsDesc, prometheus.CounterValue, float64(p.Waits))
	ch <- prometheus.MustNewConstMetric(poolWaitedDesc, prometheus.CounterValue, p.Waited.Seconds())
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	n, err := c.s.CountComments(ctx, store.CommentQuery{State: comment.Pending})
	if err != nil {
		ch <- prometheus.NewInvalidMetric(pendingDesc, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(pendingDesc, prometheus.GaugeValue, float64(n))
}
