// Package config holds Dateline's settings, read from DATELINE_* environment
// variables with defaults and overridden by command-line flags. The Config
// is passed down explicitly; there is no global.
package config

import (
	"fmt"
	"math"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/linking"
	"github.com/datelinehq/dateline/internal/purge"
)

// DefaultDB is the database used when neither --db nor DATELINE_DB is set:
// a SQLite file in the working directory.
const DefaultDB = "sqlite:dateline.db"

// Config is the whole configuration of one Dateline process.
type Config struct {
	// DB is the database DSN: sqlite:PATH or postgres://...
	DB string
	// Addr is where `dateline serve` listens, host:port.
	Addr string
	// MetricsAddr, when set, is where serve answers /metrics (host:port):
	// an address of its own, kept off the public one.
	MetricsAddr string
	// Purge are the caches in front of the nodes (a CDN, Varnish) that
	// serve purges on a change: varnish:URL or webhook:URL (package
	// purge).
	Purge []string
	// SharedCache, when set, declares such a cache: pages tell it to
	// keep them this long (s-maxage). Zero with Purge set means an hour.
	SharedCache time.Duration
	// Theme is a folder whose templates and static files replace the
	// built-in ones of the same name; empty for the default theme.
	Theme string
	// SiteTitle and SiteDescription name the site in every page.
	SiteTitle       string
	SiteDescription string
	// Language is the site's BCP 47 language tag, for <html lang>.
	Language string
	// BaseURL is the site's public address, such as
	// https://news.example.org, for canonical links, feeds and sitemaps.
	// Empty: taken from each request's Host.
	BaseURL string
	// Logo is the address of the publisher's logo for structured data;
	// empty uses the built-in one.
	Logo string
	// FeedContent is "full" (articles' whole text in feeds) or "summary".
	FeedContent string
	// TrustProxy makes the server believe X-Forwarded-For and
	// X-Forwarded-Proto: set it only behind a reverse proxy that sets
	// them, or anyone could choose the address sign-ins are throttled by.
	TrustProxy bool
	// SetupCode is the code the admin's first-run setup asks for; empty
	// makes a random one (see dateline serve).
	SetupCode string
	// RelatedFloor is the TF-IDF cosine an article needs with another to
	// be shown as related to it, from 0 to 1 (see
	// linking.DefaultRelatedFloor).
	RelatedFloor float64
	// Media is the folder of the photo library's files (--media,
	// DATELINE_MEDIA); see MediaDir for where they go without it.
	Media string
	// MaxUploadMB is the largest image accepted, in megabytes (2^20
	// bytes), and MediaWorkers how many uploads are processed at once:
	// together they bound the memory images take.
	MaxUploadMB  int
	MediaWorkers int
	// trustProxyEnv is DATELINE_TRUST_PROXY as given, checked by Validate.
	trustProxyEnv string
	// relatedFloorEnv is DATELINE_RELATED_FLOOR as given, checked by
	// Validate.
	relatedFloorEnv string
	maxUploadEnv    string
	sharedCacheEnv  string
	mediaWorkersEnv string
}

// SharedCacheFor is how long a cache in front of the nodes keeps pages:
// SharedCache, or an hour when purges keep it fresh.
func (c *Config) SharedCacheFor() time.Duration {
	if c.SharedCache == 0 && len(c.Purge) > 0 {
		return time.Hour
	}
	return c.SharedCache
}

// Defaults of the photo library's limits.
const (
	DefaultMaxUploadMB  = 25
	DefaultMediaWorkers = 1
)

// MediaDir is the folder of the photo library's files: Media when set;
// else, for an SQLite site, a folder beside the database file named after
// it (dateline.db keeps them in dateline-media); "" for a PostgreSQL
// site, which keeps them in its database so that every node serves them.
func (c *Config) MediaDir() string {
	if c.Media != "" {
		return c.Media
	}
	backend, target, err := ParseDB(c.DB)
	if err != nil || backend != SQLite {
		return ""
	}
	return strings.TrimSuffix(target, filepath.Ext(target)) + "-media"
}

// Defaults of the server settings.
const (
	DefaultAddr      = "127.0.0.1:8080"
	DefaultSiteTitle = "Dateline"
	DefaultLanguage  = "en"
)

