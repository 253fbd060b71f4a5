package cli

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startNginx serves dir with deploy/nginx-static.conf on a free loopback
// port, and returns its address.
func startNginx(t *testing.T, dir string) string {
	t.Helper()
	return startNginxWith(t, "nginx-static.conf", func(site string) string {
		return strings.ReplaceAll(site, "/srv/news", dir)
	})
}

// startNginxWith starts nginx on a loopback port with the configuration
// deploy/NAME, changed by adapt (addresses and paths of the test), and
// returns its address.
func startNginxWith(t *testing.T, name string, adapt func(string) string) string {
	t.Helper()
	bin, err := exec.LookPath("nginx")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("nginx is not installed; .ci/run installs it")
		}
		t.Skip("nginx is not installed (Debian: apt-get install nginx)")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	shipped, err := os.ReadFile(filepath.Join("..", "..", "deploy", name))
	if err != nil {
		t.Fatal(err)
	}
	site := adapt(string(shipped))
	site = strings.Replace(site, "listen 80;", "listen "+addr+";", 1)
	run := t.TempDir()
	var temps strings.Builder
	for _, k := range []string{"client_body", "proxy", "fastcgi", "uwsgi", "scgi"} {
		fmt.Fprintf(&temps, "%s_temp_path %s;\n", k, filepath.Join(run, k))
	}
	conf := fmt.Sprintf(`daemon off;
worker_processes 1;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log;
%[2]s
events {}
http {
include /etc/nginx/mime.types;
access_log off;
%[3]s
%[4]s
}
`, run, map[bool]string{true: "user root;"}[os.Geteuid() == 0], temps.String(), site)
	confPath := filepath.Join(run, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-p", run, "-c", confPath, "-e", filepath.Join(run, "error.log"))
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGQUIT)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
		}
	})
	for deadline := time.Now().Add(10 * time.Second); ; {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return "http://" + addr
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(run, "error.log"))
			t.Fatalf("nginx did not start: %s %s", stderr.String(), log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// nginx serving the exported demo site answers each address of its
// sitemap with what serve answers, an old address with its redirect, a
// deleted article's with 410 and an unknown one with the themed 404.
func TestExportedSiteServedByNginx(t *testing.T) {
	t.Parallel()
	db := demoSite(t)
	_, stop := startServe(t, "--db", db, "--base-url", siteBase, "--cache", "0")
	dir := t.TempDir()
	mustRun(t, "export", "--db", db, "--base-url", siteBase, "--quiet", dir)
	stop()
	// Changed with serve stopped: the one started again has them all (a
	// running one sees a deletion in its related lists within a minute).
	const target, deleted = "ems-flood-barriers-hold-in-first-autumn-storm", "selvik-night-tram-trial-beats-passenger-forecasts"
	mustRun(t, "redirect", "add", "--db", db, "/2019/10/flood-barriers/", "/"+target+"/")
	mustRun(t, "article", "delete", "--db", db, deleted)
	base, _ := startServe(t, "--db", db, "--base-url", siteBase, "--cache", "0")
	if out := mustRun(t, "export", "--db", db, "--base-url", siteBase, dir); !strings.Contains(out, "exported the changes since the last export") {
		t.Errorf("the export after a deletion said %q", out)
	}
	web := startNginx(t, dir)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	getFrom := func(addr string) (*http.Response, []byte) {
		t.Helper()
		resp, err := client.Get(addr)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		return resp, b.Bytes()
	}

	_, sitemap := fetchPage(t, base, "/sitemap.xml")
	locs := regexp.MustCompile(`<loc>`+regexp.QuoteMeta(siteBase)+`([^<]*)</loc>`).FindAllSubmatch(sitemap, -1)
	if len(locs) < 20 {
		t.Fatalf("the sitemap lists %d addresses", len(locs))
	}
	for _, m := range append(locs, [][]byte{nil, []byte("/feed/")}) {
		path := string(m[1])
		resp, got := getFrom(web + path)
		_, want := fetchPage(t, base, path)
		if resp.StatusCode != http.StatusOK || !bytes.Equal(commentToken.ReplaceAll(got, nil), commentToken.ReplaceAll(want, nil)) {
			t.Errorf("nginx %s: %d, %d bytes; serve has %d bytes", path, resp.StatusCode, len(got), len(want))
		}
	}
	if resp, _ := getFrom(web + "/feed/"); resp.Header.Get("Content-Type") != "application/rss+xml; charset=utf-8" {
		t.Errorf("the feed is served as %q", resp.Header.Get("Content-Type"))
	}
	if resp, _ := getFrom(web + "/2019/10/flood-barriers/"); resp.StatusCode != http.StatusMovedPermanently || !strings.HasSuffix(resp.Header.Get("Location"), "/"+target+"/") {
		t.Errorf("the old address: %d to %q; want 301 to /%s/", resp.StatusCode, resp.Header.Get("Location"), target)
	}
	_, notFound := fetchPage(t, base, "/no-such-page/")
	if resp, body := getFrom(web + "/no-such-page/"); resp.StatusCode != http.StatusNotFound || !bytes.Equal(body, notFound) {
		t.Errorf("an unknown address: %d, %d bytes; want 404 with the themed page (%d bytes)", resp.StatusCode, len(body), len(notFound))
	}
	if resp, _ := getFrom(web + "/" + deleted + "/"); resp.StatusCode != http.StatusGone {
		t.Errorf("the deleted article: %d; want 410", resp.StatusCode)
	}
	for _, hidden := range []string{"/.dateline/manifest.gob", "/_redirects", "/nginx-redirects.map"} {
		if resp, _ := getFrom(web + hidden); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d; want 404", hidden, resp.StatusCode)
		}
	}
}
