package public

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/web"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
)

// reader is one visitor with their own cookies, and the headers their
// requests carry (such as a proxy's).
type reader struct {
	ts      *testServer
	cookies map[string]*http.Cookie
	header  http.Header
}

func (ts *testServer) reader() *reader { return &reader{ts: ts, cookies: map[string]*http.Cookie{}} }

func (rd *reader) request(t *testing.T, method, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req, err := http.NewRequest(method, rd.ts.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range rd.header {
		req.Header[k] = v
	}
	for _, c := range rd.cookies {
		req.AddCookie(c)
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	for _, c := range resp.Cookies() {
		rd.cookies[c.Name] = c
	}
	return resp, b.String()
}

// formToken loads the article page and returns the form's token, then
// lets enough time pass for a person to write.
func (rd *reader) formToken(t *testing.T, slug string) string {
	t.Helper()
	_, body := rd.request(t, http.MethodGet, "/"+slug+"/", nil)
	doc := parseHTML(t, body)
	inputs := findAll(doc, func(n *html.Node) bool { return n.Data == "input" && attr(n, "name") == "dl_token" })
	if len(inputs) != 1 {
		t.Fatalf("article page has %d token fields", len(inputs))
	}
	rd.ts.clock.Set(rd.ts.clock.Now().Add(10 * time.Second))
	return attr(inputs[0], "value")
}

// post posts the comment form as a browser would.
func (rd *reader) post(t *testing.T, slug string, fields map[string]string) (*http.Response, string) {
	t.Helper()
	form := url.Values{"dl_token": {rd.formToken(t, slug)}, "comment_parent": {"0"}}
	for k, v := range fields {
		form.Set(k, v)
	}
	return rd.request(t, http.MethodPost, "/"+slug+"/comments", form)
}

func commentFields(author, text string) map[string]string {
	return map[string]string{"author": author, "email": strings.ToLower(author) + "@mail.example", "comment": text}
}

// commentIDFrom reads the comment ID from a Post/Redirect/Get location.
func commentIDFrom(t *testing.T, resp *http.Response) int64 {
	t.Helper()
	loc := resp.Header.Get("Location")
	_, frag, ok := strings.Cut(loc, "#comment-")
	id, err := strconv.ParseInt(frag, 10, 64)
	if resp.StatusCode != http.StatusSeeOther || !ok || err != nil {
		t.Fatalf("post answered %d, Location %q; want 303 to the comment", resp.StatusCode, loc)
	}
	return id
}

func moderate(t *testing.T, ts *testServer, id int64, state comment.State) {
	t.Helper()
	c, err := ts.store.Comment(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.store.ModerateComment(ctx, id, state, comment.Tokens(c)); err != nil {
		t.Fatal(err)
	}
}

// Issue 4: the "done when" walk on the reference article.
func TestCommentFlowOnTheReferenceArticle(t *testing.T) {
	t.Parallel()
	raw := referenceArticle(t)
	ts := newTestServer(t, 0, "")
	a := importText(t, ts, raw)
	author, stranger := ts.reader(), ts.reader()

	// No email: 422, and the text is still there.
	text := "The Doha framework never had teeth — “enforcement” was left to goodwill."
	resp, body := author.post(t, a.Slug, map[string]string{"author": "Amina", "comment": text})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("post without email = %d, want 422", resp.StatusCode)
	}
	doc := parseHTML(t, body)
	if ta := findAll(doc, func(n *html.Node) bool { return n.Data == "textarea" && attr(n, "name") == "comment" }); len(ta) != 1 || text_(ta[0]) != text {
		t.Errorf("the comment text was not kept")
	}
	if name := findAll(doc, func(n *html.Node) bool { return n.Data == "input" && attr(n, "name") == "author" }); len(name) != 1 || attr(name[0], "value") != "Amina" {
		t.Error("the name was not kept")
	}
	if errs := findAll(doc, func(n *html.Node) bool { return attr(n, "id") == "email-error" }); len(errs) != 1 || !strings.Contains(text_(errs[0]), "email") {
		t.Error("no message next to the email field")
	}

	// A valid first comment is held, and only its author sees it.
	resp, _ = author.post(t, a.Slug, map[string]string{"author": "Amina", "email": "amina@mail.example", "comment": text})
	id := commentIDFrom(t, resp)
	if c := author.cookies[commenterCookie]; c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || strings.Contains(c.Value, "amina") {
		t.Errorf("commenter cookie = %+v", c)
	}
	_, mine := author.request(t, http.MethodGet, "/"+a.Slug+"/", nil)
	if !strings.Contains(mine, "Your comment is awaiting moderation") || !strings.Contains(mine, "enforcement") {
		t.Error("the author does not see their pending comment")
	}
	_, theirs := stranger.request(t, http.MethodGet, "/"+a.Slug+"/", nil)
	if strings.Contains(theirs, "enforcement") {
		t.Error("a stranger sees a pending comment")
	}

	// Approved: everyone sees it, and the count is 1.
	moderate(t, ts, id, comment.Approved)
	_, theirs = stranger.request(t, http.MethodGet, "/"+a.Slug+"/", nil)
	doc = parseHTML(t, theirs)
	if li := findAll(doc, func(n *html.Node) bool { return attr(n, "id") == "comment-"+strconv.FormatInt(id, 10) }); len(li) != 1 {
		t.Fatal("the approved comment is not on the page")
	}
	if h := text_(findAll(doc, func(n *html.Node) bool { return attr(n, "id") == "comments-heading" })[0]); h != "1 comment" {
		t.Errorf("comments heading = %q, want 1 comment", h)
	}
	if bl := text_(findAll(doc, hasClass("byline"))[0]); !strings.Contains(bl, "1 comment") {
		t.Errorf("byline = %q", bl)
	}

	// A reply, from the Reply link, nests under it.
	_, replyPage := stranger.request(t, http.MethodGet, "/"+a.Slug+"/?replytocom="+strconv.FormatInt(id, 10), nil)
	if !strings.Contains(replyPage, "Reply to Amina") || !strings.Contains(replyPage, `name="comment_parent" value="`+strconv.FormatInt(id, 10)+`"`) {
		t.Error("the reply form does not name the comment replied to")
	}
	fields := commentFields("Bilal", "Goodwill is a policy too.")
	fields["comment_parent"] = strconv.FormatInt(id, 10)
	resp, _ = stranger.post(t, a.Slug, fields)
	replyID := commentIDFrom(t, resp)
	moderate(t, ts, replyID, comment.Approved)
	_, page := ts.reader().request(t, http.MethodGet, "/"+a.Slug+"/", nil)
	doc = parseHTML(t, page)
	reply := findAll(doc, func(n *html.Node) bool { return attr(n, "id") == "comment-"+strconv.FormatInt(replyID, 10) })
	if len(reply) != 1 || reply[0].Parent == nil || attr(reply[0].Parent, "class") != "children" || attr(reply[0].Parent.Parent, "id") != "comment-"+strconv.FormatInt(id, 10) {
		t.Error("the reply is not nested under the comment it answers")
	}
}

// text_ is text() for a node's content.
func text_(n *html.Node) string { return text(n) }

func TestCommentFormMarkup(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, time.Minute, "")
	a := ts.add(t, floodArticle())
	_, body := ts.get(t, "/"+a.Slug+"/")
	doc := parseHTML(t, body)
	// The comment form, beside the header's search form.
	forms := findAll(doc, func(n *html.Node) bool { return n.Data == "form" && attr(n, "method") == "post" })
	if len(forms) != 1 || attr(forms[0], "action") != "/"+a.Slug+"/comments" {
		t.Fatalf("comment form = %v", forms)
	}
	names := map[string]string{}
	for _, in := range findAll(forms[0], func(n *html.Node) bool { return n.Data == "input" || n.Data == "textarea" }) {
		names[attr(in, "name")] = attr(in, "type")
	}
	for _, want := range []string{"comment", "author", "email", "url", "comment_parent", "dl_token"} {
		if _, ok := names[want]; !ok {
			t.Errorf("form lacks the %s field", want)
		}
	}
	if !strings.Contains(text(forms[0].Parent), "Leave a Reply") || !strings.Contains(text(forms[0]), "Your email address will not be published. Required fields are marked *") {
		t.Error("form lacks its heading or note")
	}
	// Each page view gets its own token, even from the page cache.
	_, again := ts.get(t, "/"+a.Slug+"/")
	token := func(b string) string {
		in := findAll(parseHTML(t, b), func(n *html.Node) bool { return attr(n, "name") == "dl_token" })
		return attr(in[0], "value")
	}
	if token(body) == token(again) || token(body) == tokenHole {
		t.Error("two readers got the same form token")
	}
}

func TestCommentValidationAndBadInput(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	a := ts.add(t, floodArticle())
	other := ts.add(t, &article.Article{Title: "Another Story", Body: "Text.\n", PublishedAt: published})
	rd := ts.reader()
	okResp, _ := rd.post(t, a.Slug, commentFields("Keeper", "A comment that must survive everything below."))
	keeper := commentIDFrom(t, okResp)
	moderate(t, ts, keeper, comment.Approved)
	otherResp, _ := rd.post(t, other.Slug, commentFields("Elsewhere", "On another article."))
	elsewhere := commentIDFrom(t, otherResp)

	for _, test := range []struct {
		name   string
		fields map[string]string
		status int
		field  string // the field with a message, if any
	}{
		{"empty comment", map[string]string{"author": "A", "email": "a@mail.example", "comment": "  "}, 422, "comment-error"},
		{"no name", map[string]string{"email": "a@mail.example", "comment": "Hi"}, 422, "author-error"},
		{"bad email", map[string]string{"author": "A", "email": "not-an-address", "comment": "Hi"}, 422, "email-error"},
		{"javascript website", map[string]string{"author": "A", "email": "a@mail.example", "url": "javascript:alert(1)", "comment": "Hi"}, 422, "url-error"},
		{"data website", map[string]string{"author": "A", "email": "a@mail.example", "url": "data:text/html,<script>x</script>", "comment": "Hi"}, 422, "url-error"},
		{"too long", map[string]string{"author": "A", "email": "a@mail.example", "comment": strings.Repeat("x", comment.MaxCommentLen+1)}, 422, "comment-error"},
		{"invalid UTF-8", map[string]string{"author": "A\xff", "email": "a@mail.example", "comment": "Hi"}, 422, "author-error"},
		{"parent on another article", map[string]string{"author": "A", "email": "a@mail.example", "comment": "Reply", "comment_parent": strconv.FormatInt(elsewhere, 10)}, 422, ""},
		{"missing parent", map[string]string{"author": "A", "email": "a@mail.example", "comment": "Reply", "comment_parent": "99999"}, 422, ""},
		{"garbage parent", map[string]string{"author": "A", "email": "a@mail.example", "comment": "Reply", "comment_parent": "1 OR 1=1"}, 422, ""},
	} {
		resp, body := rd.post(t, a.Slug, test.fields)
		if resp.StatusCode != test.status {
			t.Errorf("%s: status %d, want %d", test.name, resp.StatusCode, test.status)
			continue
		}
		doc := parseHTML(t, body)
		if test.field != "" && len(findAll(doc, func(n *html.Node) bool { return attr(n, "id") == test.field })) != 1 {
			t.Errorf("%s: no message at %s", test.name, test.field)
		}
		if len(findAll(doc, hasClass("form-message"))) != 1 {
			t.Errorf("%s: no message above the form", test.name)
		}
	}

	// Inert content is stored inert.
	resp, _ := rd.post(t, a.Slug, map[string]string{
		"author": "Mallory\u202e\x00", "email": "mallory@mail.example", "url": "https://mallory.example/",
		"comment": "<script>alert(1)</script> <b onclick=x()>bold</b> javascript:alert(2) data:text/html,x \x00 see https://example.org/a?b=1.",
	})
	id := commentIDFrom(t, resp)
	moderate(t, ts, id, comment.Approved)
	stored, _ := ts.store.Comment(ctx, id)
	if strings.ContainsAny(stored.Author+stored.Body, "\x00\u202e") {
		t.Errorf("stored comment kept NUL or bidi characters: %q %q", stored.Author, stored.Body)
	}
	_, page := ts.reader().request(t, http.MethodGet, "/"+a.Slug+"/", nil)
	doc := parseHTML(t, page)
	li := findAll(doc, func(n *html.Node) bool { return attr(n, "id") == "comment-"+strconv.FormatInt(id, 10) })[0]
	if len(findAll(li, tag("script"))) > 0 || len(findAll(li, tag("b"))) > 0 {
		t.Error("comment markup became elements")
	}
	var hrefs []string
	for _, l := range findAll(li, tag("a")) {
		hrefs = append(hrefs, attr(l, "href")+" "+attr(l, "rel"))
		for _, at := range l.Attr {
			if strings.HasPrefix(at.Key, "on") {
				t.Error("a link in a comment has an event handler")
			}
		}
	}
	want := []string{"https://mallory.example/ nofollow ugc", "#comment-" + strconv.FormatInt(id, 10) + " ", "https://example.org/a?b=1 nofollow ugc noopener", "?replytocom=" + strconv.FormatInt(id, 10) + "#respond nofollow"}
	if strings.Join(hrefs, "|") != strings.Join(want, "|") {
		t.Errorf("links in the comment = %q, want %q", hrefs, want)
	}

	// A body over the limit, and posts where comments cannot go.
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/"+a.Slug+"/comments", strings.NewReader("comment="+strings.Repeat("x", 1<<20)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if big, err := http.DefaultClient.Do(req); err != nil || big.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("1 MB post: %v %v, want 413", big.StatusCode, err)
	}
	draft := ts.add(t, &article.Article{Title: "Draft Story", Body: "Secret.\n", Status: article.Draft})
	if resp, _ := rd.request(t, http.MethodPost, "/"+draft.Slug+"/comments", url.Values{"comment": {"x"}}); resp.StatusCode != 404 {
		t.Errorf("post to a draft = %d, want 404", resp.StatusCode)
	}
	if resp, _ := rd.request(t, http.MethodPost, "/no-such-article/comments", url.Values{"comment": {"x"}}); resp.StatusCode != 404 {
		t.Errorf("post to a missing article = %d, want 404", resp.StatusCode)
	}
	if err := ts.store.SetCommentsClosed(ctx, a.Slug, true); err != nil {
		t.Fatal(err)
	}
	late := url.Values{"author": {"Late"}, "email": {"late@mail.example"}, "comment": {"Too late."}}
	if resp, body := rd.request(t, http.MethodPost, "/"+a.Slug+"/comments", late); resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "Comments are closed") {
		t.Errorf("post to a closed article = %d", resp.StatusCode)
	}
	if _, page := ts.get(t, "/"+a.Slug+"/"); strings.Contains(page, `action="/`+a.Slug+`/comments"`) || !strings.Contains(page, "Comments are closed.") {
		t.Error("a closed article still shows the form")
	}
	// Nothing of the above touched what was stored.
	if got, err := ts.store.Comment(ctx, keeper); err != nil || got.Body != "A comment that must survive everything below." || got.State != comment.Approved {
		t.Errorf("the first comment changed: %+v, %v", got, err)
	}
	all, _ := ts.store.Comments(ctx, store.CommentQuery{ArticleID: a.ID})
	if len(all) != 2 {
		t.Errorf("%d comments on the article, want the 2 accepted", len(all))
	}
}

