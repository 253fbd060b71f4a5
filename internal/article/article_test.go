package article

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSlugify(t *testing.T) {
	t.Parallel()
	for _, test := range []struct{ in, want string }{
		{"Pakistan’s Growing Frustration", "pakistans-growing-frustration"},
		{"“Patience Has Run Out”", "patience-has-run-out"},
		{"The TTP-Afghan Taliban Connection", "the-ttp-afghan-taliban-connection"},
		{"Crossroads — for Peace & Security", "crossroads-for-peace-and-security"},
		{"Straße in Köln: Ærø, Øresund, Łódź", "strasse-in-koln-aero-oresund-lodz"},
		{"  1. Limited Cross-Border Strikes  ", "1-limited-cross-border-strikes"},
		{"Café déjà vu", "cafe-deja-vu"},
		{"北京", "untitled"},
		{"???", "untitled"},
		{strings.Repeat("word ", 40), strings.TrimSuffix(strings.Repeat("word-", 20), "-")},
	} {
		if got := Slugify(test.in); got != test.want {
			t.Errorf("Slugify(%q) = %q, want %q", test.in, got, test.want)
		}
		if err := ValidateSlug(Slugify(test.in)); err != nil {
			t.Errorf("Slugify(%q) gave an invalid slug: %v", test.in, err)
		}
	}
}

func TestNumberedSlug(t *testing.T) {
	long := strings.Repeat("word-", 19) + "long" // 99 characters
	for _, test := range []struct {
		base string
		n    int
		want string
	}{
		{"letters-to-the-editor", 1, "letters-to-the-editor"},
		{"letters-to-the-editor", 2, "letters-to-the-editor-2"},
		{"letters-to-the-editor", 12, "letters-to-the-editor-12"},
		{long, 2, strings.Repeat("word-", 19) + "lon-2"},
		{long, 1000, strings.Repeat("word-", 19) + "1000"}, // cut at a hyphen: not doubled
	} {
		got := NumberedSlug(test.base, test.n)
		if got != test.want {
			t.Errorf("NumberedSlug(%q, %d) = %q, want %q", test.base, test.n, got, test.want)
		}
		if err := ValidateSlug(got); err != nil {
			t.Errorf("NumberedSlug(%q, %d): %v", test.base, test.n, err)
		}
	}
}

func TestValidateSlug(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"", "Upper", "two--hyphens", "-lead", "trail-", "spa ce", "ümlaut", strings.Repeat("a", 101)} {
		if ValidateSlug(bad) == nil {
			t.Errorf("ValidateSlug(%q) = nil, want an error", bad)
		}
	}
}

func TestReadingMinutes(t *testing.T) {
	t.Parallel()
	for words, want := range map[int]int{0: 1, 1: 1, 238: 1, 239: 2, 1788: 8, 2380: 10} {
		if got := ReadingMinutes(words); got != want {
			t.Errorf("ReadingMinutes(%d) = %d, want %d", words, got, want)
		}
	}
}

func TestValidateFillsAndRefuses(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a := &Article{Title: "  Port strike ends ", Body: "Text.", Tags: TagsFromNames("Ports", "ports", " ", "Labour")}
	if err := a.Validate(now); err != nil {
		t.Fatal(err)
	}
	if a.Slug != "port-strike-ends" || a.Status != Published || !a.PublishedAt.Equal(now) || len(a.Tags) != 2 {
		t.Errorf("Validate filled %+v", a)
	}
	future := &Article{Title: "Eclipse", Body: "Soon.", PublishedAt: now.Add(time.Hour)}
	if err := future.Validate(now); err != nil || future.Status != Scheduled || future.IsPublic(now) || !future.IsPublic(now.Add(2*time.Hour)) {
		t.Errorf("future article: status %q, err %v; want scheduled and public once its time comes", future.Status, err)
	}
	draft := &Article{Title: "Draft", Body: "Wip.", Status: Draft}
	if err := draft.Validate(now); err != nil || !draft.PublishedAt.IsZero() || draft.IsPublic(now) {
		t.Errorf("draft: %+v, %v", draft, err)
	}
	for _, test := range []struct {
		a    Article
		want string
	}{
		{Article{Body: "x"}, "title is empty"},
		{Article{Title: "x"}, "body is empty"},
		{Article{Title: "a\nb", Body: "x"}, "several lines"},
		{Article{Title: strings.Repeat("t", 301), Body: "x"}, "title is 301 characters"},
		{Article{Title: "x", Body: "x", Slug: "Bad Slug"}, `slug "Bad Slug"`},
		{Article{Title: "x", Body: "x", Status: "archived"}, `unknown status "archived"`},
		{Article{Title: "x", Body: "x", Author: &Author{Name: " "}}, "author has no name"},
	} {
		err := test.a.Validate(now)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), test.want) {
			t.Errorf("Validate(%+v) = %v, want ErrInvalid with %q", test.a, err, test.want)
		}
	}
}

func TestPublishedSlugIsStable(t *testing.T) {
	t.Parallel()
	now := time.Now()
	current := &Article{Slug: "old-address", Status: Published, PublishedAt: now.Add(-time.Hour)}
	next := &Article{Slug: "new-address"}
	KeepPublishedSlug(current, next, now)
	if next.Slug != "old-address" {
		t.Errorf("published article moved to %q", next.Slug)
	}
	draft := &Article{Slug: "old-address", Status: Draft}
	next = &Article{Slug: "new-address"}
	KeepPublishedSlug(draft, next, now)
	if next.Slug != "new-address" {
		t.Errorf("draft kept %q, want it free to move", next.Slug)
	}
}
