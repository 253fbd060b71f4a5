package comment

import (
	"fmt"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Length limits of the form's fields, WordPress's own, so that what
// readers could write there they can write here.
const (
	MaxAuthorLen  = 245
	MaxEmailLen   = 100
	MaxURLLen     = 200
	MaxCommentLen = 65525
)

// Form is the "Leave a Reply" form as posted, with WordPress's field names.
type Form struct {
	Comment string // comment
	Author  string // author
	Email   string // email
	URL     string // url
	Parent  string // comment_parent
}

// FieldErrors maps a field name (as in Form's tags) to what is wrong with
// it, in words for the reader.
type FieldErrors map[string]string

func (e FieldErrors) Error() string {
	var parts []string
	for _, f := range []string{"comment", "author", "email", "url", "comment_parent"} {
		if msg, ok := e[f]; ok {
			parts = append(parts, f+": "+msg)
		}
	}
	return strings.Join(parts, "; ")
}

// Validate cleans the form and checks it. It returns the comment it
// describes (without article, state or time) or the errors of each field
// at fault. Control characters and bidirectional overrides are removed
// before the checks, so they can neither hide text nor smuggle it.
func (f *Form) Validate() (*Comment, FieldErrors) {
	errs := FieldErrors{}
	for _, fv := range []struct {
		name  string
		value *string
	}{{"comment", &f.Comment}, {"author", &f.Author}, {"email", &f.Email}, {"url", &f.URL}, {"comment_parent", &f.Parent}} {
		if !utf8.ValidString(*fv.value) {
			errs[fv.name] = "contains bytes that are not text (invalid UTF-8)"
			*fv.value = strings.ToValidUTF8(*fv.value, "")
		}
		*fv.value = Clean(*fv.value, fv.name == "comment")
	}
	f.Comment = strings.TrimSpace(f.Comment)
	f.Author = strings.TrimSpace(f.Author)
	f.Email = strings.TrimSpace(f.Email)
	f.URL = strings.TrimSpace(f.URL)
	set := func(field, msg string) {
		if _, ok := errs[field]; !ok {
			errs[field] = msg
		}
	}
	switch n := utf8.RuneCountInString(f.Comment); {
	case f.Comment == "":
		set("comment", "Please type your comment.")
	case n > MaxCommentLen:
		set("comment", fmt.Sprintf("Your comment is %d characters long; the limit is %d.", n, MaxCommentLen))
	}
	switch {
	case f.Author == "":
		set("author", "Please give your name.")
	case utf8.RuneCountInString(f.Author) > MaxAuthorLen:
		set("author", fmt.Sprintf("Your name may have at most %d characters.", MaxAuthorLen))
	}
	switch {
	case f.Email == "":
		set("email", "Please give your email address (it will not be published).")
	case len(f.Email) > MaxEmailLen:
		set("email", fmt.Sprintf("Your email address may have at most %d characters.", MaxEmailLen))
	case !validEmail(f.Email):
		set("email", "This is not an email address; it should look like name@example.org.")
	}
	switch {
	case f.URL == "":
	case len(f.URL) > MaxURLLen:
		set("url", fmt.Sprintf("Your website address may have at most %d characters.", MaxURLLen))
	case !validWebsite(f.URL):
		set("url", "Your website must be an http:// or https:// address, such as https://example.org.")
	}
	var parent int64
	if f.Parent != "" && f.Parent != "0" {
		n, err := strconv.ParseInt(f.Parent, 10, 64)
		if err != nil || n < 0 {
			set("comment_parent", "The comment you reply to does not exist.")
		}
		parent = n
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return &Comment{ParentID: parent, Author: f.Author, Email: strings.ToLower(f.Email), URL: f.URL, Body: f.Comment}, nil
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && strings.Contains(domain, ".") && !strings.ContainsAny(s, " <>\"")
}

func validWebsite(s string) bool {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return false
	}
	return !strings.ContainsAny(s, " <>\"'`")
}

// Clean removes what must never reach a page: NUL and other control
// characters (keeping newlines and tabs where multiline is set) and the
// Unicode controls that reorder text (bidirectional embeddings,
// overrides and isolates) or hide it.
func Clean(s string, multiline bool) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			if multiline {
				return r
			}
			return ' '
		case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0x061C:
			return -1
		case r == 0xFEFF, r == 0x200B:
			return -1
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
}
