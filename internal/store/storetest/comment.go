package storetest

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/google/go-cmp/cmp"
)

// commentTests are the comment half of the suite.
var commentTests = []struct {
	name string
	fn   func(t *testing.T, s store.Store)
}{
	{"CommentsCreateAndList", testCommentsCreateAndList},
	{"CommentRefusals", testCommentRefusals},
	{"CommentCountsFollowModeration", testCommentCounts},
	{"CommentDeleteAndPurge", testCommentDeleteAndPurge},
	{"SpamTraining", testSpamTraining},
	{"ModerateCommentsBatch", testModerateCommentsBatch},
	{"ModerateCommentsMissingChangesNothing", testModerateCommentsMissing},
	{"Settings", testSettings},
	{"ImportComments", testImportComments},
}

var nonceSeq atomic.Int64

func nextNonce() string {
	return fmt.Sprintf("nonce-%d-%d", now().UnixNano(), nonceSeq.Add(1))
}

func newComment(articleID int64, author, body string, state comment.State) *comment.Comment {
	return &comment.Comment{ArticleID: articleID, Author: author, Email: author + "@example.org", Body: body, State: state}
}

func mustComment(t *testing.T, s store.Store, c *comment.Comment) *comment.Comment {
	t.Helper()
	if err := s.CreateComment(ctx, c, nextNonce(), now().Add(time.Hour)); err != nil {
		t.Fatalf("CreateComment(%q): %v", c.Body, err)
	}
	return c
}

func testCommentsCreateAndList(t *testing.T, s store.Store) {
	a := sample("commented")
	mustCreate(t, s, a)
	first := mustComment(t, s, newComment(a.ID, "ana", "First!", comment.Approved))
	reply := newComment(a.ID, "ben", "A reply — with “quotes”.", comment.Approved)
	reply.ParentID, reply.URL = first.ID, "https://ben.example.org/"
	mustComment(t, s, reply)
	mine := newComment(a.ID, "cy", "Waiting for a moderator.", comment.Pending)
	mine.CommenterKey = "key-of-cy"
	mustComment(t, s, mine)
	mustComment(t, s, newComment(a.ID, "dee", "Someone else's pending comment.", comment.Pending))
	mustComment(t, s, newComment(a.ID, "eve", "Buy pills", comment.Spam))

	got, err := s.Comment(ctx, reply.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ParentID != first.ID || got.URL != reply.URL || got.Body != reply.Body || got.ArticleSlug != "commented" || got.CreatedAt.IsZero() {
		t.Errorf("Comment = %+v", got)
	}
	bodies := func(cs []*comment.Comment) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Author)
		}
		return out
	}
	for _, test := range []struct {
		name  string
		q     store.CommentQuery
		want  []string
		count int // ignores Limit and Offset
	}{
		{"visible to cy", store.CommentQuery{ArticleID: a.ID, VisibleTo: "key-of-cy"}, []string{"ana", "ben", "cy"}, 3},
		{"visible to a stranger", store.CommentQuery{ArticleID: a.ID, VisibleTo: "other-key"}, []string{"ana", "ben"}, 2},
		{"pending queue", store.CommentQuery{State: comment.Pending}, []string{"dee", "cy"}, 2},
		{"by email", store.CommentQuery{Email: "EVE@example.org"}, []string{"eve"}, 1},
		{"all, newest first, paged", store.CommentQuery{Limit: 2, Offset: 1}, []string{"dee", "cy"}, 5},
		// Issue 17: the moderation queue searches text, names and emails.
		{"text, without case", store.CommentQuery{Text: "PILLS"}, []string{"eve"}, 1},
		{"author name", store.CommentQuery{Text: "dee"}, []string{"dee"}, 1},
		{"email", store.CommentQuery{Text: "ben@example"}, []string{"ben"}, 1},
		{"text and state", store.CommentQuery{Text: "moderator", State: comment.Pending}, []string{"cy"}, 1},
		{"percent is literal", store.CommentQuery{Text: "100%"}, nil, 0},
		{"quotes", store.CommentQuery{Text: "“quotes”"}, []string{"ben"}, 1},
	} {
		cs, err := s.Comments(ctx, test.q)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(test.want, bodies(cs)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", test.name, diff)
		}
		if n, err := s.CountComments(ctx, test.q); err != nil || n != test.count {
			t.Errorf("%s: CountComments = %d, %v; want %d", test.name, n, err, test.count)
		}
	}
	if got, _ := s.Article(ctx, "commented"); got.CommentCount != 2 {
		t.Errorf("comment count = %d, want the 2 approved", got.CommentCount)
	}
	if ok, err := s.HasApprovedComment(ctx, "ana", "ANA@example.org"); err != nil || !ok {
		t.Errorf("HasApprovedComment(ana) = %v, %v", ok, err)
	}
	if ok, _ := s.HasApprovedComment(ctx, "cy", "cy@example.org"); ok {
		t.Error("a commenter with only a pending comment counts as known")
	}
}

