package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Issue 15: an import killed half-way (kill -9) keeps what it committed,
// and the same command finishes it, duplicating nothing.
func TestImportResumesAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	t.Parallel()
	dir := t.TempDir()
	bin := builtBinary(t)
	const posts = 3000
	export := filepath.Join(dir, "export.xml")
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Resumed Gazette</title><link>https://resumed.example.org</link><wp:wxr_version>1.2</wp:wxr_version>
`)
	para := "<p>" + strings.Repeat("The harbour board met again to discuss the ferry timetable. ", 30) + "</p>"
	for i := 1; i <= posts; i++ {
		fmt.Fprintf(&b, `<item><title>Board meeting %d</title><link>https://resumed.example.org/2020/01/meeting-%d/</link>
<content:encoded><![CDATA[%s%s]]></content:encoded><wp:post_id>%d</wp:post_id><wp:post_date_gmt>2020-01-01 08:00:00</wp:post_date_gmt>
<wp:post_name>meeting-%d</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<wp:comment><wp:comment_id>%d</wp:comment_id><wp:comment_author>Reader</wp:comment_author><wp:comment_author_email>r@mail.example</wp:comment_author_email><wp:comment_date_gmt>2020-01-01 09:00:00</wp:comment_date_gmt><wp:comment_content>Noted %d.</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent></wp:comment>
</item>
`, i, i, para, para, i, i, i, i)
	}
	b.WriteString("</channel></rss>\n")
	if err := os.WriteFile(export, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	db := "sqlite:" + filepath.Join(dir, "site.db")

	cmd := exec.Command(bin, "import", "--db", db, export)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The first progress line comes after the first batch is stored.
	line, _ := bufio.NewReader(stderr).ReadString('\n')
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if !strings.Contains(line, "items") {
		t.Fatalf("no progress before the kill: %q", line)
	}
	var stored []json.RawMessage
	if err := json.Unmarshal([]byte(mustRun(t, "article", "list", "--json", "--db", db)), &stored); err != nil {
		t.Fatal(err)
	}
	if len(stored) == 0 || len(stored) >= posts {
		t.Fatalf("%d articles stored when the import was killed, want some but not all", len(stored))
	}

	var rep struct {
		Posts, Comments map[string]int
	}
	if err := json.Unmarshal([]byte(mustRun(t, "import", "--db", db, "--json", export)), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Posts["imported"]+rep.Posts["unchanged"] != posts || rep.Posts["unchanged"] < len(stored) || rep.Posts["failed"] != 0 {
		t.Errorf("resumed import: posts %v, want the %d stored before unchanged and the rest imported", rep.Posts, len(stored))
	}
	if n := rep.Comments["imported"] + rep.Comments["unchanged"]; n != posts {
		t.Errorf("resumed import: comments %v, want %d in all", rep.Comments, posts)
	}
	if err := json.Unmarshal([]byte(mustRun(t, "article", "list", "--json", "--db", db)), &stored); err != nil || len(stored) != posts {
		t.Errorf("%d articles after the resumed import, want %d (%v)", len(stored), posts, err)
	}
}

// binary is the dateline command built once for the tests that run it as
// a process of its own (to kill it with kill -9); TestMain removes it.
var binary struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// builtBinary builds the dateline command, once for all the tests.
func builtBinary(t *testing.T) string {
	t.Helper()
	binary.once.Do(func() {
		if binary.dir, binary.err = os.MkdirTemp("", "dateline-bin-*"); binary.err != nil {
			return
		}
		binary.path = filepath.Join(binary.dir, "dateline")
		if out, err := exec.Command("go", "build", "-o", binary.path, "../../cmd/dateline").CombinedOutput(); err != nil {
			binary.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binary.err != nil {
		t.Fatal(binary.err)
	}
	return binary.path
}
