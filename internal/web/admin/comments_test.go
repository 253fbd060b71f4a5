package admin

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/user"
)

func TestModerationQueue(t *testing.T) {
	at := newAdminTest(t)
	token := at.session(at.addUser("ed@example.org", user.Editor))
	a := at.addArticle("harbour-flood", 0)
	c1 := at.addComment(a, "Ana", "Great reporting on the harbour.", comment.Pending)
	c2 := at.addComment(a, "Ben", "<script>alert(1)</script> cheap pills", comment.Pending)
	at.addComment(a, "Cy", "Already approved.", comment.Approved)
	at.addComment(a, "Dee", "Junk junk.", comment.Spam)

	resp := at.get("/admin/comments", token)
	expectStatus(t, resp, http.StatusOK)
	for _, want := range []string{"Pending <span class=\"count\">(2)</span>", "Approved <span class=\"count\">(1)</span>",
		"Spam <span class=\"count\">(1)</span>", "Trash <span class=\"count\">(0)</span>", "Great reporting on the harbour.",
		"&lt;script&gt;alert(1)&lt;/script&gt;", "ana@example.org", "Article harbour-flood"} {
		if !strings.Contains(resp.body, want) {
			t.Errorf("the queue lacks %q", want)
		}
	}
	if strings.Contains(resp.body, "<script>alert") {
		t.Error("a comment's script reached the page unescaped")
	}
	if strings.Contains(resp.body, "Already approved.") {
		t.Error("the pending queue shows an approved comment")
	}
	resp = at.get("/admin/comments?state=spam", token)
	expectStatus(t, resp, http.StatusOK)
	if !strings.Contains(resp.body, "Junk junk.") {
		t.Error("the spam queue lacks the spam comment")
	}
	expectStatus(t, at.get("/admin/comments?state=bogus", token), http.StatusBadRequest)
	// Issue 17: the queue searches text, names and emails, in each tab.
	resp = at.get("/admin/comments?state=pending&q=PILLS", token)
	expectStatus(t, resp, http.StatusOK)
	if !strings.Contains(resp.body, "cheap pills") || strings.Contains(resp.body, "Great reporting") || !strings.Contains(resp.body, "Pending <span class=\"count\">(1)</span>") {
		t.Error("searching the queue for pills did not keep just Ben's comment")
	}
	if resp = at.get("/admin/comments?state=approved&q=cy%40example", token); !strings.Contains(resp.body, "Already approved.") {
		t.Error("searching by email did not find Cy's comment")
	}

	// Approve one and mark another spam: the classifier learns both.
	tokens1, tokens2 := comment.Tokens(c1), comment.Tokens(c2)
	before, err := at.db.SpamModel(context.Background(), append(tokens1, tokens2...))
	if err != nil {
		t.Fatal(err)
	}
	expectStatus(t, at.post("/admin/comments", token, url.Values{"action": {"approve"}, "id": {fmt.Sprint(c1.ID)}, "state": {"pending"}}), http.StatusSeeOther)
	resp = at.post(fmt.Sprintf("/admin/comments?one=%d", c2.ID), token, url.Values{"action": {"spam"}, "id": {fmt.Sprint(c1.ID)}, "state": {"pending"}})
	expectStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/admin/comments?state=pending&flash=moderated" {
		t.Errorf("after moderating, redirected to %q", loc)
	}
	if got := at.commentState(c1.ID); got != comment.Approved {
		t.Errorf("comment 1 is %s, want approved", got)
	}
	if got := at.commentState(c2.ID); got != comment.Spam {
		t.Errorf("comment 2 is %s, want spam (the row's button acts on its row alone)", got)
	}
	after, err := at.db.SpamModel(context.Background(), append(tokens1, tokens2...))
	if err != nil {
		t.Fatal(err)
	}
	if after.HamDocs != before.HamDocs+1 || after.SpamDocs != before.SpamDocs+1 {
		t.Errorf("the classifier learned ham %d→%d, spam %d→%d; want one more of each", before.HamDocs, after.HamDocs, before.SpamDocs, after.SpamDocs)
	}
	if got := after.Tokens["harbour"]; got.Ham != before.Tokens["harbour"].Ham+1 {
		t.Errorf("the approved comment's word counts %+v, want one more ham", got)
	}
	if got := after.Tokens["pills"]; got.Spam != before.Tokens["pills"].Spam+1 {
		t.Errorf("the spam comment's word counts %+v, want one more spam", got)
	}
}

