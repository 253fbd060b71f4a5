package comment

import (
	"errors"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestFormValidate(t *testing.T) {
	t.Parallel()
	good := Form{Comment: " Fine\u202e text\x00 ", Author: " Ana\u2066 ", Email: "Ana@Example.org", URL: "https://ana.example/", Parent: "12"}
	c, errs := good.Validate()
	if errs != nil {
		t.Fatal(errs)
	}
	want := &Comment{ParentID: 12, Author: "Ana", Email: "ana@example.org", URL: "https://ana.example/", Body: "Fine text"}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("Validate (-want +got):\n%s", diff)
	}
	for _, test := range []struct {
		form  Form
		field string
	}{
		{Form{Author: "A", Email: "a@b.org"}, "comment"},
		{Form{Comment: "x", Email: "a@b.org"}, "author"},
		{Form{Comment: "x", Author: "A"}, "email"},
		{Form{Comment: "x", Author: "A", Email: "Ana <a@b.org>"}, "email"},
		{Form{Comment: "x", Author: "A", Email: "a@localhost"}, "email"},
		{Form{Comment: "x", Author: "A", Email: "a@b.org", URL: "javascript:alert(1)"}, "url"},
		{Form{Comment: "x", Author: "A", Email: "a@b.org", URL: "//evil.example"}, "url"},
		{Form{Comment: "x", Author: "A", Email: "a@b.org", URL: "https://x.example/\"onmouseover=x"}, "url"},
		{Form{Comment: strings.Repeat("é", MaxCommentLen+1), Author: "A", Email: "a@b.org"}, "comment"},
		{Form{Comment: "x", Author: strings.Repeat("a", MaxAuthorLen+1), Email: "a@b.org"}, "author"},
		{Form{Comment: "x", Author: "A", Email: "a@b.org", Parent: "-1"}, "comment_parent"},
		{Form{Comment: "x\xff", Author: "A", Email: "a@b.org"}, "comment"},
	} {
		if _, errs := test.form.Validate(); errs[test.field] == "" {
			t.Errorf("Validate(%+v): no error on %s (%v)", test.form, test.field, errs)
		}
	}
}

func TestDecide(t *testing.T) {
	t.Parallel()
	s := DefaultSettings()
	s.BlockedWords = []string{"Casino"}
	s.BlockedEmails = []string{"bad@spam.example", "@junk.example"}
	s.BlockedIPs = []string{"203.0.113.0/24", "2001:db8::1"}
	plain := func() *Comment { return &Comment{Author: "Ana", Email: "ana@example.org", Body: "Good point."} }
	for _, test := range []struct {
		name  string
		edit  func(*Comment, *Facts, *Settings)
		state State
	}{
		{"first-time commenter is held", func(*Comment, *Facts, *Settings) {}, Pending},
		{"known commenter is approved", func(_ *Comment, f *Facts, _ *Settings) { f.KnownCommenter = true }, Approved},
		{"hold all", func(_ *Comment, f *Facts, s *Settings) { f.KnownCommenter, s.HoldAll = true, true }, Pending},
		{"no auto-approval rule", func(_ *Comment, _ *Facts, s *Settings) { s.AutoApproveKnown = false }, Approved},
		{"too many links", func(c *Comment, f *Facts, _ *Settings) {
			f.KnownCommenter = true
			c.Body = "https://a.example https://b.example https://c.example"
		}, Pending},
		{"blocked word anywhere", func(c *Comment, f *Facts, _ *Settings) { f.KnownCommenter, c.URL = true, "https://casino.example" }, Spam},
		{"blocked email", func(c *Comment, _ *Facts, _ *Settings) { c.Email = "bad@spam.example" }, Spam},
		{"blocked domain", func(c *Comment, _ *Facts, _ *Settings) { c.Email = "x@junk.example" }, Spam},
		{"blocked range", func(_ *Comment, f *Facts, _ *Settings) { f.IP = netip.MustParseAddr("203.0.113.9") }, Spam},
		{"blocked v6 address", func(_ *Comment, f *Facts, _ *Settings) { f.IP = netip.MustParseAddr("2001:db8::1") }, Spam},
		{"spam score", func(_ *Comment, f *Facts, _ *Settings) { f.KnownCommenter, f.Scored, f.SpamScore = true, true, 0.995 }, Spam},
		{"doubtful score", func(_ *Comment, f *Facts, _ *Settings) { f.KnownCommenter, f.Scored, f.SpamScore = true, true, 0.9 }, Pending},
		{"untrained score says nothing", func(_ *Comment, f *Facts, _ *Settings) { f.KnownCommenter, f.SpamScore = true, 0.999 }, Approved},
	} {
		c, f, settings := plain(), Facts{}, s
		test.edit(c, &f, &settings)
		if got, reason := settings.Decide(c, f); got != test.state {
			t.Errorf("%s: %s (%s), want %s", test.name, got, reason, test.state)
		}
	}
	if err := (Settings{MaxLinks: 1, MaxFormHours: 1, PerIPPerMinute: 1, PerArticlePerMinute: 1, BlockedIPs: []string{"nope"}}).Validate(); err == nil {
		t.Error("a bad IP range passed validation")
	}
}

