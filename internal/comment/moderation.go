package comment

import (
	"fmt"
	"net/netip"
	"strings"
	"time"
	"unicode/utf8"
)

// Settings are the site's comment policy.
type Settings struct {
	// HoldAll holds every comment for a moderator.
	HoldAll bool `json:"hold_all"`
	// AutoApproveKnown approves at once a commenter (same name and email)
	// who already has an approved comment; others are held.
	AutoApproveKnown bool `json:"auto_approve_known"`
	// MaxLinks holds a comment with more links than this.
	MaxLinks int `json:"max_links"`
	// BlockedWords, BlockedEmails and BlockedIPs mark a matching comment
	// as spam. Words match anywhere in the name, email, website or text,
	// ignoring case; emails match whole addresses or, written "@domain",
	// a whole domain; IPs are addresses or CIDR ranges.
	BlockedWords  []string `json:"blocked_words"`
	BlockedEmails []string `json:"blocked_emails"`
	BlockedIPs    []string `json:"blocked_ips"`
	// CloseAfterDays closes comments on articles older than this many
	// days; 0 keeps them open.
	CloseAfterDays int `json:"close_after_days"`
	// MinFormSeconds and MaxFormHours bound the time between serving the
	// form and posting it: a person needs a few seconds to write, and an
	// old form has likely been harvested by a bot.
	MinFormSeconds int `json:"min_form_seconds"`
	MaxFormHours   int `json:"max_form_hours"`
	// PerIPPerMinute and PerArticlePerMinute cap how fast comments are
	// accepted from one address and on one article.
	PerIPPerMinute      int `json:"per_ip_per_minute"`
	PerArticlePerMinute int `json:"per_article_per_minute"`
}

// DefaultSettings are the policy of a new site.
func DefaultSettings() Settings {
	return Settings{
		AutoApproveKnown:    true,
		MaxLinks:            2,
		MinFormSeconds:      3,
		MaxFormHours:        24,
		PerIPPerMinute:      5,
		PerArticlePerMinute: 60,
	}
}

// SettingError is a comment setting the site does not accept. Setting is
// its name ("max_form_hours", as in JSON and the admin's form); Msg says
// what is wrong without naming it ("must be a whole number from 1 to
// 8760, not 100000"), so that a form shows it beside the field and the
// command line after the name.
type SettingError struct {
	Setting string
	Msg     string
}

func (e *SettingError) Error() string { return e.Setting + " " + e.Msg }

// MaxListLines bounds each list of blocked words, emails and addresses.
const MaxListLines = 5000

// numberRanges are the bounds of the numeric settings: wide enough for any
// site, narrow enough that a typo cannot stop the form from working (a
// form valid for 100,000 hours is no defence).
var numberRanges = []struct {
	setting string
	lo, hi  int
	value   func(Settings) int
}{
	{"max_links", 0, 1000, func(s Settings) int { return s.MaxLinks }},
	{"close_after_days", 0, 100000, func(s Settings) int { return s.CloseAfterDays }},
	{"min_form_seconds", 0, 3600, func(s Settings) int { return s.MinFormSeconds }},
	{"max_form_hours", 1, 24 * 365, func(s Settings) int { return s.MaxFormHours }},
	{"per_ip_per_minute", 1, 10000, func(s Settings) int { return s.PerIPPerMinute }},
	{"per_article_per_minute", 1, 100000, func(s Settings) int { return s.PerArticlePerMinute }},
}

