package newsroom_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/testclock"
	"github.com/datelinehq/dateline/internal/user"
	"github.com/google/go-cmp/cmp"
)

// addComment stores a reader's comment, as the public form would.
func addComment(t *testing.T, s store.Store, clock *testclock.Clock, articleID int64, author, body string, state comment.State) *comment.Comment {
	t.Helper()
	c := &comment.Comment{ArticleID: articleID, Author: author, Email: strings.ToLower(author) + "@mail.example", Body: body, State: state}
	if err := s.CreateComment(ctx, c, fmt.Sprintf("nonce-%s-%d", author, articleID), clock.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	return c
}

// moderated describes what moderation may change: the comments' states,
// the article's count of approved comments and the spam classifier.
func moderated(t *testing.T, s store.Store, slug string) string {
	t.Helper()
	a, err := s.Article(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := s.Comments(ctx, store.CommentQuery{ArticleID: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d approved:", a.CommentCount)
	for _, c := range cs {
		fmt.Fprintf(&b, " %s %s,", c.Author, c.State)
	}
	m, err := s.SpamModel(ctx, []string{"ferry", "cheap", "pills"})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, " classifier %d ham %d spam %v", m.HamDocs, m.SpamDocs, m.Tokens)
	return b.String()
}

// deletingStore deletes a comment just before the service's batch, as a
// moderator working at the same time would, and counts the batches.
type deletingStore struct {
	store.Store
	victim  int64
	batches int
}

func (d *deletingStore) ModerateComments(ctx context.Context, ds []store.CommentDecision) error {
	d.batches++
	if d.victim != 0 {
		if err := d.Store.DeleteComment(ctx, d.victim); err != nil {
			return err
		}
		d.victim = 0
	}
	return d.Store.ModerateComments(ctx, ds)
}

// Issue 12: bulk moderation was one transaction per comment.
func TestModerationBatchIsOneTransaction(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, clock *testclock.Clock) {
		svc := service(s, clock)
		editor := newsroom.Person(addUser(t, s, "desk@example.org", user.Editor), "198.51.100.4")
		a := draft("Ferry timetable changes", "Ferries leave earlier from Monday.", editor.User.ID)
		if err := svc.Create(ctx, editor, a); err != nil {
			t.Fatal(err)
		}
		ana := addComment(t, s, clock, a.ID, "Ana", "Will the ferry run on Sundays?", comment.Pending)
		ben := addComment(t, s, clock, a.ID, "Ben", "The ferry is late again.", comment.Pending)
		bot := addComment(t, s, clock, a.ID, "Bot", "cheap pills", comment.Pending)
		before := moderated(t, s, a.Slug)

		// One missing ID, anywhere in the batch: nothing changes.
		err := svc.Moderate(ctx, editor, newsroom.Approve, []int64{ana.ID, ben.ID, 999999})
		var missing *newsroom.MissingCommentError
		if !errors.As(err, &missing) || missing.ID != 999999 || !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a batch naming a missing comment: %v, want it named, wrapping ErrNotFound", err)
		}
		if diff := cmp.Diff(before, moderated(t, s, a.Slug)); diff != "" {
			t.Errorf("a refused batch changed (-before +after):\n%s", diff)
		}

		// A comment deleted between the service's look-up and its write
		// fails the batch in the store, which writes nothing either.
		racing := &deletingStore{Store: s, victim: ben.ID}
		err = service(racing, clock).Moderate(ctx, editor, newsroom.Approve, []int64{ana.ID, ben.ID})
		if !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a batch whose comment was deleted meanwhile: %v, want ErrNotFound", err)
		}
		if racing.batches != 1 {
			t.Errorf("the service wrote %d batches, want one", racing.batches)
		}
		if got, want := moderated(t, s, a.Slug), strings.Replace(before, " Ben pending,", "", 1); got != want {
			t.Errorf("after the failed batch:\n%s\nwant only Ben's comment gone:\n%s", got, want)
		}

		// The same batch without it applies whole, and teaches the
		// classifier once per comment (an ID given twice counts once).
		if err := svc.Moderate(ctx, editor, newsroom.Approve, []int64{ana.ID, ana.ID}); err != nil {
			t.Fatal(err)
		}
		if err := svc.Moderate(ctx, editor, newsroom.MarkSpam, []int64{bot.ID}); err != nil {
			t.Fatal(err)
		}
		want := "1 approved: Ana approved, Bot spam, classifier 1 ham 1 spam map[cheap:{0 1} ferry:{1 0} pills:{0 1}]"
		if got := moderated(t, s, a.Slug); got != want {
			t.Errorf("after the batches:\n%s\nwant\n%s", got, want)
		}
		events, err := s.Audit(ctx, 2)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range events {
			got = append(got, fmt.Sprintf("%s: %s %s (%s)", e.Actor, e.Action, e.Target, e.Detail))
		}
		wantAudit := []string{
			fmt.Sprintf("desk@example.org: marked comments as spam comment %d (1 comment on %s)", bot.ID, a.Slug),
			fmt.Sprintf("desk@example.org: approved comments comment %d (1 comment on %s)", ana.ID, a.Slug),
		}
		if diff := cmp.Diff(wantAudit, got); diff != "" {
			t.Errorf("audit log, newest first (-want +got):\n%s", diff)
		}
	})
}