func TestClosedFor(t *testing.T) {
	t.Parallel()
	published := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := Settings{CloseAfterDays: 14}
	if s.ClosedFor(published, published.Add(13*24*time.Hour)) || !s.ClosedFor(published, published.Add(15*24*time.Hour)) {
		t.Error("comments should close 14 days after publishing")
	}
	if (Settings{}).ClosedFor(published, published.Add(10000*time.Hour)) {
		t.Error("with no limit comments never close")
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	secret := []byte("0123456789abcdef0123456789abcdef")
	issued := time.Unix(1_800_000_000, 0)
	signer := NewSigner(secret)
	tok := signer.NewToken(42, issued)
	if tok == signer.NewToken(42, issued) {
		t.Error("two forms got the same token")
	}
	for _, test := range []struct {
		name    string
		token   string
		article int64
		at      time.Time
		want    error
	}{
		{"fine", tok, 42, issued.Add(10 * time.Second), nil},
		{"too fast", tok, 42, issued.Add(time.Second), ErrTooFast},
		{"expired", tok, 42, issued.Add(25 * time.Hour), ErrTokenExpired},
		{"other article", tok, 43, issued.Add(10 * time.Second), ErrTokenInvalid},
		{"other secret", NewSigner([]byte("another secret of thirty-two byt")).NewToken(42, issued), 42, issued.Add(10 * time.Second), ErrTokenInvalid},
		{"tampered", tampered(tok), 42, issued.Add(10 * time.Second), ErrTokenInvalid},
		{"garbage", "not-a-token", 42, issued, ErrTokenInvalid},
	} {
		nonce, err := signer.VerifyToken(test.token, test.article, test.at, 3*time.Second, 24*time.Hour)
		if !errors.Is(err, test.want) || (err == nil && len(nonce) != 32) {
			t.Errorf("%s: nonce %q, err %v; want %v", test.name, nonce, err, test.want)
		}
	}
	key := NewCommenterKey()
	if got, ok := signer.VerifyCookie(signer.SignCookie(key)); !ok || got != key {
		t.Error("a signed cookie did not verify")
	}
	if _, ok := signer.VerifyCookie(key + ".forged"); ok {
		t.Error("a forged cookie verified")
	}
}

// The signer's pooled HMAC states are shared by every request: tokens
// made and checked at once must each verify, and only for their article.
func TestTokensConcurrently(t *testing.T) {
	t.Parallel()
	signer := NewSigner([]byte("0123456789abcdef0123456789abcdef"))
	issued := time.Unix(1_800_000_000, 0)
	var wg sync.WaitGroup
	for id := range int64(8) {
		wg.Go(func() {
			for range 200 {
				tok := signer.NewToken(id, issued)
				if _, err := signer.VerifyToken(tok, id, issued.Add(time.Minute), time.Second, time.Hour); err != nil {
					t.Errorf("article %d: %v", id, err)
					return
				}
				if _, err := signer.VerifyToken(tok, id+100, issued.Add(time.Minute), time.Second, time.Hour); err == nil {
					t.Errorf("article %d: token verified for another article", id)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestThread(t *testing.T) {
	t.Parallel()
	at := func(m int) time.Time { return time.Date(2026, 1, 1, 0, m, 0, 0, time.UTC) }
	cs := []*Comment{
		{ID: 5, ParentID: 4, CreatedAt: at(5)}, {ID: 1, CreatedAt: at(1)}, {ID: 2, ParentID: 1, CreatedAt: at(2)},
		{ID: 3, ParentID: 2, CreatedAt: at(3)}, {ID: 4, ParentID: 3, CreatedAt: at(4)}, {ID: 6, ParentID: 5, CreatedAt: at(6)},
		{ID: 7, ParentID: 99, CreatedAt: at(0)}, {ID: 8, CreatedAt: at(8)},
	}
	var describe func(ns []*Node) string
	describe = func(ns []*Node) string {
		var parts []string
		for _, n := range ns {
			s := string(rune('0'+n.ID)) + "@" + string(rune('0'+n.Depth))
			if len(n.Replies) > 0 {
				s += "(" + describe(n.Replies) + ")"
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, " ")
	}
	// Oldest first; an orphan at the top; depth stops at MaxDepth.
	if got, want := describe(Thread(cs)), "7@1 1@1(2@2(3@3(4@4(5@5 6@5)))) 8@1"; got != want {
		t.Errorf("Thread = %s, want %s", got, want)
	}
}

func TestHTML(t *testing.T) {
	t.Parallel()
	got := string(HTML("<b>Hi</b> & see https://example.org/a?b=1&c=2.\nLine two\n\n\nSecond paragraph javascript:alert(1)"))
	want := `<p>&lt;b&gt;Hi&lt;/b&gt; &amp; see <a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener">https://example.org/a?b=1&amp;c=2</a>.<br>
Line two</p>
<p>Second paragraph javascript:alert(1)</p>
`
	if got != want {
		t.Errorf("HTML =\n%s\nwant\n%s", got, want)
	}
	if n := CountLinks("http://a.example and https://b.example/x, ftp://c.example"); n != 2 {
		t.Errorf("CountLinks = %d, want 2", n)
	}
}

func TestSpamScore(t *testing.T) {
	t.Parallel()
	c := &Comment{Email: "x@junk.example", Body: "Cheap pills at https://pills.example today", URL: "https://shop.example"}
	got := Tokens(c)
	for _, want := range []string{"host:pills.example", "host:shop.example", "email:junk.example", "cheap", "pills", "today"} {
		if !strings.Contains(" "+strings.Join(got, " ")+" ", " "+want+" ") {
			t.Errorf("Tokens = %v, missing %s", got, want)
		}
	}
	m := Model{HamDocs: 20, SpamDocs: 20, Tokens: map[string]TokenCounts{"cheap": {Spam: 18, Ham: 1}, "pills": {Spam: 15}, "council": {Ham: 15}}}
	if p, ok := m.Score([]string{"cheap", "pills"}); !ok || p < 0.99 {
		t.Errorf("spammy score = %v, %v", p, ok)
	}
	if p, _ := m.Score([]string{"council"}); p > 0.2 {
		t.Errorf("hammy score = %v", p)
	}
	if _, ok := (Model{HamDocs: 3, SpamDocs: 50}).Score([]string{"x"}); ok {
		t.Error("an untrained model gave a score")
	}
}

// tampered changes the first byte of the token's signed part.
func tampered(tok string) string {
	b := []byte(tok)
	if b[0] == 'B' {
		b[0] = 'C'
	} else {
		b[0] = 'B'
	}
	return string(b)
}
