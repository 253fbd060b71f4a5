package newsroom_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/linking"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/store/postgres"
	"github.com/datelinehq/dateline/internal/store/postgres/pgtest"
	"github.com/datelinehq/dateline/internal/store/sqlite"
	"github.com/datelinehq/dateline/internal/testclock"
	"github.com/datelinehq/dateline/internal/user"
)

var ctx = context.Background()

// backends runs a test on a new SQLite file and on a new PostgreSQL
// schema (skipped without DATELINE_TEST_POSTGRES), each with its own clock.
func backends(t *testing.T, test func(t *testing.T, s store.Store, clock *testclock.Clock)) {
	for _, b := range []struct {
		name string
		open func(t *testing.T, opts store.Options) (store.Store, error)
	}{
		{"sqlite", func(t *testing.T, opts store.Options) (store.Store, error) {
			return sqlite.Open(ctx, filepath.Join(t.TempDir(), "dateline.db"), opts)
		}},
		{"postgres", func(t *testing.T, opts store.Options) (store.Store, error) {
			return postgres.Open(ctx, pgtest.NewSchemaDSN(t), opts)
		}},
	} {
		t.Run(b.name, func(t *testing.T) {
			clock := testclock.New(testclock.Date(2026, 11, 27, 12, 0))
			s, err := b.open(t, store.Options{Now: clock.Now})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			test(t, s, clock)
		})
	}
}

func service(s store.Store, clock *testclock.Clock) *newsroom.Service {
	return newsroom.New(s, render.New(), clock.Now, nil)
}

// addUser stores a user with a role, as the admin would.
func addUser(t *testing.T, s store.Store, email string, role user.Role) *user.User {
	t.Helper()
	u := &user.User{Email: email, Name: strings.Split(email, "@")[0], Role: role, PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	return u
}

func draft(title, body string, owner int64) *article.Article {
	return &article.Article{Title: title, Body: body, Status: article.Draft, OwnerID: owner}
}

func stored(t *testing.T, s store.Store, id int64) *article.Article {
	t.Helper()
	a, err := s.ArticleByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// rawHTML holds what no reader may be sent: a script and an event
// handler, around text that must survive.
const rawHTML = "The council met on Tuesday.\n\n<div onclick=\"steal()\">Kept words</div>\n\n<script>alert(1)</script>\n"

func assertSanitised(t *testing.T, path, body string) {
	t.Helper()
	if strings.Contains(body, "<script") || strings.Contains(body, "onclick") {
		t.Errorf("%s: a contributor's raw HTML was stored as typed:\n%s", path, body)
	}
	if !strings.Contains(body, "Kept words") || !strings.Contains(body, "The council met") {
		t.Errorf("%s: sanitising lost the text:\n%s", path, body)
	}
}

func TestRestoreUndoesAKeyphrase(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, clock *testclock.Clock) {
		svc := service(s, clock)
		system := newsroom.System("command line")
		a := &article.Article{Title: "Flood barrier opens", Body: "The barrier closed at dawn.", FocusKeyphrase: "flood barrier"}
		if err := svc.Create(ctx, system, a); err != nil {
			t.Fatal(err)
		}
		clock.Add(time.Minute)
		if changed, err := svc.SetKeyphrase(ctx, system, stored(t, s, a.ID), "river defences"); err != nil || !changed {
			t.Fatalf("SetKeyphrase = %v, %v", changed, err)
		}
		revs, err := s.Revisions(ctx, a.ID)
		if err != nil || len(revs) != 1 {
			t.Fatalf("revisions = %v, %v; want the version before the keyphrase", revs, err)
		}
		if revs[0].FocusKeyphrase != "flood barrier" || revs[0].Note != "focus keyphrase" {
			t.Errorf("revision kept keyphrase %q with note %q", revs[0].FocusKeyphrase, revs[0].Note)
		}
		restored, err := svc.Restore(ctx, system, stored(t, s, a.ID), revs[0].Number)
		if err != nil {
			t.Fatal(err)
		}
		if got := stored(t, s, a.ID).FocusKeyphrase; got != "flood barrier" || restored.FocusKeyphrase != got {
			t.Errorf("after restore the keyphrase is %q, want the one before: flood barrier", got)
		}
	})
}