func testCommentRefusals(t *testing.T, s store.Store) {
	a, b := sample("refusing"), sample("elsewhere")
	mustCreate(t, s, a)
	mustCreate(t, s, b)
	other := mustComment(t, s, newComment(b.ID, "ana", "On another article.", comment.Approved))
	nonce := nextNonce()
	if err := s.CreateComment(ctx, newComment(a.ID, "ana", "Once.", comment.Approved), nonce, now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	for _, test := range []struct {
		name  string
		c     *comment.Comment
		nonce string
		want  error
	}{
		{"replayed token", newComment(a.ID, "ben", "Different text.", comment.Approved), nonce, comment.ErrTokenUsed},
		{"duplicate", newComment(a.ID, "ana", "  once. ", comment.Approved), nextNonce(), comment.ErrDuplicate},
		{"parent on another article", &comment.Comment{ArticleID: a.ID, ParentID: other.ID, Author: "x", Email: "x@example.org", Body: "Reply", State: comment.Approved}, nextNonce(), store.ErrNotFound},
		{"missing parent", &comment.Comment{ArticleID: a.ID, ParentID: 999999, Author: "x", Email: "x@example.org", Body: "Reply", State: comment.Approved}, nextNonce(), store.ErrNotFound},
	} {
		if err := s.CreateComment(ctx, test.c, test.nonce, now().Add(time.Hour)); !errors.Is(err, test.want) {
			t.Errorf("%s: err = %v, want %v", test.name, err, test.want)
		}
	}
	cs, _ := s.Comments(ctx, store.CommentQuery{ArticleID: a.ID})
	if len(cs) != 1 {
		t.Errorf("refused comments left %d comments, want 1", len(cs))
	}
	if got, _ := s.Article(ctx, "refusing"); got.CommentCount != 1 {
		t.Errorf("comment count = %d, want 1", got.CommentCount)
	}
}

func testCommentCounts(t *testing.T, s store.Store) {
	a := sample("counted")
	mustCreate(t, s, a)
	c := mustComment(t, s, newComment(a.ID, "ana", "Held at first.", comment.Pending))
	count := func() int {
		t.Helper()
		got, err := s.Article(ctx, "counted")
		if err != nil {
			t.Fatal(err)
		}
		return got.CommentCount
	}
	for _, step := range []struct {
		state comment.State
		want  int
	}{{comment.Approved, 1}, {comment.Spam, 0}, {comment.Approved, 1}, {comment.Trash, 0}, {comment.Pending, 0}} {
		if err := s.ModerateComment(ctx, c.ID, step.state, nil); err != nil {
			t.Fatal(err)
		}
		if got := count(); got != step.want {
			t.Errorf("after %s: count %d, want %d", step.state, got, step.want)
		}
	}
	if err := s.ModerateComment(ctx, 999999, comment.Approved, nil); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ModerateComment(missing) = %v, want ErrNotFound", err)
	}
	if err := s.SetCommentsClosed(ctx, "counted", true); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Article(ctx, "counted"); !got.CommentsClosed {
		t.Error("comments not closed")
	}
	if err := s.SetCommentsClosed(ctx, "missing", true); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SetCommentsClosed(missing) = %v", err)
	}
}

