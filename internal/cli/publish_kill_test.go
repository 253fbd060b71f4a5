package cli

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/store/postgres/pgtest"
	"github.com/datelinehq/dateline/internal/urls"
	"github.com/datelinehq/dateline/internal/web/public"
)

// startServeBinary runs the built binary's serve with args on a free port
// and returns its address and the process (for a kill -9).
func startServeBinary(t *testing.T, bin string, args ...string) (string, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--quiet"}, args...)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("serve printed nothing: %v", err)
	}
	go io.Copy(io.Discard, out)
	base := strings.TrimSuffix(strings.Fields(strings.TrimPrefix(line, "Dateline is serving "))[0], "/")
	waitFor(t, base+"/readyz", 20*time.Second, func(status int, _ string) bool { return status == 200 })
	return base, cmd
}

// Issue 19: a node killed with kill -9 while editors publish through its
// admin loses no publication it acknowledged, leaves no article half
// written, and the other node serves every acknowledged story; the killed
// node starts again on the same database.
func TestKillDuringPublish(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	t.Parallel()
	bin := builtBinary(t)
	db := pgtest.NewSchemaDSN(t)
	add := exec.Command(bin, "user", "add", "--db", db, "--email", "desk@news.example", "--name", "Desk", "--role", "editor")
	add.Stdin = strings.NewReader("harbour-desk-password\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	killed, killedCmd := startServeBinary(t, bin, "--db", db, "--cache", "1m")
	other, _ := startServeBinary(t, bin, "--db", db, "--cache", "1m")

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(killed+"/admin/signin", url.Values{"email": {"desk@news.example"}, "password": {"harbour-desk-password"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %s", resp.Status)
	}

	// Four editors publish at once; the node is killed once some
	// publications are acknowledged, with others under way.
	var mu sync.Mutex
	var acknowledged []string
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for e := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				slug := fmt.Sprintf("harbour-report-%d-%d", e, i)
				resp, err := client.PostForm(killed+"/admin/articles/new", url.Values{
					"title":  {fmt.Sprintf("Harbour report %d-%d", e, i)},
					"slug":   {slug},
					"body":   {"## The quay\n\nThe ferry left on time.\n\n" + strings.Repeat("Cranes moved containers all night. ", 40)},
					"tags":   {"Harbour, Ferries"},
					"status": {"published"},
				})
				if err != nil {
					return // the node is gone: not acknowledged
				}
				resp.Body.Close()
				if resp.StatusCode == http.StatusSeeOther {
					mu.Lock()
					acknowledged = append(acknowledged, slug)
					mu.Unlock()
				} else if resp.StatusCode != http.StatusOK {
					t.Errorf("publishing %s: %s", slug, resp.Status)
					return
				}
			}
		})
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		mu.Lock()
		n := len(acknowledged)
		mu.Unlock()
		if n >= 20 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d publications acknowledged in 30 s", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := killedCmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	close(stop)
	wg.Wait()
	killedCmd.Wait()

	// Every acknowledged story is on the other node, whole: its page,
	// its tag's archive and the home page.
	mu.Lock()
	defer mu.Unlock()
	t.Logf("%d publications acknowledged before the kill", len(acknowledged))
	for _, slug := range acknowledged {
		waitFor(t, other+"/"+slug+"/", 5*time.Second, func(status int, body string) bool {
			return status == 200 && strings.Contains(body, "The ferry left on time.") && strings.Contains(body, "Ferries")
		})
	}
	// Nothing half written: every story the database holds (those the
	// node stored but could not acknowledge too) has its text and tags,
	// and is in the tag's archive and feed as the others are.
	s := openDB(t, db)
	defer s.Close()
	as, err := s.Articles(t.Context(), store.ArticleQuery{Whole: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(as) < len(acknowledged) {
		t.Fatalf("%d articles stored; %d were acknowledged", len(as), len(acknowledged))
	}
	for _, a := range as {
		if !strings.Contains(a.Body, "The ferry left on time.") || len(a.Tags) != 2 || a.Version != 1 {
			t.Errorf("%s: stored half written: %d tags, version %d, body %q...", a.Slug, len(a.Tags), a.Version, a.Body[:min(len(a.Body), 40)])
		}
	}
	waitFor(t, other+urls.Feed(urls.Tag("ferries"), urls.RSS), 5*time.Second, func(status int, body string) bool {
		return status == 200 && strings.Count(body, "<item>") == min(len(as), public.FeedSize)
	})
	// The killed node starts again on the same database.
	again, _ := startServeBinary(t, bin, "--db", db)
	for _, slug := range acknowledged[:3] {
		waitFor(t, again+"/"+slug+"/", 5*time.Second, func(status int, _ string) bool { return status == 200 })
	}
}