func TestModerationIsRefusedToContributorsAndAuthors(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, clock *testclock.Clock) {
		svc := service(s, clock)
		system := newsroom.System("command line")
		a := draft("Harbour dredging plan", "The plan was approved.", 0)
		if err := svc.Create(ctx, system, a); err != nil {
			t.Fatal(err)
		}
		c := addComment(t, s, clock, a.ID, "Ana", "When does dredging start?", comment.Pending)
		before := moderated(t, s, a.Slug)
		for _, role := range []user.Role{user.Contributor, user.Author} {
			as := newsroom.Person(addUser(t, s, string(role)+"@example.org", role), "")
			for _, test := range []struct {
				name string
				do   func() error
			}{
				{"approve", func() error { return svc.Moderate(ctx, as, newsroom.Approve, []int64{c.ID}) }},
				{"delete", func() error { return svc.Moderate(ctx, as, newsroom.DeleteForGood, []int64{c.ID}) }},
				{"reply", func() error { _, _, err := svc.Reply(ctx, as, c.ID, "Soon."); return err }},
				{"forget", func() error { _, err := svc.ForgetCommenter(ctx, as, "ana@mail.example", true); return err }},
				{"close", func() error { return svc.CloseComments(ctx, as, a.Slug, true) }},
			} {
				var refusal *newsroom.Refusal
				if err := test.do(); !errors.As(err, &refusal) || !errors.Is(err, newsroom.ErrForbidden) {
					t.Errorf("%s: %s = %v, want a refusal", role, test.name, err)
				}
			}
		}
		if diff := cmp.Diff(before, moderated(t, s, a.Slug)); diff != "" {
			t.Errorf("refused moderation changed (-before +after):\n%s", diff)
		}
		if got := stored(t, s, a.ID); got.CommentsClosed {
			t.Error("a refused close closed comments")
		}

		// An editor may: replying to the pending comment approves it.
		editor := newsroom.Person(addUser(t, s, "desk@example.org", user.Editor), "")
		reply, parent, err := svc.Reply(ctx, editor, c.ID, "  Dredging starts in March. ")
		if err != nil {
			t.Fatal(err)
		}
		if parent.State != comment.Pending || reply.Body != "Dredging starts in March." || reply.Author != editor.User.Name {
			t.Errorf("reply %+v to a comment that was %s", reply, parent.State)
		}
		if got, _ := s.Comment(ctx, c.ID); got.State != comment.Approved {
			t.Errorf("the comment replied to is %s, want approved", got.State)
		}
		if _, _, err := svc.Reply(ctx, system, c.ID, "From the system."); !errors.Is(err, newsroom.ErrForbidden) {
			t.Errorf("a reply from the system: %v, want a refusal (a reply is signed by a user)", err)
		}
	})
}
