package config

import (
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/linking"
)

func TestFromEnv(t *testing.T) {
	t.Parallel()
	env := func(m map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
	}
	if got := FromEnv(env(nil)).DB; got != DefaultDB {
		t.Errorf("default DB = %q, want %q", got, DefaultDB)
	}
	if got := FromEnv(env(map[string]string{"DATELINE_DB": "postgres://x@h/db"})).DB; got != "postgres://x@h/db" {
		t.Errorf("DB from DATELINE_DB = %q", got)
	}
}

func TestParseDB(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		dsn, backend, target, wantErr string
	}{
		{dsn: "sqlite:dateline.db", backend: "sqlite", target: "dateline.db"},
		{dsn: "sqlite:///var/lib/dateline.db", backend: "sqlite", target: "/var/lib/dateline.db"},
		{dsn: "postgres://u@localhost/news", backend: "postgres", target: "postgres://u@localhost/news"},
		{dsn: "postgresql://u@localhost/news", backend: "postgres", target: "postgresql://u@localhost/news"},
		{dsn: "sqlite:", wantErr: "names no file"},
		{dsn: "mysql://root:hunter2@localhost/news", wantErr: `unknown database scheme "mysql"`},
		{dsn: "dateline.db", wantErr: `unknown database scheme "dateline.db"`},
	} {
		t.Run(test.dsn, func(t *testing.T) {
			backend, target, err := ParseDB(test.dsn)
			if test.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), test.wantErr) {
					t.Fatalf("ParseDB(%q) error = %v, want %q", test.dsn, err, test.wantErr)
				}
				if strings.Contains(err.Error(), "hunter2") {
					t.Errorf("error shows the password: %v", err)
				}
				return
			}
			if err != nil || string(backend) != test.backend || target != test.target {
				t.Errorf("ParseDB(%q) = %q, %q, %v; want %q, %q", test.dsn, backend, target, err, test.backend, test.target)
			}
		})
	}
}

func TestValidateNamesTheSetting(t *testing.T) {
	t.Parallel()
	err := (&Config{DB: "redis://x"}).Validate()
	if err == nil || !strings.Contains(err.Error(), "DATELINE_DB") {
		t.Errorf("Validate = %v, want an error naming DATELINE_DB", err)
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	if got := Redact("postgres://news:s3cret@db:5432/site"); strings.Contains(got, "s3cret") || !strings.Contains(got, "news") {
		t.Errorf("Redact = %q", got)
	}
}

func TestTrustProxy(t *testing.T) {
	t.Parallel()
	env := func(v string) func(string) (string, bool) {
		return func(k string) (string, bool) {
			if k == "DATELINE_TRUST_PROXY" {
				return v, true
			}
			return "", false
		}
	}
	if c := FromEnv(env("")); c.TrustProxy || c.Validate() != nil {
		t.Errorf("unset: TrustProxy = %v, Validate = %v; want false, nil", c.TrustProxy, c.Validate())
	}
	if c := FromEnv(env("true")); !c.TrustProxy || c.Validate() != nil {
		t.Errorf("true: TrustProxy = %v, Validate = %v", c.TrustProxy, c.Validate())
	}
	if err := FromEnv(env("sometimes")).Validate(); err == nil || !strings.Contains(err.Error(), `DATELINE_TRUST_PROXY: "sometimes"`) {
		t.Errorf("Validate with DATELINE_TRUST_PROXY=sometimes = %v, want it named", err)
	}
}

func TestRelatedFloor(t *testing.T) {
	t.Parallel()
	env := func(v string) func(string) (string, bool) {
		return func(k string) (string, bool) { return v, k == "DATELINE_RELATED_FLOOR" }
	}
	if c := FromEnv(env("")); c.RelatedFloor != linking.DefaultRelatedFloor || c.Validate() != nil {
		t.Errorf("unset: RelatedFloor = %v, Validate = %v; want %v, nil", c.RelatedFloor, c.Validate(), linking.DefaultRelatedFloor)
	}
	if c := FromEnv(env("0.1")); c.RelatedFloor != 0.1 || c.Validate() != nil {
		t.Errorf("0.1: RelatedFloor = %v, Validate = %v", c.RelatedFloor, c.Validate())
	}
	for _, bad := range []string{"high", "1.5", "-0.1", "NaN"} {
		if err := FromEnv(env(bad)).Validate(); err == nil || !strings.Contains(err.Error(), "DATELINE_RELATED_FLOOR") {
			t.Errorf("Validate with DATELINE_RELATED_FLOOR=%s = %v, want it named", bad, err)
		}
	}
}

func TestMediaSettings(t *testing.T) {
	t.Parallel()
	env := func(vars map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
	}
	c := FromEnv(env(nil))
	if c.MaxUploadMB != DefaultMaxUploadMB || c.MediaWorkers != DefaultMediaWorkers || c.Validate() != nil {
		t.Errorf("defaults: %d MB, %d workers, %v", c.MaxUploadMB, c.MediaWorkers, c.Validate())
	}
	for vars, want := range map[string]string{
		"DATELINE_MAX_UPLOAD_MB=lots": `DATELINE_MAX_UPLOAD_MB: "lots" is not a whole number`,
		"DATELINE_MAX_UPLOAD_MB=0":    "0 is not from 1 to 1024 megabytes",
		"DATELINE_MEDIA_WORKERS=-1":   "--media-workers / DATELINE_MEDIA_WORKERS: -1 is not from 1 to 64",
	} {
		k, v, _ := strings.Cut(vars, "=")
		if err := FromEnv(env(map[string]string{k: v})).Validate(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: Validate = %v, want %q", vars, err, want)
		}
	}
	for _, test := range []struct{ db, media, want string }{
		{"sqlite:/srv/news/site.db", "", "/srv/news/site-media"},
		{"sqlite:dateline.db", "", "dateline-media"},
		{"sqlite:/srv/news/site.db", "/var/media", "/var/media"},
		{"postgres://u@db/news", "", ""},
		{"postgres://u@db/news", "/mnt/shared", "/mnt/shared"},
	} {
		if got := (&Config{DB: test.db, Media: test.media}).MediaDir(); got != test.want {
			t.Errorf("MediaDir of %s with --media %q = %q, want %q", test.db, test.media, got, test.want)
		}
	}
}
