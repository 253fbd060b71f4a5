package comment

import "testing"

func TestRelabelMovesCountsBetweenLabels(t *testing.T) {
	for _, test := range []struct {
		from, to  string
		ham, spam int64
	}{
		{"", "ham", 1, 0},
		{"", "spam", 0, 1},
		{"ham", "spam", -1, 1},
		{"spam", "ham", 1, -1},
		{"spam", "", 0, -1},
		{"ham", "ham", 0, 0},
	} {
		ham, spam := Relabel(test.from, test.to)
		if ham != test.ham || spam != test.spam {
			t.Errorf("Relabel(%q, %q) = %d, %d; want %d, %d", test.from, test.to, ham, spam, test.ham, test.spam)
		}
	}
}
