// Package testclock is the clock of Dateline's tests. A test's "now" is a
// date it chooses, never the calendar's, and moves only when the test
// moves it; the code under test gets the same clock, so nothing depends
// on the day the tests run.
//
// DATELINE_TEST_CLOCK_YEARS moves every date made with Date that many
// years (e.g. 30 or -30). Running the suite far in the future and far in
// the past shows that no code under test reads the wall clock: a store
// that did so would see the tests' tokens and sessions as long expired,
// or not yet made (issue 11).
package testclock

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"
)

// YearsVar is the environment variable that shifts test dates.
const YearsVar = "DATELINE_TEST_CLOCK_YEARS"

// Years is the shift of every Date, from DATELINE_TEST_CLOCK_YEARS. It
// panics on a value that is not a whole number, so that a mistyped guard
// run fails instead of running unshifted.
func Years() int {
	v := os.Getenv(YearsVar)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		panic(fmt.Sprintf("%s=%q: want a whole number of years, such as 30 or -30", YearsVar, v))
	}
	return n
}

// Date is time.Date in UTC, moved by Years.
func Date(year int, month time.Month, day, hour, min int) time.Time {
	return time.Date(year+Years(), month, day, hour, min, 0, 0, time.UTC)
}

// Clock is a settable clock, safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// New returns a clock standing at start.
func New(start time.Time) *Clock { return &Clock{t: start} }

// Now returns the clock's time; pass it where code takes a clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// Add moves the clock on by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
