package cli

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/store/postgres/pgtest"
	"github.com/datelinehq/dateline/internal/urls"
)

// startVarnish runs Debian's varnishd with the shipped deploy/varnish.vcl,
// its backends replaced by nodes, on a loopback port; it returns the
// address readers and purges go to.
func startVarnish(t *testing.T, nodes ...string) string {
	t.Helper()
	bin, err := exec.LookPath("varnishd")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("varnishd is not installed; .ci/run installs it")
		}
		t.Skip("varnishd is not installed (Debian: apt-get install varnish)")
	}
	shipped, err := os.ReadFile(filepath.Join("..", "..", "deploy", "varnish.vcl"))
	if err != nil {
		t.Fatal(err)
	}
	vcl := string(shipped)
	begin, end := strings.Index(vcl, "# BEGIN BACKENDS"), strings.Index(vcl, "# END BACKENDS")
	if begin < 0 || end < begin {
		t.Fatal("deploy/varnish.vcl: no BEGIN BACKENDS ... END BACKENDS block to put the test's nodes in")
	}
	var backends strings.Builder
	var adds strings.Builder
	for i, node := range nodes {
		host, port, _ := net.SplitHostPort(strings.TrimPrefix(node, "http://"))
		fmt.Fprintf(&backends, "backend node%d { .host = %q; .port = %q; .probe = ready; }\n", i+1, host, port)
		fmt.Fprintf(&adds, "    nodes.add_backend(node%d);\n", i+1)
	}
	vcl = vcl[:begin] + backends.String() + "sub vcl_init {\n    new nodes = directors.round_robin();\n" + adds.String() + "}\n" + vcl[end:]
	dir := t.TempDir()
	vclPath := filepath.Join(dir, "dateline.vcl")
	if err := os.WriteFile(vclPath, []byte(vcl), 0o644); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	// -j none: no privilege separation, so that the test's own user
	// (root in CI) runs it in a temporary folder.
	cmd := exec.Command(bin, "-F", "-j", "none", "-a", addr, "-f", vclPath, "-n", filepath.Join(dir, "work"), "-s", "malloc,64m")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	front := "http://" + addr
	// Ready once its probes found a node ready: a page comes through.
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(front + "/robots.txt")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return front
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("varnishd did not serve the nodes within 20 s: %v\n%s", err, out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Real Varnish with the shipped VCL in front of two nodes on PostgreSQL,
// each purging it: pages are cached (a second request is a hit, with the
// nodes' s-maxage and without the cache tags), an edit made on the
// command line is served through Varnish within a second, pages that do
// not show the article stay cached, and a comment posted from a cached
// page (whose form is shared, without a token) comes back to be confirmed
// with a token of the node's own.
func TestVarnishServesEditsWithinASecond(t *testing.T) {
	t.Parallel()
	db := pgtest.NewSchemaDSN(t)
	mustRun(t, "import", "--db", db, "../../examples/articles")
	// The purge address is known once Varnish listens, which needs the
	// nodes first: a stand-in forwards to it.
	var front string
	relay := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, _ := http.NewRequestWithContext(r.Context(), r.Method, front+r.URL.Path, nil)
		req.Header = r.Header.Clone()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		resp.Body.Close()
		w.WriteHeader(resp.StatusCode)
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go relay.Serve(ln)
	t.Cleanup(func() { relay.Shutdown(context.Background()) })
	args := []string{"--db", db, "--cache", "1m", "--purge", "varnish:http://" + ln.Addr().String()}
	a, _ := startServe(t, args...)
	b, _ := startServe(t, args...)
	front = startVarnish(t, a, b)
	for _, node := range []string{a, b} {
		waitFor(t, node+"/readyz", 10*time.Second, func(status int, _ string) bool { return status == 200 })
	}

	const story = "/new-harbour-cranes-cut-waiting-times-at-port-selvik/"
	get := func(path string) (*http.Response, string) {
		t.Helper()
		resp, err := http.Get(front + path)
		if err != nil {
			t.Fatal(err)
		}
		return resp, readAll(resp)
	}
	get(story)
	resp, body := get(story)
	if resp.Header.Get("X-Cache") != "HIT" || !strings.Contains(body, "New Harbour Cranes") {
		t.Fatalf("second GET %s through Varnish: X-Cache %q; want a hit with the story", story, resp.Header.Get("X-Cache"))
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "s-maxage=3600") || !strings.Contains(cc, "stale-while-revalidate") || !strings.Contains(cc, "stale-if-error") {
		t.Errorf("Cache-Control = %q; want s-maxage (an hour with --purge), stale-while-revalidate and stale-if-error", cc)
	}
	if k := resp.Header.Get("Surrogate-Key"); k != "" {
		t.Errorf("Varnish passed the cache tags on to the reader: %q", k)
	}
	nodeResp, err := http.Get(a + story)
	if err != nil {
		t.Fatal(err)
	}
	readAll(nodeResp)
	if keys := strings.Fields(nodeResp.Header.Get("Surrogate-Key")); len(keys) < 3 || !strings.Contains(nodeResp.Header.Get("Surrogate-Key"), "article-") || nodeResp.Header.Get("Cache-Tag") != strings.Join(keys, ",") {
		t.Errorf("the node's cache tags: Surrogate-Key %q, Cache-Tag %q; want the article's and the same in both", nodeResp.Header.Get("Surrogate-Key"), nodeResp.Header.Get("Cache-Tag"))
	}
	get("/robots.txt")
	if resp, _ := get("/robots.txt"); resp.Header.Get("X-Cache") != "HIT" {
		t.Fatal("robots.txt is not cached by Varnish")
	}

	mustRun(t, "article", "note", "--db", db, strings.Trim(story, "/"), "Correction: the cranes arrive in May.")
	took := waitFor(t, front+story, 5*time.Second, func(_ int, body string) bool { return strings.Contains(body, "the cranes arrive in May") })
	t.Logf("the edit was served through Varnish %v after the command returned", took)
	if took > 2*time.Second {
		t.Errorf("the edit took %v to reach readers through Varnish; want about a second at most", took)
	}
	if resp, _ := get("/robots.txt"); resp.Header.Get("X-Cache") != "HIT" {
		t.Error("robots.txt, which shows no article, was purged by an article's edit")
	}

	// The cached page's form has no token: posting it asks the reader to
	// confirm, with a token of the node's own.
	_, page := get(story)
	if !strings.Contains(page, `name="dl_token" value=""`) {
		t.Fatal("the page Varnish caches carries a form token, which every reader it serves would share")
	}
	form := url.Values{"author": {"Nils"}, "email": {"nils@mail.example"}, "comment": {"Will the old cranes be sold?"}, "comment_parent": {"0"}, "dl_token": {""}}
	confirm, err := http.PostForm(front+urls.PostComment(strings.Trim(story, "/")), form)
	if err != nil {
		t.Fatal(err)
	}
	confirmPage := readAll(confirm)
	m := tokenField.FindStringSubmatch(confirmPage)
	if confirm.StatusCode != 200 || m == nil || m[1] == "" {
		t.Fatalf("posting the shared form: %d, token %v; want the form back with a token to confirm", confirm.StatusCode, m)
	}
}