func TestSpamDefences(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	a := ts.add(t, floodArticle())
	rd := ts.reader()

	// state is the state of the comment just posted; spam is not shown, so
	// its redirect names no comment.
	state := func(resp *http.Response) comment.State {
		t.Helper()
		if resp.StatusCode == http.StatusSeeOther && strings.HasSuffix(resp.Header.Get("Location"), "#comments") {
			latest, err := ts.store.Comments(ctx, store.CommentQuery{Limit: 1})
			if err != nil || len(latest) != 1 {
				t.Fatal(err)
			}
			return latest[0].State
		}
		c, err := ts.store.Comment(ctx, commentIDFrom(t, resp))
		if err != nil {
			t.Fatal(err)
		}
		return c.State
	}
	// The honeypot.
	f := commentFields("Bot", "Great post!")
	f[honeypotField] = "http://spam.example"
	resp, _ := rd.post(t, a.Slug, f)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/"+a.Slug+"/#comments" {
		t.Errorf("honeypot post answered %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if cs, _ := ts.store.Comments(ctx, store.CommentQuery{State: comment.Spam}); len(cs) != 1 {
		t.Errorf("honeypot comment not stored as spam: %d spam", len(cs))
	}

	// Too fast, too old, replayed, forged.
	form := func(token, text string) url.Values {
		return url.Values{"dl_token": {token}, "author": {"Quick"}, "email": {"quick@mail.example"}, "comment": {text}}
	}
	_, page := rd.request(t, http.MethodGet, "/"+a.Slug+"/", nil)
	tok := attr(findAll(parseHTML(t, page), func(n *html.Node) bool { return attr(n, "name") == "dl_token" })[0], "value")
	if resp, body := rd.request(t, http.MethodPost, "/"+a.Slug+"/comments", form(tok, "Too fast")); resp.StatusCode != 422 || !strings.Contains(body, "too quick") {
		t.Errorf("instant post = %d", resp.StatusCode)
	}
	ts.clock.Set(ts.clock.Now().Add(5 * time.Second))
	if resp, _ := rd.request(t, http.MethodPost, "/"+a.Slug+"/comments", form(tok, "Now fine")); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("post after 5s = %d", resp.StatusCode)
	}
	if resp, body := rd.request(t, http.MethodPost, "/"+a.Slug+"/comments", form(tok, "Replayed with new text")); resp.StatusCode != 422 || !strings.Contains(body, "already used") {
		t.Errorf("replayed token = %d", resp.StatusCode)
	}
	ts.clock.Set(ts.clock.Now().Add(25 * time.Hour))
	_, page = rd.request(t, http.MethodGet, "/"+a.Slug+"/", nil)
	old := attr(findAll(parseHTML(t, page), func(n *html.Node) bool { return attr(n, "name") == "dl_token" })[0], "value")
	ts.clock.Set(ts.clock.Now().Add(25 * time.Hour))
	if resp, body := rd.request(t, http.MethodPost, "/"+a.Slug+"/comments", form(old, "Old form")); resp.StatusCode != 422 || !strings.Contains(body, "expired") {
		t.Errorf("day-old token = %d", resp.StatusCode)
	}
	if resp, body := rd.request(t, http.MethodPost, "/"+a.Slug+"/comments", form("forged.token", "Forged")); resp.StatusCode != 422 || !strings.Contains(body, "damaged") {
		t.Errorf("forged token = %d", resp.StatusCode)
	}

	// Duplicates, links, blocked words.
	ts.clock.Set(ts.clock.Now().Add(2 * time.Minute))
	if resp, _ := rd.post(t, a.Slug, commentFields("Dup", "Say it once.")); resp.StatusCode != 303 {
		t.Fatalf("first post = %d", resp.StatusCode)
	}
	if resp, body := rd.post(t, a.Slug, commentFields("Dup", "say it  ONCE.")); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "already said that") {
		t.Errorf("duplicate = %d", resp.StatusCode)
	}
	settings := comment.DefaultSettings()
	settings.AutoApproveKnown = false
	settings.BlockedWords = []string{"casino"}
	settings.PerIPPerMinute = 1000
	if err := ts.store.SaveCommentSettings(ctx, settings); err != nil {
		t.Fatal(err)
	}
	ts.clock.Set(ts.clock.Now().Add(time.Minute)) // the settings cache expires at once (cache 0)
	if resp, _ := rd.post(t, a.Slug, commentFields("Linker", "See https://a.example https://b.example https://c.example")); state(resp) != comment.Pending {
		t.Error("three links were not held")
	}
	if resp, _ := rd.post(t, a.Slug, commentFields("Gambler", "Best CASINO bonus")); state(resp) != comment.Spam {
		t.Error("a blocked word was not spam")
	}
	if resp, _ := rd.post(t, a.Slug, commentFields("Plain", "A fair point about the barriers.")); state(resp) != comment.Approved {
		t.Error("a plain comment was not approved with auto-approval off and no hold")
	}

	// The classifier learns from moderators.
	for i := range comment.MinTrained {
		bad := ts.reader()
		r1, _ := bad.post(t, a.Slug, commentFields("Seller"+strconv.Itoa(i), "cheap replica watches discount pharmacy offer number "+strconv.Itoa(i)))
		if r1.StatusCode != http.StatusSeeOther {
			t.Fatalf("spam sample %d: %d", i, r1.StatusCode)
		}
		latest, _ := ts.store.Comments(ctx, store.CommentQuery{Limit: 1})
		moderate(t, ts, latest[0].ID, comment.Spam)
		good := ts.reader()
		r2, _ := good.post(t, a.Slug, commentFields("Reader"+strconv.Itoa(i), "the barrier held and the harbour stayed dry, point "+strconv.Itoa(i)))
		moderate(t, ts, commentIDFrom(t, r2), comment.Approved)
	}
	if resp, _ := ts.reader().post(t, a.Slug, commentFields("NewSeller", "discount replica watches cheap offer")); state(resp) != comment.Spam {
		t.Error("the trained classifier did not catch an obvious spam")
	}
	if resp, _ := ts.reader().post(t, a.Slug, commentFields("NewReader", "the harbour barrier held well")); state(resp) != comment.Approved {
		t.Error("the trained classifier rejected a normal comment")
	}

	// Rate limit per address.
	settings.PerIPPerMinute = 2
	ts.store.SaveCommentSettings(ctx, settings)
	ts.clock.Set(ts.clock.Now().Add(time.Minute))
	codes := []int{}
	for i := range 3 {
		resp, _ := rd.post(t, a.Slug, commentFields("Fast", "Message number "+strconv.Itoa(i)))
		codes = append(codes, resp.StatusCode)
	}
	if codes[len(codes)-1] != http.StatusTooManyRequests {
		t.Errorf("three posts in a minute with a limit of 2: %v", codes)
	}
}