// Problems lists every setting the site does not accept, in the order of
// the form; nil when all are right.
func (s Settings) Problems() []*SettingError {
	var errs []*SettingError
	for _, r := range numberRanges {
		if v := r.value(s); v < r.lo || v > r.hi {
			errs = append(errs, &SettingError{r.setting, fmt.Sprintf("must be a whole number from %d to %d, not %d", r.lo, r.hi, v)})
		}
	}
	for _, l := range []struct {
		setting string
		items   []string
	}{{"blocked_words", s.BlockedWords}, {"blocked_emails", s.BlockedEmails}, {"blocked_ips", s.BlockedIPs}} {
		if len(l.items) > MaxListLines {
			errs = append(errs, &SettingError{l.setting, fmt.Sprintf("must have at most %d entries, not %d", MaxListLines, len(l.items))})
			continue
		}
		for _, item := range l.items {
			if !utf8.ValidString(item) {
				errs = append(errs, &SettingError{l.setting, "contains bytes that are not text (invalid UTF-8)"})
				break
			}
		}
	}
	for _, ip := range s.BlockedIPs {
		if _, err := parsePrefix(ip); err != nil {
			errs = append(errs, &SettingError{"blocked_ips", fmt.Sprintf("%q is not an IP address or range (such as 192.0.2.7 or 198.51.100.0/24)", ip)})
			break
		}
	}
	return errs
}

// Validate returns the first of Problems as an error (a *SettingError),
// or nil.
func (s Settings) Validate() error {
	if errs := s.Problems(); len(errs) > 0 {
		return errs[0]
	}
	return nil
}

func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		return netip.ParsePrefix(s)
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// ClosedFor reports whether comments on an article published at
// published are closed at time now by the site's policy.
func (s Settings) ClosedFor(published, now time.Time) bool {
	return s.CloseAfterDays > 0 && now.Sub(published) > time.Duration(s.CloseAfterDays)*24*time.Hour
}

// Facts are what moderation knows about a new comment besides its text.
type Facts struct {
	IP netip.Addr
	// KnownCommenter: the same name and email have an approved comment.
	KnownCommenter bool
	// SpamScore is the classifier's probability that the comment is
	// spam, and Scored whether it has learned enough to say.
	SpamScore float64
	Scored    bool
}

// Spam scores at or above these mark a comment as spam or hold it.
const (
	SpamThreshold = 0.99
	HoldThreshold = 0.80
)

// Decide gives a new comment its state under the settings, with the
// reason for moderators.
func (s Settings) Decide(c *Comment, f Facts) (State, string) {
	if word := s.blockedWord(c); word != "" {
		return Spam, fmt.Sprintf("blocked word %q", word)
	}
	if s.emailBlocked(c.Email) {
		return Spam, "blocked email"
	}
	if f.IP.IsValid() {
		for _, ip := range s.BlockedIPs {
			if p, err := parsePrefix(ip); err == nil && p.Contains(f.IP) {
				return Spam, "blocked IP range " + ip
			}
		}
	}
	if f.Scored && f.SpamScore >= SpamThreshold {
		return Spam, fmt.Sprintf("spam score %.2f", f.SpamScore)
	}
	if n := CountLinks(c.Body) + boolInt(c.URL != "" && strings.Contains(c.Body, c.URL)); n > s.MaxLinks {
		return Pending, fmt.Sprintf("held: %d links, more than %d", n, s.MaxLinks)
	}
	if f.Scored && f.SpamScore >= HoldThreshold {
		return Pending, fmt.Sprintf("held: spam score %.2f", f.SpamScore)
	}
	if s.HoldAll {
		return Pending, "held: every comment is moderated"
	}
	if s.AutoApproveKnown && !f.KnownCommenter {
		return Pending, "held: first comment of this commenter"
	}
	return Approved, ""
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (s Settings) blockedWord(c *Comment) string {
	hay := strings.ToLower(strings.Join([]string{c.Author, c.Email, c.URL, c.Body}, "\n"))
	for _, w := range s.BlockedWords {
		if w = strings.ToLower(strings.TrimSpace(w)); w != "" && strings.Contains(hay, w) {
			return w
		}
	}
	return ""
}

func (s Settings) emailBlocked(email string) bool {
	email = strings.ToLower(email)
	for _, b := range s.BlockedEmails {
		b = strings.ToLower(strings.TrimSpace(b))
		if b == "" {
			continue
		}
		if b == email || strings.HasPrefix(b, "@") && strings.HasSuffix(email, b) {
			return true
		}
	}
	return false
}
