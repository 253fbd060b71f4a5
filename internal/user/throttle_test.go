package user

import (
	"testing"
	"time"
)

func TestSignInDelay(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		failures int
		want     time.Duration
	}{
		{-1, 0},
		{0, 0},
		{1, 0},
		{2, 0},
		{3, time.Second},
		{4, 2 * time.Second},
		{5, 4 * time.Second},
		{12, 512 * time.Second},
		{13, 15 * time.Minute}, // 1024 s is past the cap
		{100, 15 * time.Minute},
		{1 << 40, 15 * time.Minute},
	} {
		if got := SignInDelay(test.failures); got != test.want {
			t.Errorf("SignInDelay(%d) = %v, want %v", test.failures, got, test.want)
		}
	}
	for n := range 200 {
		if SignInDelay(n+1) < SignInDelay(n) {
			t.Fatalf("SignInDelay(%d) < SignInDelay(%d)", n+1, n)
		}
	}
}