// FromEnv reads the configuration from the environment, falling back to
// defaults. lookup is os.LookupEnv in production; tests pass their own.
func FromEnv(lookup func(string) (string, bool)) *Config {
	if lookup == nil {
		lookup = os.LookupEnv
	}
	c := &Config{
		DB:              getEnv(lookup, "DATELINE_DB", DefaultDB),
		Addr:            getEnv(lookup, "DATELINE_ADDR", DefaultAddr),
		MetricsAddr:     getEnv(lookup, "DATELINE_METRICS_ADDR", ""),
		Theme:           getEnv(lookup, "DATELINE_THEME", ""),
		SiteTitle:       getEnv(lookup, "DATELINE_SITE_TITLE", DefaultSiteTitle),
		SiteDescription: getEnv(lookup, "DATELINE_SITE_DESCRIPTION", "News and analysis"),
		Language:        getEnv(lookup, "DATELINE_LANGUAGE", DefaultLanguage),
		BaseURL:         strings.TrimSuffix(getEnv(lookup, "DATELINE_BASE_URL", ""), "/"),
		Logo:            getEnv(lookup, "DATELINE_LOGO", ""),
		FeedContent:     getEnv(lookup, "DATELINE_FEED_CONTENT", "full"),
	}
	c.Purge = strings.Fields(getEnv(lookup, "DATELINE_PURGE", ""))
	c.sharedCacheEnv = getEnv(lookup, "DATELINE_SHARED_CACHE", "0s")
	c.SharedCache, _ = time.ParseDuration(c.sharedCacheEnv)
	c.SetupCode = getEnv(lookup, "DATELINE_SETUP_CODE", "")
	c.Media = getEnv(lookup, "DATELINE_MEDIA", "")
	c.maxUploadEnv = getEnv(lookup, "DATELINE_MAX_UPLOAD_MB", strconv.Itoa(DefaultMaxUploadMB))
	c.MaxUploadMB, _ = strconv.Atoi(c.maxUploadEnv)
	c.mediaWorkersEnv = getEnv(lookup, "DATELINE_MEDIA_WORKERS", strconv.Itoa(DefaultMediaWorkers))
	c.MediaWorkers, _ = strconv.Atoi(c.mediaWorkersEnv)
	c.trustProxyEnv = getEnv(lookup, "DATELINE_TRUST_PROXY", "false")
	c.TrustProxy, _ = strconv.ParseBool(c.trustProxyEnv)
	c.relatedFloorEnv = getEnv(lookup, "DATELINE_RELATED_FLOOR", "")
	c.RelatedFloor = linking.DefaultRelatedFloor
	if f, err := strconv.ParseFloat(c.relatedFloorEnv, 64); err == nil {
		c.RelatedFloor = f
	}
	return c
}

func getEnv(lookup func(string) (string, bool), key, fallback string) string {
	if v, ok := lookup(key); ok && strings.TrimSpace(v) != "" {
		return strings.TrimSpace(v)
	}
	return fallback
}

// Backend names the kind of database a DSN points to.
type Backend string

// The supported database backends.
const (
	SQLite   Backend = "sqlite"
	Postgres Backend = "postgres"
)

// ParseDB splits a DSN into its backend and what that backend opens: the
// file path for SQLite, the whole URL for PostgreSQL.
func ParseDB(dsn string) (Backend, string, error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "//")
		if path == "" {
			return "", "", fmt.Errorf("database %q names no file (want sqlite:PATH, such as sqlite:dateline.db)", dsn)
		}
		return SQLite, path, nil
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		if _, err := url.Parse(dsn); err != nil {
			return "", "", fmt.Errorf("database URL is malformed: %v", Redact(dsn))
		}
		return Postgres, dsn, nil
	}
	scheme, _, ok := strings.Cut(dsn, ":")
	if !ok {
		scheme = dsn
	}
	return "", "", fmt.Errorf("unknown database scheme %q in %q: want sqlite:PATH or postgres://USER@HOST/DATABASE", scheme, Redact(dsn))
}