func testCommentDeleteAndPurge(t *testing.T, s store.Store) {
	a := sample("purged")
	mustCreate(t, s, a)
	root := mustComment(t, s, newComment(a.ID, "ana", "Root.", comment.Approved))
	mid := newComment(a.ID, "gdpr", "Middle, to be deleted.", comment.Approved)
	mid.ParentID = root.ID
	mustComment(t, s, mid)
	leaf := newComment(a.ID, "ben", "Leaf.", comment.Approved)
	leaf.ParentID = mid.ID
	mustComment(t, s, leaf)
	mustComment(t, s, newComment(a.ID, "gdpr", "Another by the same person.", comment.Pending))

	if err := s.DeleteComment(ctx, mid.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Comment(ctx, leaf.ID); got.ParentID != root.ID {
		t.Errorf("after deleting its parent, the leaf's parent is %d, want the root %d", got.ParentID, root.ID)
	}
	if err := s.DeleteComment(ctx, mid.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	n, err := s.PurgeCommenter(ctx, "GDPR@example.org", false)
	if err != nil || n != 1 {
		t.Fatalf("PurgeCommenter = %d, %v; want 1", n, err)
	}
	left, _ := s.Comments(ctx, store.CommentQuery{Email: "gdpr@example.org"})
	if len(left) != 0 {
		t.Errorf("after purge %d comments still carry the address", len(left))
	}
	all, _ := s.Comments(ctx, store.CommentQuery{ArticleID: a.ID})
	anonymous := 0
	for _, c := range all {
		if c.Author == "Anonymous" && c.Email == "" {
			anonymous++
		}
	}
	if anonymous != 1 || len(all) != 3 {
		t.Errorf("%d comments, %d anonymised; want 3 and 1", len(all), anonymous)
	}
	n, err = s.PurgeCommenter(ctx, "ben@example.org", true)
	if err != nil || n != 1 {
		t.Fatalf("PurgeCommenter(remove) = %d, %v", n, err)
	}
	if got, _ := s.Article(ctx, "purged"); got.CommentCount != 1 {
		t.Errorf("comment count after purges = %d, want 1", got.CommentCount)
	}
	// A chain of one person's replies to each other goes in one purge,
	// and a reply of someone else's moves up to what is left.
	top := mustComment(t, s, newComment(a.ID, "chain", "One.", comment.Approved))
	parent := top.ID
	for _, body := range []string{"Two.", "Three."} {
		c := newComment(a.ID, "chain", body, comment.Approved)
		c.ParentID = parent
		mustComment(t, s, c)
		parent = c.ID
	}
	outsider := newComment(a.ID, "dan", "Answer to three.", comment.Approved)
	outsider.ParentID = parent
	mustComment(t, s, outsider)
	if n, err := s.PurgeCommenter(ctx, "chain@example.org", true); err != nil || n != 3 {
		t.Fatalf("PurgeCommenter of a chain = %d, %v; want 3", n, err)
	}
	if got, _ := s.Comment(ctx, outsider.ID); got == nil || got.ParentID != 0 {
		t.Errorf("the outsider's reply = %+v, want it at the top level", got)
	}
}

func testSpamTraining(t *testing.T, s store.Store) {
	a := sample("trained")
	mustCreate(t, s, a)
	c := mustComment(t, s, newComment(a.ID, "spammer", "cheap pills here", comment.Pending))
	tokens := []string{"cheap", "pills", "here"}
	model := func() comment.Model {
		t.Helper()
		m, err := s.SpamModel(ctx, append(tokens, "unseen"))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	if err := s.ModerateComment(ctx, c.ID, comment.Spam, tokens); err != nil {
		t.Fatal(err)
	}
	if m := model(); m.SpamDocs != 1 || m.HamDocs != 0 || m.Tokens["pills"] != (comment.TokenCounts{Spam: 1}) {
		t.Errorf("after spam: %+v", m)
	}
	// Marking it spam again teaches nothing twice; approving it moves it.
	if err := s.ModerateComment(ctx, c.ID, comment.Spam, tokens); err != nil {
		t.Fatal(err)
	}
	if err := s.ModerateComment(ctx, c.ID, comment.Approved, tokens); err != nil {
		t.Fatal(err)
	}
	if m := model(); m.SpamDocs != 0 || m.HamDocs != 1 || m.Tokens["pills"] != (comment.TokenCounts{Ham: 1}) {
		t.Errorf("after approving: %+v", m)
	}
	if err := s.ModerateComment(ctx, c.ID, comment.Trash, tokens); err != nil {
		t.Fatal(err)
	}
	if m := model(); m.HamDocs != 1 {
		t.Errorf("trash unlearned the decision: %+v", m)
	}
}

func testSettings(t *testing.T, s store.Store) {
	got, err := s.CommentSettings(ctx)
	if err != nil || !cmp.Equal(got, comment.DefaultSettings()) {
		t.Errorf("CommentSettings of a new site = %+v, %v; want the defaults", got, err)
	}
	want := comment.DefaultSettings()
	want.HoldAll, want.MaxLinks, want.BlockedWords = true, 5, []string{"casino"}
	if err := s.SaveCommentSettings(ctx, want); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.CommentSettings(ctx); !cmp.Equal(got, want) {
		t.Errorf("saved settings read back as %+v", got)
	}
	one, err := s.Secret(ctx)
	if err != nil || len(one) != 32 {
		t.Fatalf("Secret = %x, %v", one, err)
	}
	if two, _ := s.Secret(ctx); !cmp.Equal(one, two) {
		t.Error("Secret changed between calls")
	}
}

// moderationScene is two articles' comments and the classifier's words
// for them, for the batch tests.
type moderationScene struct {
	a, b                         string // the articles' slugs
	ham, junk, stale, root, leaf *comment.Comment
	other                        *comment.Comment // on article b
	tokens                       map[int64][]string
}

func newModerationScene(t *testing.T, s store.Store, prefix string) *moderationScene {
	t.Helper()
	a, b := sample(prefix+"-a"), sample(prefix+"-b")
	mustCreate(t, s, a)
	mustCreate(t, s, b)
	sc := &moderationScene{a: a.Slug, b: b.Slug}
	sc.ham = mustComment(t, s, newComment(a.ID, "ana", "kind harbour words", comment.Pending))
	sc.junk = mustComment(t, s, newComment(a.ID, "bot", "cheap pills here", comment.Pending))
	sc.stale = mustComment(t, s, newComment(a.ID, "cy", "Old news.", comment.Approved))
	sc.root = mustComment(t, s, newComment(a.ID, "dee", "A question.", comment.Approved))
	sc.leaf = newComment(a.ID, "eve", "An answer.", comment.Approved)
	sc.leaf.ParentID = sc.root.ID
	mustComment(t, s, sc.leaf)
	sc.other = mustComment(t, s, newComment(b.ID, "fay", "kind words elsewhere", comment.Pending))
	sc.tokens = map[int64][]string{
		sc.ham.ID:   {"kind", "harbour", "words"},
		sc.junk.ID:  {"cheap", "pills", "here"},
		sc.other.ID: {"kind", "words", "elsewhere"},
	}
	return sc
}

// state describes what a batch may change: every comment's state and
// parent, both articles' counts, and the classifier's counts of every
// word in play.
func (sc *moderationScene) state(t *testing.T, s store.Store) string {
	t.Helper()
	var b strings.Builder
	for _, slug := range []string{sc.a, sc.b} {
		a, err := s.Article(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s: %d comments\n", slug, a.CommentCount)
		cs, err := s.Comments(ctx, store.CommentQuery{ArticleID: a.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			fmt.Fprintf(&b, "  %s: %s, reply to %d\n", c.Author, c.State, c.ParentID)
		}
	}
	var words []string
	for _, ts := range sc.tokens {
		words = append(words, ts...)
	}
	m, err := s.SpamModel(ctx, words)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "classifier: %d ham, %d spam\n", m.HamDocs, m.SpamDocs)
	sort.Strings(words)
	for _, w := range slices.Compact(words) {
		fmt.Fprintf(&b, "  %s: %+v\n", w, m.Tokens[w])
	}
	return b.String()
}

// A batch applies every decision, across articles, with the counts and
// the classifier as exact as the same decisions made one at a time.
func testModerateCommentsBatch(t *testing.T, s store.Store) {
	sc := newModerationScene(t, s, "batch")
	err := s.ModerateComments(ctx, []store.CommentDecision{
		{ID: sc.ham.ID, State: comment.Approved, Tokens: sc.tokens[sc.ham.ID]},
		{ID: sc.junk.ID, State: comment.Spam, Tokens: sc.tokens[sc.junk.ID]},
		{ID: sc.stale.ID, State: comment.Trash},
		{ID: sc.root.ID, Delete: true},
		{ID: sc.other.ID, State: comment.Approved, Tokens: sc.tokens[sc.other.ID]},
		// A later decision sees the earlier ones: ham becomes spam.
		{ID: sc.ham.ID, State: comment.Spam, Tokens: sc.tokens[sc.ham.ID]},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `batch-a: 1 comments
  ana: spam, reply to 0
  bot: spam, reply to 0
  cy: trash, reply to 0
  eve: approved, reply to 0
batch-b: 1 comments
  fay: approved, reply to 0
classifier: 1 ham, 2 spam
  cheap: {Ham:0 Spam:1}
  elsewhere: {Ham:1 Spam:0}
  harbour: {Ham:0 Spam:1}
  here: {Ham:0 Spam:1}
  kind: {Ham:1 Spam:1}
  pills: {Ham:0 Spam:1}
  words: {Ham:1 Spam:1}
`
	if diff := cmp.Diff(want, sc.state(t, s)); diff != "" {
		t.Errorf("after the batch (-want +got):\n%s", diff)
	}
	if err := s.ModerateComments(ctx, nil); err != nil {
		t.Errorf("an empty batch: %v", err)
	}
}

// A batch that names a missing comment, anywhere in it, changes nothing.
func testModerateCommentsMissing(t *testing.T, s store.Store) {
	sc := newModerationScene(t, s, "missing")
	if err := s.ModerateComment(ctx, sc.other.ID, comment.Spam, sc.tokens[sc.other.ID]); err != nil {
		t.Fatal(err)
	}
	before := sc.state(t, s)
	for _, test := range []struct {
		name string
		ds   []store.CommentDecision
	}{
		{"missing last", []store.CommentDecision{
			{ID: sc.ham.ID, State: comment.Approved, Tokens: sc.tokens[sc.ham.ID]},
			{ID: sc.junk.ID, State: comment.Spam, Tokens: sc.tokens[sc.junk.ID]},
			{ID: sc.other.ID, State: comment.Approved, Tokens: sc.tokens[sc.other.ID]},
			{ID: sc.root.ID, Delete: true},
			{ID: 999999, State: comment.Trash},
		}},
		{"missing first", []store.CommentDecision{
			{ID: 999999, Delete: true},
			{ID: sc.stale.ID, State: comment.Trash},
		}},
		{"deleted earlier in the batch", []store.CommentDecision{
			{ID: sc.leaf.ID, Delete: true},
			{ID: sc.ham.ID, State: comment.Approved, Tokens: sc.tokens[sc.ham.ID]},
			{ID: sc.leaf.ID, State: comment.Approved},
		}},
	} {
		err := s.ModerateComments(ctx, test.ds)
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s: err = %v, want ErrNotFound", test.name, err)
		}
		if diff := cmp.Diff(before, sc.state(t, s)); diff != "" {
			t.Errorf("%s: a failed batch changed (-before +after):\n%s", test.name, diff)
		}
	}
	err := s.ModerateComments(ctx, []store.CommentDecision{{ID: sc.ham.ID, State: comment.Approved}, {ID: 999998, State: comment.Approved}})
	if err == nil || !strings.Contains(err.Error(), "999998") {
		t.Errorf("the error %v does not name the missing comment", err)
	}
	if err := s.DeleteComment(ctx, 999999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("DeleteComment(missing) = %v, want ErrNotFound", err)
	}
}

// testImportComments: comments moved in from another platform keep their
// dates, states and threads; importing them again changes only what
// changed and adds nothing twice.
func testImportComments(t *testing.T, s store.Store) {
	a := sample("moved-in")
	mustCreate(t, s, a)
	at := published.Add(time.Hour).Truncate(time.Second)
	imported := func(src, parent, body string, state comment.State, dt time.Duration) store.ImportedComment {
		return store.ImportedComment{
			Comment: comment.Comment{Author: "Reader " + src, Email: "r" + src + "@example.org", Body: body, State: state, CreatedAt: at.Add(dt)},
			Source:  src, ParentSource: parent,
		}
	}
	// The reply comes first in the export; "9" answers a comment that is
	// not there.
	cs := []store.ImportedComment{
		imported("2", "1", "A reply.", comment.Approved, 2*time.Minute),
		imported("1", "", "The first.", comment.Approved, time.Minute),
		imported("3", "", "Held back.", comment.Pending, 3*time.Minute),
		imported("4", "", "Buy pills.", comment.Spam, 4*time.Minute),
		imported("9", "8", "An orphan.", comment.Approved, 5*time.Minute),
	}
	created, updated, err := s.ImportComments(ctx, []store.CommentSet{{ArticleID: a.ID, Comments: cs}})
	if err != nil || created != 5 || updated != 0 {
		t.Fatalf("ImportComments = %d created, %d updated, %v; want 5, 0", created, updated, err)
	}
	list, err := s.Comments(ctx, store.CommentQuery{ArticleID: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	bySource := map[string]*comment.Comment{}
	for _, c := range list {
		bySource[strings.TrimPrefix(c.Author, "Reader ")] = c
	}
	if len(list) != 5 || bySource["2"].ParentID != bySource["1"].ID || bySource["1"].ParentID != 0 || bySource["9"].ParentID != 0 {
		t.Fatalf("threads after import: %+v", list)
	}
	if !bySource["1"].CreatedAt.Equal(at.Add(time.Minute)) || bySource["3"].State != comment.Pending || bySource["4"].State != comment.Spam {
		t.Errorf("dates or states not kept: %+v", list)
	}
	if got, _ := s.Article(ctx, a.Slug); got.CommentCount != 3 {
		t.Errorf("comment count %d, want 3 approved", got.CommentCount)
	}

	// Again, with one comment approved since and one edited.
	cs[2].State = comment.Approved
	cs[1].Body = "The first, edited."
	created, updated, err = s.ImportComments(ctx, []store.CommentSet{{ArticleID: a.ID, Comments: cs}})
	if err != nil || created != 0 || updated != 2 {
		t.Fatalf("ImportComments again = %d created, %d updated, %v; want 0, 2", created, updated, err)
	}
	if n, _ := s.CountComments(ctx, store.CommentQuery{ArticleID: a.ID}); n != 5 {
		t.Errorf("%d comments after importing again, want 5", n)
	}
	if got, _ := s.Article(ctx, a.Slug); got.CommentCount != 4 {
		t.Errorf("comment count %d after approval, want 4", got.CommentCount)
	}
	if _, _, err := s.ImportComments(ctx, []store.CommentSet{{ArticleID: 1 << 40, Comments: cs}}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ImportComments on a missing article: %v, want ErrNotFound", err)
	}
}