func TestThreadsAndCountsEverywhere(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	a := ts.add(t, floodArticle())
	settings := comment.DefaultSettings()
	settings.AutoApproveKnown, settings.PerIPPerMinute = false, 1000
	ts.store.SaveCommentSettings(ctx, settings)
	rd := ts.reader()
	parent := "0"
	var ids []int64
	for i := range 4 {
		f := commentFields("Level"+strconv.Itoa(i+1), "Comment at depth "+strconv.Itoa(i+1))
		f["comment_parent"] = parent
		resp, _ := rd.post(t, a.Slug, f)
		id := commentIDFrom(t, resp)
		ids = append(ids, id)
		parent = strconv.FormatInt(id, 10)
	}
	_, page := ts.get(t, "/"+a.Slug+"/")
	doc := parseHTML(t, page)
	deepest := findAll(doc, func(n *html.Node) bool { return attr(n, "id") == "comment-"+strconv.FormatInt(ids[3], 10) })[0]
	depth := 0
	for n := deepest; n != nil; n = n.Parent {
		if n.Data == "ol" {
			depth++
		}
	}
	if depth != 4 {
		t.Errorf("the fourth reply sits in %d nested lists, want 4", depth)
	}
	for _, p := range []string{"/", "/tag/selvik/", "/author/ingrid-solheim/"} {
		_, body := ts.get(t, p)
		if !strings.Contains(body, "4 comments") {
			t.Errorf("GET %s does not show the 4 comments", p)
		}
	}
	moderate(t, ts, ids[1], comment.Spam)
	_, body := ts.get(t, "/")
	if !strings.Contains(body, "3 comments") {
		t.Error("the home page count did not follow moderation")
	}
	_, page = ts.get(t, "/"+a.Slug+"/")
	if strings.Contains(page, "Comment at depth 2") || !strings.Contains(page, "Comment at depth 3") {
		t.Error("after hiding a comment, its replies should stay visible and it should not")
	}
}

