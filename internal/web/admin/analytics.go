package admin

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/web"
)

// AnalyticsPage shows the most-read articles over a period and, for one
// article, its views per day as a chart.
type AnalyticsPage struct {
	Page
	Days     int
	Periods  []int
	From, To time.Time
	MostRead []store.ArticleViews
	// Article is the chosen article's slug; Chart is nil when none is.
	Article string
	Chart   *Chart
}

// Chart is a bar chart of views per day, drawn as inline SVG by the
// template: no script, no third-party request.
type Chart struct {
	Title      string
	Width      int
	Height     int
	Top        int // the top of the plot, where the largest value reaches
	Baseline   int // the y of the x axis
	Max        int64
	Total      int64
	Bars       []Bar
	Ticks      []Tick
	LabelEvery int
}

// Bar is one day of the chart.
type Bar struct {
	Day        string // 2006-01-02
	Label      string // 2 Jan
	Views      int64
	X, Y, W, H int
	LabelX     int
	ShowLabel  bool
}

// Tick is a labelled line across the chart at a number of views.
type Tick struct {
	Y     int
	Value int64
}

var periods = []int{7, 30}

// mostReadCount is how many articles the most-read list shows.
const mostReadCount = 20

func (h *Handler) analytics(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	days := 7
	if s := q.Get("days"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || (n != 7 && n != 30) {
			return web.BadRequest{Message: fmt.Sprintf("%q is not a period the analytics offer: use 7 or 30 days.", s)}
		}
		days = n
	}
	// Views are counted per UTC day.
	to := h.now().UTC().Truncate(24 * time.Hour)
	from := to.AddDate(0, 0, -(days - 1))
	p := AnalyticsPage{Page: h.page(r, "Analytics", "analytics"), Days: days, Periods: periods, From: from, To: to}
	var err error
	if p.MostRead, err = h.store.MostRead(ctx, from, to, mostReadCount); err != nil {
		return err
	}
	if slug := q.Get("article"); slug != "" {
		a, err := h.store.Article(ctx, slug)
		if errors.Is(err, store.ErrNotFound) {
			return web.HTTPError{Status: http.StatusNotFound, Message: fmt.Sprintf("There is no article %q.", slug)}
		} else if err != nil {
			return err
		}
		views, err := h.store.DailyViews(ctx, a.ID, from, to)
		if err != nil {
			return err
		}
		p.Article = a.Slug
		p.Chart = barChart(fmt.Sprintf("Views per day of “%s”, %s to %s", a.Title, from.Format("2 Jan"), to.Format("2 Jan 2006")), from, days, views)
	}
	return writePage(w, r, http.StatusOK, h.tpl.analytics, p)
}

// barChart lays out a bar for each day from from, days long; days
// without views get an empty bar.
func barChart(title string, from time.Time, days int, views map[string]int64) *Chart {
	const width, height, left, right, top, bottom = 720, 260, 48, 8, 12, 28
	c := &Chart{Title: title, Width: width, Height: height, Top: top, Baseline: height - bottom, LabelEvery: 1}
	for d := 0; d < days; d++ {
		day := from.AddDate(0, 0, d).Format("2006-01-02")
		c.Max = max(c.Max, views[day])
		c.Total += views[day]
	}
	scale := niceMax(c.Max)
	if days > 10 {
		c.LabelEvery = 5
	}
	plot := width - left - right
	slot := plot / days
	for d := 0; d < days; d++ {
		t := from.AddDate(0, 0, d)
		v := views[t.Format("2006-01-02")]
		h := int(int64(c.Baseline-top) * v / scale)
		b := Bar{Day: t.Format("2006-01-02"), Label: t.Format("2 Jan"), Views: v,
			X: left + d*slot + slot/8, W: max(slot-slot/4, 1), Y: c.Baseline - h, H: h,
			LabelX: left + d*slot + slot/2, ShowLabel: d%c.LabelEvery == 0}
		c.Bars = append(c.Bars, b)
	}
	for i := int64(0); i <= 4; i++ {
		v := scale * i / 4
		c.Ticks = append(c.Ticks, Tick{Value: v, Y: c.Baseline - int(int64(c.Baseline-top)*v/scale)})
	}
	return c
}

// niceMax rounds n up to a round number to scale the chart by (at least
// 4, so that the four ticks are whole numbers).
func niceMax(n int64) int64 {
	if n <= 4 {
		return 4
	}
	step := int64(1)
	for step*10 < n {
		step *= 10
	}
	for _, m := range []int64{1, 2, 4, 5, 10} {
		if m*step >= n && (m*step)%4 == 0 {
			return m * step
		}
	}
	return (n + 3) / 4 * 4
}
