package sqlstore

import (
	"strconv"
	"strings"
)

// filter builds the WHERE clause of a list query and its arguments.
type filter struct {
	conditions []string
	args       []any
}

// arg adds a query argument and returns its placeholder.
func (f *filter) arg(v any) string {
	f.args = append(f.args, v)
	return "$" + strconv.Itoa(len(f.args))
}

func (f *filter) where() string {
	if len(f.conditions) == 0 {
		return ""
	}
	return `
		WHERE ` + strings.Join(f.conditions, ` AND `)
}

// page is the LIMIT and OFFSET of a list, or "" without a limit: an
// offset counts only with a limit.
func (f *filter) page(limit, offset int) string {
	if limit <= 0 {
		return ""
	}
	return `
		LIMIT ` + f.arg(limit) + ` OFFSET ` + f.arg(offset)
}
