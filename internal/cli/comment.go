package cli

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/config"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/store"
)

func commentCommand() *command {
	return &command{
		name:    "comment",
		summary: "moderate readers' comments",
		subs: []*command{
			commentListCommand(),
			commentModerateCommand(newsroom.Approve, "approve comments: show them to everyone"),
			commentModerateCommand(newsroom.MarkSpam, "mark comments as spam (the spam filter learns from it)"),
			commentModerateCommand(newsroom.MoveToTrash, "move comments to the trash"),
			commentModerateCommand(newsroom.Unapprove, "hold comments for moderation again"),
			commentModerateCommand(newsroom.DeleteForGood, "delete comments for good (their replies move up a level)"),
			commentPurgeCommand(),
			commentCloseCommand(true),
			commentCloseCommand(false),
		},
	}
}

type commentJSON struct {
	ID        int64     `json:"id"`
	Article   string    `json:"article"`
	ParentID  int64     `json:"parent_id,omitempty"`
	Author    string    `json:"author"`
	Email     string    `json:"email"`
	URL       string    `json:"url,omitempty"`
	State     string    `json:"state"`
	Reason    string    `json:"reason,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	Body      string    `json:"body"`
}

func commentListCommand() *command {
	var asJSON bool
	var state string
	return &command{
		name:     "list",
		readOnly: true,
		summary:  "list comments, newest first (moderators only: shows emails)",
		flags: func(fs *flag.FlagSet, _ *config.Config) {
			fs.BoolVar(&asJSON, "json", false, "print JSON")
			fs.StringVar(&state, "state", "", "only comments in this state: pending, approved, spam or trash")
		},
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 0 {
				return usage(e, fs, "takes no arguments")
			}
			var q store.CommentQuery
			if state != "" {
				st, err := comment.ParseState(state)
				if err != nil {
					return usage(e, fs, "--state: %v", err)
				}
				q.State = st
			}
			return withStore(e, fs, func(s store.Store) error {
				cs, err := s.Comments(e.ctx, q)
				if err != nil {
					return err
				}
				if asJSON {
					out := make([]commentJSON, 0, len(cs))
					for _, c := range cs {
						out = append(out, commentJSON{ID: c.ID, Article: c.ArticleSlug, ParentID: c.ParentID, Author: c.Author, Email: c.Email,
							URL: c.URL, State: string(c.State), Reason: c.Reason, CreatedAt: c.CreatedAt, Body: c.Body})
					}
					return writeJSON(e.stdout, out)
				}
				tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tSTATE\tDATE\tARTICLE\tAUTHOR\tEMAIL\tCOMMENT")
				for _, c := range cs {
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.State, formatDate(c.CreatedAt), c.ArticleSlug, c.Author, c.Email, excerpt(c.Body, 50))
				}
				return tw.Flush()
			})
		},
	}
}

func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// commentIDs reads the IDs a moderation command acts on.
func commentIDs(e *env, fs *flag.FlagSet) ([]int64, int) {
	if fs.NArg() == 0 {
		return nil, usage(e, fs, "name at least one comment ID (see 'dateline comment list')")
	}
	var ids []int64
	for _, a := range fs.Args() {
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil || id < 1 {
			return nil, usage(e, fs, "%q is not a comment ID", a)
		}
		ids = append(ids, id)
	}
	return ids, exitOK
}

// commentModerateCommand is the command that makes decision m about the
// comments named, all at once: when one is missing, none changes.
func commentModerateCommand(m newsroom.Moderation, summary string) *command {
	done := "deleted"
	if st, ok := m.State(); ok {
		done = string(st)
	}
	return &command{
		name:    string(m),
		args:    "ID...",
		summary: summary,
		run: func(e *env, fs *flag.FlagSet) int {
			ids, code := commentIDs(e, fs)
			if ids == nil {
				return code
			}
			return withStore(e, fs, func(s store.Store) error {
				var missing *newsroom.MissingCommentError
				err := newsroomOf(e, s).Moderate(e.ctx, cliAs, m, ids)
				switch {
				case errors.As(err, &missing) && len(ids) > 1:
					return fmt.Errorf("comment %d not found; none of the %d comments was changed", missing.ID, len(ids))
				case errors.As(err, &missing):
					return notFoundError{fmt.Sprintf("comment %d", missing.ID)}
				case err != nil:
					return err
				}
				for _, id := range ids {
					fmt.Fprintf(e.stdout, "comment %d: %s\n", id, done)
				}
				return nil
			})
		},
	}
}

func commentPurgeCommand() *command {
	var email string
	var remove bool
	return &command{
		name:    "purge",
		summary: "anonymise (or --delete) every comment of an email address, for a data-protection request",
		flags: func(fs *flag.FlagSet, _ *config.Config) {
			fs.StringVar(&email, "email", "", "the commenter's email address")
			fs.BoolVar(&remove, "delete", false, "delete the comments instead of anonymising them")
		},
		run: func(e *env, fs *flag.FlagSet) int {
			if strings.TrimSpace(email) == "" || fs.NArg() != 0 {
				return usage(e, fs, "give the address with --email ADDRESS")
			}
			return withStore(e, fs, func(s store.Store) error {
				n, err := newsroomOf(e, s).ForgetCommenter(e.ctx, cliAs, email, remove)
				if err != nil {
					return err
				}
				verb := "anonymised"
				if remove {
					verb = "deleted"
				}
				fmt.Fprintf(e.stdout, "%s %d %s of %s\n", verb, n, pluralize(n, "comment", "comments"), email)
				return nil
			})
		},
	}
}

func pluralize(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func commentCloseCommand(closed bool) *command {
	name, summary, done := "open", "open comments on an article again", "opened"
	if closed {
		name, summary, done = "close", "close comments on an article", "closed"
	}
	return &command{
		name:    name,
		args:    "SLUG",
		summary: summary,
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 1 {
				return usage(e, fs, "name one article by its slug")
			}
			return withStore(e, fs, func(s store.Store) error {
				if err := newsroomOf(e, s).CloseComments(e.ctx, cliAs, fs.Arg(0), closed); errors.Is(err, store.ErrNotFound) {
					return notFoundError{fmt.Sprintf("article %q", fs.Arg(0))}
				} else if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "comments %s on %s\n", done, fs.Arg(0))
				return nil
			})
		},
	}
}