// Validate checks the settings together; messages name the variable or
// flag at fault.
func (c *Config) Validate() error {
	if _, err := strconv.ParseBool(c.trustProxyEnv); c.trustProxyEnv != "" && err != nil {
		return fmt.Errorf("DATELINE_TRUST_PROXY: %q is neither true nor false", c.trustProxyEnv)
	}
	if _, err := strconv.ParseFloat(c.relatedFloorEnv, 64); c.relatedFloorEnv != "" && err != nil {
		return fmt.Errorf("DATELINE_RELATED_FLOOR: %q is not a number", c.relatedFloorEnv)
	}
	if c.RelatedFloor < 0 || c.RelatedFloor > 1 || math.IsNaN(c.RelatedFloor) {
		return fmt.Errorf("--related-floor / DATELINE_RELATED_FLOOR: %v is not a cosine from 0 to 1 (the default is %v)", c.RelatedFloor, linking.DefaultRelatedFloor)
	}
	if _, _, err := ParseDB(c.DB); err != nil {
		return fmt.Errorf("--db / DATELINE_DB: %w", err)
	}
	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		return fmt.Errorf("--addr / DATELINE_ADDR: %q is not host:port (such as 127.0.0.1:8080)", c.Addr)
	}
	if _, port, err := net.SplitHostPort(c.MetricsAddr); c.MetricsAddr != "" && (err != nil || port == "") {
		return fmt.Errorf("--metrics-addr / DATELINE_METRICS_ADDR: %q is not host:port (such as 127.0.0.1:9090)", c.MetricsAddr)
	}
	if _, err := time.ParseDuration(c.sharedCacheEnv); err != nil || c.SharedCache < 0 {
		return fmt.Errorf("--shared-cache / DATELINE_SHARED_CACHE: %q is not a duration of zero or more (such as 1h)", c.sharedCacheEnv)
	}
	for _, spec := range c.Purge {
		if _, err := purge.Parse(spec); err != nil {
			return fmt.Errorf("--purge / DATELINE_PURGE: %w", err)
		}
	}
	if _, port, _ := net.SplitHostPort(c.MetricsAddr); c.MetricsAddr == c.Addr && port != "0" {
		return fmt.Errorf("--metrics-addr %q is the site's own address: give the metrics one of their own, off the public one", c.MetricsAddr)
	}
	if c.Theme != "" {
		if fi, err := os.Stat(c.Theme); err != nil || !fi.IsDir() {
			return fmt.Errorf("--theme / DATELINE_THEME: %q is not a folder", c.Theme)
		}
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
			return fmt.Errorf("--base-url / DATELINE_BASE_URL: %q is not a site address such as https://news.example.org", c.BaseURL)
		}
	}
	if c.FeedContent != "full" && c.FeedContent != "summary" {
		return fmt.Errorf("--feed-content / DATELINE_FEED_CONTENT: %q is neither full nor summary", c.FeedContent)
	}
	if strings.TrimSpace(c.SiteTitle) == "" {
		return fmt.Errorf("--site-title / DATELINE_SITE_TITLE: the site needs a title")
	}
	if _, err := strconv.Atoi(c.maxUploadEnv); c.maxUploadEnv != "" && err != nil {
		return fmt.Errorf("DATELINE_MAX_UPLOAD_MB: %q is not a whole number of megabytes", c.maxUploadEnv)
	}
	if c.MaxUploadMB < 1 || c.MaxUploadMB > 1024 {
		return fmt.Errorf("--max-upload-mb / DATELINE_MAX_UPLOAD_MB: %d is not from 1 to 1024 megabytes (the default is %d)", c.MaxUploadMB, DefaultMaxUploadMB)
	}
	if _, err := strconv.Atoi(c.mediaWorkersEnv); c.mediaWorkersEnv != "" && err != nil {
		return fmt.Errorf("DATELINE_MEDIA_WORKERS: %q is not a whole number", c.mediaWorkersEnv)
	}
	if c.MediaWorkers < 1 || c.MediaWorkers > 64 {
		return fmt.Errorf("--media-workers / DATELINE_MEDIA_WORKERS: %d is not from 1 to 64 (the default is %d)", c.MediaWorkers, DefaultMediaWorkers)
	}
	return nil
}

// Redact hides the password of a database URL, so DSNs can be shown in
// errors and logs.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		if err != nil && strings.Contains(dsn, "@") {
			return "(a URL with credentials that cannot be parsed)"
		}
		return dsn
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
