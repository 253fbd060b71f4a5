package store

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

func TestMigrationsNumbering(t *testing.T) {
	t.Parallel()
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	for _, test := range []struct {
		name    string
		files   fstest.MapFS
		wantErr string
	}{
		{"in order", fstest.MapFS{"0001_a.sql": file("A"), "0002_b.sql": file("B"), "README": file("x")}, ""},
		{"gap", fstest.MapFS{"0001_a.sql": file("A"), "0003_c.sql": file("C")}, "0003_c.sql: expected number 2"},
		{"repeat", fstest.MapFS{"0001_a.sql": file("A"), "0001_b.sql": file("B")}, "expected number 2"},
		{"not starting at one", fstest.MapFS{"0002_b.sql": file("B")}, "expected number 1"},
		{"bad name", fstest.MapFS{"first.sql": file("A")}, "first.sql: name must start with a positive number"},
		{"none", fstest.MapFS{}, "no migrations found"},
	} {
		t.Run(test.name, func(t *testing.T) {
			ms, err := Migrations(test.files)
			if test.wantErr == "" {
				if err != nil || len(ms) != 2 || ms[1].SQL != "B" {
					t.Fatalf("Migrations = %v, %v; want two in order", ms, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), test.wantErr) {
				t.Fatalf("Migrations error = %v, want it to contain %q", err, test.wantErr)
			}
		})
	}
}

func TestCheckVersionRefusesNewerSchema(t *testing.T) {
	t.Parallel()
	ms := []Migration{{Version: 1}, {Version: 2}}
	if err := CheckVersion(2, ms); err != nil {
		t.Errorf("CheckVersion(2) = %v, want nil", err)
	}
	if err := CheckVersion(3, ms); !errors.Is(err, ErrSchema) {
		t.Errorf("CheckVersion(3) = %v, want ErrSchema", err)
	}
}

func TestCheckCurrentRefusesOlderAndNewerSchemas(t *testing.T) {
	t.Parallel()
	ms := []Migration{{Version: 1}, {Version: 2}}
	if err := CheckCurrent(2, ms); err != nil {
		t.Errorf("CheckCurrent(2) = %v, want nil", err)
	}
	for _, v := range []int{0, 1, 3} {
		if err := CheckCurrent(v, ms); !errors.Is(err, ErrSchema) {
			t.Errorf("CheckCurrent(%d) = %v, want ErrSchema", v, err)
		}
	}
	if err := CheckCurrent(1, ms); !strings.Contains(err.Error(), "dateline migrate") {
		t.Errorf("CheckCurrent of an older schema = %v, want it to say how to migrate", err)
	}
}
