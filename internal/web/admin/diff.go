package admin

import "strings"

// DiffOp says what happened to a line between two texts.
type DiffOp int

// The kinds of lines in a diff.
const (
	Same DiffOp = iota
	Removed
	Added
)

// DiffLine is one line of a line diff.
type DiffLine struct {
	Op   DiffOp
	Text string
	// Old and New are the line's numbers in each text, 1-based; 0 where
	// the line is not in that text.
	Old, New int
}

// maxDiffCells bounds the LCS table (lines of a × lines of b), so that a
// huge body cannot take the server's memory: beyond it the diff falls back
// to removing the whole old text and adding the new one.
const maxDiffCells = 4_000_000

// lineDiff compares two texts line by line with a longest common
// subsequence, as diff does, after dropping the lines they share at both
// ends.
func lineDiff(a, b string) []DiffLine {
	x, y := splitLines(a), splitLines(b)
	var out []DiffLine
	// A common head and tail need no table; edits are usually small.
	head := 0
	for head < len(x) && head < len(y) && x[head] == y[head] {
		out = append(out, DiffLine{Op: Same, Text: x[head], Old: head + 1, New: head + 1})
		head++
	}
	tail := 0
	for tail < len(x)-head && tail < len(y)-head && x[len(x)-1-tail] == y[len(y)-1-tail] {
		tail++
	}
	mx, my := x[head:len(x)-tail], y[head:len(y)-tail]
	out = append(out, lcsDiff(mx, my, head)...)
	for i := range tail {
		ox, oy := len(x)-tail+i, len(y)-tail+i
		out = append(out, DiffLine{Op: Same, Text: x[ox], Old: ox + 1, New: oy + 1})
	}
	return out
}

// lcsDiff diffs x and y, whose first lines are line offset+1 of their
// texts.
func lcsDiff(x, y []string, offset int) []DiffLine {
	n, m := len(x), len(y)
	var out []DiffLine
	if n*m > maxDiffCells {
		for i, l := range x {
			out = append(out, DiffLine{Op: Removed, Text: l, Old: offset + i + 1})
		}
		for j, l := range y {
			out = append(out, DiffLine{Op: Added, Text: l, New: offset + j + 1})
		}
		return out
	}
	// lcs[i][j] is the length of the longest common subsequence of x[i:]
	// and y[j:], in one slice of (n+1)×(m+1).
	w := m + 1
	lcs := make([]int32, (n+1)*w)
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
			} else {
				lcs[i*w+j] = max(lcs[(i+1)*w+j], lcs[i*w+j+1])
			}
		}
	}
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && x[i] == y[j]:
			out = append(out, DiffLine{Op: Same, Text: x[i], Old: offset + i + 1, New: offset + j + 1})
			i++
			j++
		case i < n && (j == m || lcs[(i+1)*w+j] >= lcs[i*w+j+1]):
			// Removals first, as diff shows a changed line.
			out = append(out, DiffLine{Op: Removed, Text: x[i], Old: offset + i + 1})
			i++
		default:
			out = append(out, DiffLine{Op: Added, Text: y[j], New: offset + j + 1})
			j++
		}
	}
	return out
}

// splitLines splits s into lines without their endings; "" has none.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// diffStats counts the added and removed lines of a diff.
func diffStats(d []DiffLine) (added, removed int) {
	for _, l := range d {
		switch l.Op {
		case Added:
			added++
		case Removed:
			removed++
		}
	}
	return added, removed
}