func TestNoCommenterEmailInAnyPublicResponse(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, time.Minute, "")
	a := ts.add(t, floodArticle())
	settings := comment.DefaultSettings()
	settings.AutoApproveKnown = false
	ts.store.SaveCommentSettings(ctx, settings)
	const secretEmail = "private.person@hidden-mail.example"
	rd := ts.reader()
	resp, _ := rd.post(t, a.Slug, map[string]string{"author": "Private Person", "email": secretEmail, "url": "https://private.example/", "comment": "My address must stay private."})
	commentIDFrom(t, resp)
	pending := ts.reader()
	resp, _ = pending.post(t, a.Slug, map[string]string{"author": "Held", "email": "held." + secretEmail, "comment": "Held https://a.example https://b.example https://c.example"})
	commentIDFrom(t, resp)

	// Crawl every page reachable from the home page, plus error pages.
	seen := map[string]bool{}
	queue := []string{"/", "/no-such-page/", "/" + a.Slug + "/?replytocom=1", "/static/nope.css", "/feed/", "/feed/atom/", "/feed.json", "/tag/selvik/feed/", "/tag/selvik/feed/atom/", "/tag/selvik/feed.json", "/author/ingrid-solheim/feed/", "/author/ingrid-solheim/feed/atom/", "/author/ingrid-solheim/feed.json", "/sitemap.xml", "/news-sitemap.xml", "/robots.txt"}
	for len(queue) > 0 && len(seen) < 200 {
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue
		}
		seen[p] = true
		for _, who := range []*reader{ts.reader(), pending} {
			resp, body := who.request(t, http.MethodGet, p, nil)
			all := body
			for k, vs := range resp.Header {
				all += k + ": " + strings.Join(vs, ",") + "\n"
			}
			if strings.Contains(strings.ToLower(all), "hidden-mail.example") {
				t.Errorf("GET %s shows a commenter's email", p)
			}
			for _, l := range findAll(parseHTML(t, body), func(n *html.Node) bool { return n.Data == "a" || n.Data == "link" }) {
				href := attr(l, "href")
				if strings.HasPrefix(href, "/") && !strings.HasPrefix(href, "//") {
					if i := strings.IndexByte(href, '#'); i >= 0 {
						href = href[:i]
					}
					queue = append(queue, href)
				}
			}
		}
	}
	if len(seen) < 8 {
		t.Errorf("crawled only %d pages", len(seen))
	}
}

