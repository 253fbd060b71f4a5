package user

import "time"

// SessionLifetime is how long a sign-in lasts.
const SessionLifetime = 14 * 24 * time.Hour

// Sign-in throttling: the first few failures are typos and cost nothing;
// after that each failure doubles the wait, up to a cap that still lets
// the real owner in within the quarter hour.
const (
	freeSignInFailures = 3
	firstSignInDelay   = time.Second
	maxSignInDelay     = 15 * time.Minute
)

// SignInDelay is how long to refuse sign-ins to an account, or from an IP,
// after failures failed attempts: nothing below 3, then 1 s, 2 s, 4 s, …
// doubling with each failure, at most 15 minutes.
func SignInDelay(failures int) time.Duration {
	if failures < freeSignInFailures {
		return 0
	}
	d := firstSignInDelay
	for range failures - freeSignInFailures {
		d *= 2
		if d >= maxSignInDelay {
			return maxSignInDelay
		}
	}
	return d
}
