package public

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/urls"
	"github.com/datelinehq/dateline/internal/web"
)

// commenterCookie holds a commenter's random key, signed, so that they see
// their own comments while these await moderation. It says nothing about
// them.
const (
	commenterCookie    = "dateline_commenter"
	commenterCookieAge = 30 * 24 * time.Hour
)

// maxCommentPost bounds a comment form post: the longest comment WordPress
// allows, in the widest UTF-8, with room for the other fields.
const maxCommentPost = comment.MaxCommentLen*4 + 8<<10

// honeypotField is a form field that people never see and bots fill in.
const honeypotField = "dl_website_confirm"

// commenterKey returns the key in the reader's commenter cookie, if it is
// one this site signed.
func (h *Handlers) commenterKey(r *http.Request) (string, bool) {
	c, err := r.Cookie(commenterCookie)
	if err != nil {
		return "", false
	}
	return h.signer.VerifyCookie(c.Value)
}

// postComment takes a "Leave a Reply" form. A good comment is stored and
// the reader redirected to it (Post/Redirect/Get); a bad one brings the
// form back with everything typed kept and a message at each field at
// fault.
func (h *Handlers) postComment(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, maxCommentPost)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return web.HTTPError{Status: http.StatusRequestEntityTooLarge, Message: "Your comment is too long to send. Comments may have at most 65,525 characters."}
		}
		return web.BadRequest{Message: "The form could not be read."}
	}
	a, err := h.publicArticle(ctx, slug)
	if err != nil {
		return err
	}
	form := comment.Form{
		Comment: r.PostFormValue("comment"),
		Author:  r.PostFormValue("author"),
		Email:   r.PostFormValue("email"),
		URL:     r.PostFormValue("url"),
		Parent:  r.PostFormValue("comment_parent"),
	}
	settings, err := h.settings.get(ctx)
	if err != nil {
		return err
	}
	now := h.now()
	// again brings the form back with the reader's input and a message.
	again := func(status int, message string, errs comment.FieldErrors) error {
		return h.commentFormAgain(w, r, a.Slug, status, form, errs, message)
	}
	if a.CommentsClosed || settings.ClosedFor(a.PublishedAt, now) {
		return again(http.StatusForbidden, "Comments are closed on this article.", nil)
	}
	c, errs := form.Validate()
	if errs != nil {
		return again(http.StatusUnprocessableEntity, "Your comment could not be posted. Please correct the fields marked below.", errs)
	}
	if r.PostFormValue("dl_token") == "" {
		// A form from a page served elsewhere (a static export) has no
		// token: the reader confirms here, with one of this node's.
		return again(http.StatusOK, "Please check your comment, then post it.", nil)
	}
	nonce, err := h.signer.VerifyToken(r.PostFormValue("dl_token"), a.ID, now,
		time.Duration(settings.MinFormSeconds)*time.Second, time.Duration(settings.MaxFormHours)*time.Hour)
	if err != nil {
		return again(http.StatusUnprocessableEntity, capitalize(err.Error()), nil)
	}
	ip := web.ClientOf(r).Addr
	if !h.limits.allow("ip:"+ip.String(), settings.PerIPPerMinute) || !h.limits.allow("article:"+strconv.FormatInt(a.ID, 10), settings.PerArticlePerMinute) {
		return again(http.StatusTooManyRequests, "You are posting comments too quickly. Please wait a minute and try again.", nil)
	}
	c.ArticleID = a.ID
	facts := comment.Facts{IP: ip}
	if facts.KnownCommenter, err = h.store.HasApprovedComment(ctx, c.Author, c.Email); err != nil {
		return err
	}
	tokens := comment.Tokens(c)
	model, err := h.store.SpamModel(ctx, tokens)
	if err != nil {
		return err
	}
	facts.SpamScore, facts.Scored = model.Score(tokens)
	c.State, c.Reason = settings.Decide(c, facts)
	if r.PostFormValue(honeypotField) != "" {
		c.State, c.Reason = comment.Spam, "filled in the hidden field"
	}
	key, hasKey := h.commenterKey(r)
	if !hasKey {
		key = comment.NewCommenterKey()
	}
	c.CommenterKey = comment.HashKey(key)
	err = h.store.CreateComment(ctx, c, nonce, now.Add(time.Duration(settings.MaxFormHours)*time.Hour))
	switch {
	case errors.Is(err, comment.ErrTokenUsed):
		return again(http.StatusUnprocessableEntity, "This form was already used to post a comment. Please check your comment and post it again.", nil)
	case errors.Is(err, comment.ErrDuplicate):
		return again(http.StatusConflict, "Duplicate comment: it looks as though you’ve already said that.", nil)
	case errors.Is(err, store.ErrNotFound):
		return again(http.StatusUnprocessableEntity, "Your comment could not be posted.", comment.FieldErrors{"comment_parent": "The comment you reply to does not exist on this article."})
	case err != nil:
		return err
	}
	if c.State == comment.Pending {
		http.SetCookie(w, &http.Cookie{
			Name: commenterCookie, Value: h.signer.SignCookie(key), Path: "/",
			MaxAge: int(commenterCookieAge.Seconds()), HttpOnly: true, Secure: web.ClientOf(r).Secure, SameSite: http.SameSiteLaxMode,
		})
	}
	if c.State == comment.Approved {
		// The count changed on this page and on every list showing it.
		h.pages.clear()
	}
	target := urls.Comments(a.Slug)
	if c.State != comment.Spam {
		target = urls.Comment(a.Slug, c.ID)
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

// commentFormAgain renders the article with the reader's form, its errors
// and a fresh token.
func (h *Handlers) commentFormAgain(w http.ResponseWriter, r *http.Request, slug string, status int, form comment.Form, errs comment.FieldErrors, message string) error {
	a, err := h.publicArticle(r.Context(), slug)
	if err != nil {
		return err
	}
	visibleTo := ""
	if key, ok := h.commenterKey(r); ok {
		visibleTo = comment.HashKey(key)
	}
	p, err := h.articlePage(r, a, visibleTo)
	if err != nil {
		return err
	}
	// This node takes the comment, whatever node served the page.
	p.Form = CommentForm{Action: urls.PostComment(a.Slug), Values: form, Errors: errs, Message: message, Token: h.signer.NewToken(a.ID, h.now())}
	if id, err := strconv.ParseInt(form.Parent, 10, 64); err == nil && id > 0 {
		p.Form.ReplyTo = findNode(p.Thread, id)
	}
	p.NoIndex = true
	w.Header().Set("Cache-Control", "private, no-store")
	return h.tpl.article.Render(w, status, *p)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// settingsCache keeps the comment policy for as long as pages are cached,
// so that a post does not read it from the store each time.
type settingsCache struct {
	store   store.SettingsStore
	ttl     time.Duration
	now     func() time.Time
	mu      sync.Mutex
	value   comment.Settings
	expires time.Time
}

func (c *settingsCache) get(ctx context.Context) (comment.Settings, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if now := c.now(); now.Before(c.expires) {
		return c.value, nil
	}
	s, err := c.store.CommentSettings(ctx)
	if err != nil {
		return s, err
	}
	c.value, c.expires = s, c.now().Add(c.ttl)
	return s, nil
}

func (c *settingsCache) clear() {
	c.mu.Lock()
	c.expires = time.Time{}
	c.mu.Unlock()
}

// rateLimiter allows at most a number of events per key in any minute (a
// sliding window). It lives in memory: each node limits what reaches it.
type rateLimiter struct {
	now    func() time.Time
	mu     sync.Mutex
	events map[string][]time.Time
}

// maxLimiterKeys bounds the limiter's memory; past it, keys with no event
// in the last minute are dropped.
const maxLimiterKeys = 100_000

func newRateLimiter(now func() time.Time) *rateLimiter {
	return &rateLimiter{now: now, events: map[string][]time.Time{}}
}

// allow records an event for key and reports whether it stays within
// perMinute; a refused event is not recorded.
func (l *rateLimiter) allow(key string, perMinute int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	since := now.Add(-time.Minute)
	if len(l.events) >= maxLimiterKeys {
		for k, ts := range l.events {
			if len(ts) == 0 || !ts[len(ts)-1].After(since) {
				delete(l.events, k)
			}
		}
	}
	recent := l.events[key]
	for len(recent) > 0 && !recent[0].After(since) {
		recent = recent[1:]
	}
	if len(recent) >= perMinute {
		l.events[key] = recent
		return false
	}
	l.events[key] = append(recent, now)
	return true
}