// Issue: comments ignored --trust-proxy. Behind the reverse proxy every
// reader had the proxy's address (one rate limit for the whole site, a
// block list matching everyone or no one) and a plain-HTTP cookie. The
// proxy here is the test client at 127.0.0.1.
func TestCommentsBehindAProxy(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		name       string
		trustProxy bool
		forwarded  [2]string // X-Forwarded-For of the two readers
		proto      string    // X-Forwarded-Proto
		// wantApart: the second reader may post after the first used up
		// the limit for their address.
		wantApart, wantSecure bool
	}{
		{"trusted proxy", true, [2]string{"198.51.100.1", "198.51.100.2"}, "https", true, true},
		{"trusted proxy, addresses the readers wrote left of the proxy's", true,
			[2]string{"10.0.0.1, 198.51.100.1", "10.0.0.2, 198.51.100.1"}, "http", false, false},
		{"trusted proxy, its own address appended", true, [2]string{"198.51.100.1, 127.0.0.1", "198.51.100.2, 127.0.0.1"}, "https", true, true},
		{"headers a reader sent without a trusted proxy", false, [2]string{"198.51.100.1", "198.51.100.2"}, "https", false, false},
	} {
		t.Run(test.name, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t, time.Minute, "", func(_ *Options, site *web.Site) { site.TrustProxy = test.trustProxy })
			a := ts.add(t, floodArticle())
			settings := comment.DefaultSettings()
			settings.PerIPPerMinute, settings.PerArticlePerMinute = 1, 100
			if err := ts.store.SaveCommentSettings(ctx, settings); err != nil {
				t.Fatal(err)
			}
			var codes []int
			for i, fwd := range test.forwarded {
				rd := ts.reader()
				rd.header = http.Header{"X-Forwarded-For": {fwd}, "X-Forwarded-Proto": {test.proto}}
				resp, _ := rd.post(t, a.Slug, commentFields(fmt.Sprintf("Reader%d", i), fmt.Sprintf("Comment number %d.", i)))
				codes = append(codes, resp.StatusCode)
				if i == 0 {
					if c := rd.cookies[commenterCookie]; c == nil || c.Secure != test.wantSecure {
						t.Errorf("commenter cookie %+v, want one with Secure %v", c, test.wantSecure)
					}
				}
			}
			want := []int{http.StatusSeeOther, http.StatusTooManyRequests}
			if test.wantApart {
				want[1] = http.StatusSeeOther
			}
			if diff := cmp.Diff(want, codes); diff != "" {
				t.Errorf("status of each reader's post (-want +got):\n%s", diff)
			}
		})
	}
}

// Behind a trusted proxy the block list matches the reader's address, not
// the proxy's.
func TestBlockedAddressBehindAProxy(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "", func(_ *Options, site *web.Site) { site.TrustProxy = true })
	a := ts.add(t, floodArticle())
	settings := comment.DefaultSettings()
	settings.BlockedIPs = []string{"198.51.100.0/24"}
	if err := ts.store.SaveCommentSettings(ctx, settings); err != nil {
		t.Fatal(err)
	}
	for _, test := range []struct {
		forwarded string
		want      comment.State
	}{
		{"198.51.100.9", comment.Spam},
		{"203.0.113.9", comment.Pending},
	} {
		rd := ts.reader()
		rd.header = http.Header{"X-Forwarded-For": {test.forwarded}}
		rd.post(t, a.Slug, commentFields("Reader", "Posted from "+test.forwarded+"."))
		cs, err := ts.store.Comments(ctx, store.CommentQuery{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 1 || cs[0].State != test.want {
			t.Errorf("comment from %s: %+v, want it %s", test.forwarded, cs, test.want)
		}
	}
}