func TestContributorHTMLIsSanitisedOnEveryPath(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, clock *testclock.Clock) {
		svc := service(s, clock)
		contributor := addUser(t, s, "stringer@example.org", user.Contributor)
		as := newsroom.Person(contributor, "192.0.2.7")
		system := newsroom.System("command line")

		a := draft("Council meets", rawHTML, contributor.ID)
		if err := svc.Create(ctx, as, a); err != nil {
			t.Fatal(err)
		}
		assertSanitised(t, "create", stored(t, s, a.ID).Body)

		current := stored(t, s, a.ID)
		next := *current
		next.Body = rawHTML + "\nA later paragraph.\n"
		if err := svc.Save(ctx, as, current, &next, "edit"); err != nil {
			t.Fatal(err)
		}
		assertSanitised(t, "save", stored(t, s, a.ID).Body)

		// The operator's raw HTML is kept: the system is trusted with it.
		current = stored(t, s, a.ID)
		next = *current
		next.Body = rawHTML
		if err := svc.Save(ctx, system, current, &next, "edit"); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(stored(t, s, a.ID).Body, "<script>") {
			t.Fatal("the system's raw HTML was sanitised; this test needs a revision that holds it")
		}
		current = stored(t, s, a.ID)
		next = *current
		next.Body = "Plain words now."
		if err := svc.Save(ctx, system, current, &next, "edit"); err != nil {
			t.Fatal(err)
		}
		revs, err := s.Revisions(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Restore(ctx, as, stored(t, s, a.ID), revs[len(revs)-1].Number); err != nil {
			t.Fatal(err)
		}
		assertSanitised(t, "restore", stored(t, s, a.ID).Body)

		// Applying a link saves the whole text, raw HTML and all.
		target := &article.Article{Title: "Harbour dredging plan", Body: "The harbour dredging plan was approved. Harbour dredging starts in spring."}
		if err := svc.Create(ctx, system, target); err != nil {
			t.Fatal(err)
		}
		current = stored(t, s, a.ID)
		next = *current
		next.Body = rawHTML + "\nThe harbour dredging plan divided the council.\n"
		if err := svc.Save(ctx, system, current, &next, "edit"); err != nil {
			t.Fatal(err)
		}
		ix := linking.NewIndex()
		r := render.New()
		ix.Upsert(linking.DocFromArticle(r, stored(t, s, target.ID)))
		withLinks := stored(t, s, a.ID)
		ix.Upsert(linking.DocFromArticle(r, withLinks))
		suggestions := linking.Suggest(ix, r, withLinks, linking.SuggestOptions{})
		if len(suggestions) == 0 {
			t.Fatal("no link suggestion to apply")
		}
		if _, _, err := svc.ApplyLinks(ctx, as, ix, withLinks, []string{suggestions[0].ID}); err != nil {
			t.Fatal(err)
		}
		assertSanitised(t, "apply links", stored(t, s, a.ID).Body)

		// An import made by a contributor.
		imported := draft("Letters to the editor", rawHTML, contributor.ID)
		imported.Source = "letters.md"
		if err := svc.PrepareImport(as, newsroom.ImportWrite{Article: imported}); err != nil {
			t.Fatal(err)
		}
		errs, err := svc.SaveImport(ctx, as, []newsroom.ImportWrite{{Article: imported}})
		if err != nil || errs[0] != nil {
			t.Fatal(err, errs)
		}
		assertSanitised(t, "import", stored(t, s, imported.ID).Body)
	})
}

