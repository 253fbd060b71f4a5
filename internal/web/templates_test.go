package web

import (
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/store"
)

// TestSiteTimeZone checks that pages show dates and times in the time
// zone an administrator set, and in UTC without one.
func TestSiteTimeZone(t *testing.T) {
	tpl, err := LoadTemplates("")
	if err != nil {
		t.Fatal(err)
	}
	// 23:30 UTC on 27 November is already the 28th in Karachi (UTC+5).
	at := time.Date(2026, 11, 27, 23, 30, 0, 0, time.UTC)
	site := &Site{Templates: tpl, Now: func() time.Time { return at }}
	fm := tpl.funcs()
	show := func() (string, string, string) {
		return fm["date"].(func(time.Time) string)(at), fm["clock"].(func(time.Time) string)(at), fm["datetime"].(func(time.Time) string)(at)
	}
	if d, c, dt := show(); d != "27 November 2026" || c != "23:30" || dt != "2026-11-27T23:30:00Z" {
		t.Errorf("without a time zone: %q %q %q, want UTC", d, c, dt)
	}
	site.SetOverrides(SiteOverrides(store.SiteSettings{TimeZone: "Asia/Karachi"}))
	if d, c, dt := show(); d != "28 November 2026" || c != "04:30" || dt != "2026-11-28T04:30:00+05:00" {
		t.Errorf("in Asia/Karachi: %q %q %q", d, c, dt)
	}
	site.SetOverrides(SiteInfo{})
	if d, _, _ := show(); d != "27 November 2026" {
		t.Errorf("after the zone was cleared: %q, want UTC again", d)
	}
}