func TestModerationBulk(t *testing.T) {
	at := newAdminTest(t)
	token := at.session(at.addUser("ed@example.org", user.Editor))
	a := at.addArticle("harbour-flood", 0)
	var ids []string
	var cs []*comment.Comment
	for i := range 3 {
		c := at.addComment(a, fmt.Sprintf("Reader%d", i), fmt.Sprintf("Comment number %d.", i), comment.Pending)
		cs = append(cs, c)
		ids = append(ids, fmt.Sprint(c.ID))
	}

	// A missing comment among those selected: nothing changes.
	before := at.snapshot()
	resp := at.post("/admin/comments", token, url.Values{"action": {"trash"}, "id": append(append([]string(nil), ids...), "999999")})
	expectStatus(t, resp, http.StatusNotFound)
	if !strings.Contains(resp.body, "Comment 999999 does not exist") {
		t.Errorf("the refusal does not name the missing comment:\n%s", excerptOf(resp.body))
	}
	for _, bad := range []url.Values{
		{"action": {"burn"}, "id": ids},
		{"action": {"trash"}, "id": {"x"}},
	} {
		expectStatus(t, at.post("/admin/comments", token, bad), http.StatusBadRequest)
	}
	if at.snapshot() != before {
		t.Fatal("a refused bulk action changed comments")
	}
	resp = at.post("/admin/comments", token, url.Values{"action": {"trash"}, "state": {"pending"}})
	expectStatus(t, resp, http.StatusSeeOther)
	if !strings.Contains(resp.Header.Get("Location"), "flash=none-selected") {
		t.Errorf("no selection redirected to %q", resp.Header.Get("Location"))
	}

	expectStatus(t, at.post("/admin/comments", token, url.Values{"action": {"trash"}, "id": ids}), http.StatusSeeOther)
	for _, c := range cs {
		if got := at.commentState(c.ID); got != comment.Trash {
			t.Errorf("comment %d is %s, want trash", c.ID, got)
		}
	}
	expectStatus(t, at.post("/admin/comments", token, url.Values{"action": {"delete"}, "id": ids[:2]}), http.StatusSeeOther)
	left, err := at.db.Comments(context.Background(), store.CommentQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 1 || left[0].ID != cs[2].ID {
		t.Errorf("after deleting two of three, %d comments are left", len(left))
	}
}

func TestModerationReply(t *testing.T) {
	at := newAdminTest(t)
	ed := at.addUser("ed@example.org", user.Editor)
	token := at.session(ed)
	a := at.addArticle("harbour-flood", 0)
	parent := at.addComment(a, "Ana", "When will the road reopen?", comment.Pending)

	expectStatus(t, at.post(fmt.Sprintf("/admin/comments/%d/reply", parent.ID), token, url.Values{"reply": {"  "}}), http.StatusBadRequest)
	expectStatus(t, at.post("/admin/comments/999999/reply", token, url.Values{"reply": {"Hello"}}), http.StatusNotFound)

	resp := at.post(fmt.Sprintf("/admin/comments/%d/reply", parent.ID), token, url.Values{"reply": {"On Monday, the council says."}})
	expectStatus(t, resp, http.StatusSeeOther)
	if got := at.commentState(parent.ID); got != comment.Approved {
		t.Errorf("the comment replied to is %s, want approved with the reply", got)
	}
	cs, err := at.db.Comments(context.Background(), store.CommentQuery{ArticleID: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	var reply *comment.Comment
	for _, c := range cs {
		if c.ParentID == parent.ID {
			reply = c
		}
	}
	if reply == nil {
		t.Fatal("no reply under the comment")
	}
	if reply.State != comment.Approved || reply.Author != ed.Name || reply.Email != ed.Email || reply.Body != "On Monday, the council says." {
		t.Errorf("reply %+v: want approved, by %s, with the text typed", reply, ed.Name)
	}

	// A comment in the spam folder gets no reply.
	spam := at.addComment(a, "Bot", "Buy now.", comment.Spam)
	before := at.snapshot()
	expectStatus(t, at.post(fmt.Sprintf("/admin/comments/%d/reply", spam.ID), token, url.Values{"reply": {"No."}}), http.StatusConflict)
	if at.snapshot() != before {
		t.Error("a refused reply changed comments")
	}
}

func TestModerationQueuePages(t *testing.T) {
	at := newAdminTest(t)
	token := at.session(at.addUser("ed@example.org", user.Editor))
	a := at.addArticle("busy-thread", 0)
	for i := range commentsPerPage + 2 {
		at.addComment(a, fmt.Sprintf("Reader %d", i), fmt.Sprintf("Comment number %d.", i), comment.Pending)
	}
	rows := func(body string) int { return strings.Count(body, `name="id" value="`) }

	first := at.get("/admin/comments", token)
	expectStatus(t, first, http.StatusOK)
	if want := fmt.Sprintf(`Pending <span class="count">(%d)</span>`, commentsPerPage+2); !strings.Contains(first.body, want) {
		t.Errorf("the tab does not count every pending comment: want %s", want)
	}
	if n := rows(first.body); n != commentsPerPage || !strings.Contains(first.body, "state=pending&amp;page=2") {
		t.Errorf("page 1 shows %d comments (want %d) or no link to page 2", n, commentsPerPage)
	}
	second := at.get("/admin/comments?state=pending&page=2", token)
	expectStatus(t, second, http.StatusOK)
	if n := rows(second.body); n != 2 || strings.Contains(second.body, "page=3") {
		t.Errorf("page 2 shows %d comments (want 2), or links to a page 3", n)
	}
	// The oldest two are on the second page (the queue is newest first).
	if !strings.Contains(second.body, "Comment number 0.") || !strings.Contains(second.body, "Comment number 1.") {
		t.Error("page 2 does not hold the two oldest comments")
	}
}