func TestRolesAreEnforcedByTheService(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, clock *testclock.Clock) {
		svc := service(s, clock)
		contributor := newsroom.Person(addUser(t, s, "stringer@example.org", user.Contributor), "")
		author := newsroom.Person(addUser(t, s, "reporter@example.org", user.Author), "")

		a := draft("Budget vote delayed", "The vote moved to Friday.", contributor.User.ID)
		a.Status = article.Published
		err := svc.Create(ctx, contributor, a)
		if !errors.Is(err, newsroom.ErrForbidden) {
			t.Fatalf("a contributor's publish: %v, want a refusal", err)
		}
		if n, _ := s.CountArticles(ctx, store.ArticleQuery{}); n != 0 {
			t.Errorf("a refused publish stored %d articles", n)
		}

		// Without a status an article is published: refused too.
		a.Status = ""
		if err := svc.Create(ctx, contributor, a); !errors.Is(err, newsroom.ErrForbidden) {
			t.Fatalf("a contributor's article without a status: %v, want a refusal", err)
		}
		a.Status = article.Draft
		if err := svc.Create(ctx, contributor, a); err != nil {
			t.Fatal(err)
		}
		current := stored(t, s, a.ID)
		next := *current
		next.Body = "Someone else's words."
		if err := svc.Save(ctx, author, current, &next, "edit"); !errors.Is(err, newsroom.ErrForbidden) {
			t.Errorf("an author editing a contributor's article: %v, want a refusal", err)
		}
		if err := svc.Delete(ctx, author, current); !errors.Is(err, newsroom.ErrForbidden) {
			t.Errorf("an author deleting a contributor's article: %v, want a refusal", err)
		}
		if got := stored(t, s, a.ID); got.Body != current.Body || got.Version != current.Version {
			t.Errorf("refused changes were stored: %+v", got)
		}
	})
}

func TestValidationErrorsNameTheField(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, clock *testclock.Clock) {
		svc := service(s, clock)
		system := newsroom.System("command line")
		for _, test := range []struct {
			name  string
			a     *article.Article
			field string
		}{
			{"no title", &article.Article{Body: "Words."}, "title"},
			{"no body", &article.Article{Title: "Empty"}, "body"},
			{"bad slug", &article.Article{Title: "Slugged", Slug: "Not A Slug", Body: "Words."}, "slug"},
			{"long keyphrase", &article.Article{Title: "Keyed", Body: "Words.", FocusKeyphrase: strings.Repeat("word ", 30)}, "focus_keyphrase"},
			{"bad status", &article.Article{Title: "Odd", Body: "Words.", Status: "live"}, "status"},
		} {
			t.Run(test.name, func(t *testing.T) {
				err := svc.Create(ctx, system, test.a)
				var fe *article.FieldError
				if !errors.As(err, &fe) || fe.Field != test.field {
					t.Fatalf("Create = %v, want a field error about %s", err, test.field)
				}
				if !errors.Is(err, article.ErrInvalid) {
					t.Errorf("%v does not wrap ErrInvalid", err)
				}
			})
		}
		if n, _ := s.CountArticles(ctx, store.ArticleQuery{}); n != 0 {
			t.Errorf("invalid articles were stored: %d", n)
		}
	})
}

func TestPublishingAndRenamingAreAudited(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, clock *testclock.Clock) {
		svc := service(s, clock)
		editor := newsroom.Person(addUser(t, s, "desk@example.org", user.Editor), "198.51.100.4")
		a := draft("Ferry timetable changes", "Ferries leave earlier from Monday.", editor.User.ID)
		if err := svc.Create(ctx, editor, a); err != nil {
			t.Fatal(err)
		}
		clock.Add(time.Minute)
		current := stored(t, s, a.ID)
		next := *current
		next.Status = article.Published
		if err := svc.Save(ctx, editor, current, &next, "edit"); err != nil {
			t.Fatal(err)
		}
		clock.Add(time.Minute)
		renamed, err := svc.Rename(ctx, editor, stored(t, s, a.ID), "ferry-timetable")
		if err != nil {
			t.Fatal(err)
		}
		if to, err := s.Redirect(ctx, "/ferry-timetable-changes/"); err != nil || to != "/ferry-timetable/" {
			t.Errorf("the public article's old address redirects to %q (%v)", to, err)
		}
		if err := svc.Delete(ctx, editor, renamed); err != nil {
			t.Fatal(err)
		}
		events, err := s.Audit(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range events {
			if e.Actor != "desk@example.org" || e.IP != "198.51.100.4" {
				t.Errorf("event %q by %q from %q, want the editor and their address", e.Action, e.Actor, e.IP)
			}
			got = append(got, e.Action+" "+e.Target)
		}
		want := "deleted article ferry-timetable|renamed article ferry-timetable|published ferry-timetable-changes"
		if strings.Join(got, "|") != want {
			t.Errorf("audit log, newest first:\n%s\nwant\n%s", strings.Join(got, "|"), want)
		}
		revs, err := s.Revisions(ctx, a.ID)
		if err == nil && len(revs) > 0 && revs[0].Note != "edit by desk@example.org" {
			t.Errorf("revision note %q, want the edit and who made it", revs[0].Note)
		}
	})
}
