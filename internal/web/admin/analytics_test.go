package admin

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/user"
)

func TestAnalytics(t *testing.T) {
	at := newAdminTest(t)
	token := at.session(at.addUser("author@example.org", user.Author))
	a := at.addArticle("harbour-flood", 0)
	b := at.addArticle("quiet-day", 0)
	ctx := context.Background()
	today := at.clock().UTC().Truncate(24 * time.Hour)
	for day, views := range map[int]map[int64]int64{
		0:  {a.ID: 120, b.ID: 3},
		1:  {a.ID: 40},
		3:  {a.ID: 7},
		20: {b.ID: 5000}, // outside the last 7 days
	} {
		if err := at.db.AddViews(ctx, today.AddDate(0, 0, -day), views); err != nil {
			t.Fatal(err)
		}
	}

	resp := at.get("/admin/analytics", token)
	expectStatus(t, resp, http.StatusOK)
	ia, ib := strings.Index(resp.body, "Article harbour-flood"), strings.Index(resp.body, "Article quiet-day")
	if ia < 0 || ib < 0 || ia > ib {
		t.Errorf("the most-read list does not put harbour-flood (167 views) before quiet-day (3):\n%s", excerptOf(resp.body))
	}
	if strings.Contains(resp.body, "<svg") {
		t.Error("a chart without a chosen article")
	}
	resp = at.get("/admin/analytics?days=30", token)
	expectStatus(t, resp, http.StatusOK)
	if ia, ib := strings.Index(resp.body, "Article harbour-flood"), strings.Index(resp.body, "Article quiet-day"); ib > ia {
		t.Error("over 30 days quiet-day (5,003 views) should lead")
	}

	resp = at.get("/admin/analytics?days=7&article=harbour-flood", token)
	expectStatus(t, resp, http.StatusOK)
	for _, want := range []string{
		`<svg class="bar-chart" role="img" aria-labelledby="chart-title chart-desc"`,
		`<title id="chart-title">Views per day of “Article harbour-flood”`,
		"<title>14 Mar: 120</title>", "<title>13 Mar: 40</title>", "<title>12 Mar: 0</title>", "<title>11 Mar: 7</title>",
		"<td><time datetime=\"" + at.clock().Format(time.DateOnly) + "\">14 Mar</time></td><td>120</td>",
		"167 views in all.",
	} {
		if !strings.Contains(resp.body, want) {
			t.Errorf("the chart page lacks %q", want)
		}
	}
	if n := strings.Count(resp.body, `<rect class="bar"`); n != 7 {
		t.Errorf("%d bars, want one for each of 7 days", n)
	}
	// The tallest bar is the busiest day's.
	heights := regexp.MustCompile(`<rect class="bar" x="\d+" y="\d+" width="\d+" height="(\d+)"><title>(\d+ Mar)`).FindAllStringSubmatch(resp.body, -1)
	tallest := ""
	maxH := -1
	for _, m := range heights {
		var h int
		for _, c := range m[1] {
			h = h*10 + int(c-'0')
		}
		if h > maxH {
			maxH, tallest = h, m[2]
		}
	}
	if tallest != "14 Mar" {
		t.Errorf("the tallest bar is %q, want 14 Mar", tallest)
	}
	// Nothing is fetched from elsewhere.
	for _, m := range regexp.MustCompile(`(?:src|href)="(https?:)?//`).FindAllString(resp.body, -1) {
		t.Errorf("the page loads from another site: %s", m)
	}

	expectStatus(t, at.get("/admin/analytics?days=9", token), http.StatusBadRequest)
	expectStatus(t, at.get("/admin/analytics?article=no-such-article", token), http.StatusNotFound)
}

func TestNiceMax(t *testing.T) {
	for n, want := range map[int64]int64{0: 4, 3: 4, 5: 8, 9: 12, 120: 200, 167: 200, 400: 400, 401: 500, 5000: 5000} {
		if got := niceMax(n); got != want || got < n || got%4 != 0 {
			t.Errorf("niceMax(%d) = %d, want %d", n, got, want)
		}
	}
}
