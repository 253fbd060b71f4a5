package dbcopy

import (
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/store"
	"github.com/google/go-cmp/cmp"
)

// The whole copy, between real databases, is tested in internal/cli
// (db_copy_test.go), which has the demo site to copy.

func TestDBCopyFinerKind(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		name   string
		a, b   store.ColumnKind
		want   store.ColumnKind
		wantOK bool
	}{
		{"same", store.KindText, store.KindText, store.KindText, true},
		{"time kept as text", store.KindText, store.KindTime, store.KindTime, true},
		{"either side", store.KindTime, store.KindText, store.KindTime, true},
		{"day kept as text", store.KindText, store.KindDate, store.KindDate, true},
		{"jsonb", store.KindJSON, store.KindText, store.KindJSON, true},
		{"boolean kept as integer", store.KindInt, store.KindBool, store.KindBool, true},
		{"text and blob", store.KindText, store.KindBlob, 0, false},
		{"integer and time", store.KindInt, store.KindTime, 0, false},
	} {
		t.Run(test.name, func(t *testing.T) {
			got, ok := finer(test.a, test.b)
			if got != test.want || ok != test.wantOK {
				t.Errorf("finer(%s, %s) = %s, %v; want %s, %v", test.a, test.b, got, ok, test.want, test.wantOK)
			}
		})
	}
}

func TestDBCopyOrder(t *testing.T) {
	t.Parallel()
	var plans []tablePlan
	for _, name := range []string{"revisions", "comments", "articles", "users", "authors", "settings"} {
		plans = append(plans, tablePlan{name: name})
	}
	refs := map[string][]string{
		"articles":  {"authors", "users", "media"}, // media is not copied: no wait for it
		"comments":  {"articles", "comments"},      // a thread
		"revisions": {"articles"},
	}
	var got []string
	for _, p := range order(plans, refs) {
		got = append(got, p.name)
	}
	want := []string{"authors", "settings", "users", "articles", "comments", "revisions"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}

// A row reads the same whichever backend it came from once its values
// are in their kinds' Go types, and a value converted wrongly shows.
func TestDBCopyChecksum(t *testing.T) {
	t.Parallel()
	cols := []store.Column{
		{Name: "id", Kind: store.KindInt}, {Name: "at", Kind: store.KindTime}, {Name: "closed", Kind: store.KindBool},
		{Name: "tags", Kind: store.KindJSON}, {Name: "hash", Kind: store.KindBlob}, {Name: "note", Kind: store.KindText},
	}
	at := time.Date(2026, 11, 27, 12, 0, 0, 123456000, time.UTC)
	sum := func(rows ...[]any) Checksum {
		var c Checksum
		for _, r := range rows {
			c.Add(cols, r)
		}
		return c
	}
	sqliteRow := []any{int64(1), at, true, `["a","b"]`, []byte{1, 2}, nil}
	pgRow := []any{int64(1), at.In(time.FixedZone("CET", 3600)), true, `["a", "b"]`, []byte{1, 2}, nil}
	other := []any{int64(2), at, false, `[]`, []byte{}, ""}
	if sum(sqliteRow, other) != sum(other, pgRow) {
		t.Error("the same rows, in another order and as PostgreSQL gives them, sum differently")
	}
	for _, test := range []struct {
		name string
		row  []any
	}{
		{"time cut to seconds", []any{int64(1), at.Truncate(time.Second), true, `["a","b"]`, []byte{1, 2}, nil}},
		{"boolean as integer", []any{int64(1), at, int64(1), `["a","b"]`, []byte{1, 2}, nil}},
		{"blob as text", []any{int64(1), at, true, `["a","b"]`, "\x01\x02", nil}},
		{"NULL as empty text", []any{int64(1), at, true, `["a","b"]`, []byte{1, 2}, ""}},
		{"JSON reordered", []any{int64(1), at, true, `["b","a"]`, []byte{1, 2}, nil}},
	} {
		if sum(test.row) == sum(sqliteRow) {
			t.Errorf("%s: the checksum does not change", test.name)
		}
	}
	if sum(other, other) == sum() {
		t.Error("a row twice cancels out")
	}
}
