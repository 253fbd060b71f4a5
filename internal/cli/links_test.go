package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// linkingSite imports the reference article beside the three articles we
// wrote on subjects it names.
func linkingSite(t *testing.T) string {
	t.Helper()
	db := "sqlite:" + filepath.Join(t.TempDir(), "site.db")
	mustRun(t, "import", "--db", db, sharedFixture(t, "reference-article.txt"), "testdata/linking")
	return db
}

type suggestionJSON struct {
	ID        string `json:"id"`
	Source    string `json:"source"`
	Phrase    string `json:"phrase"`
	Paragraph int    `json:"paragraph"`
	Target    struct {
		Slug  string `json:"slug"`
		Title string `json:"title"`
	} `json:"target"`
	Reason string `json:"reason"`
}

// Issue 6: the "done when" walk.
func TestLinksOnTheReferenceArticle(t *testing.T) {
	t.Parallel()
	db := linkingSite(t)
	var ss []suggestionJSON
	if err := json.Unmarshal([]byte(mustRun(t, "links", "suggest", referenceSlug, "--json", "--db", db)), &ss); err != nil {
		t.Fatal(err)
	}
	targets := map[string]suggestionJSON{}
	paragraphs := map[int]bool{}
	for _, s := range ss {
		if s.Target.Slug == referenceSlug {
			t.Errorf("a suggestion links the article to itself: %+v", s)
		}
		if _, dup := targets[s.Target.Slug]; dup {
			t.Errorf("two suggestions for %s", s.Target.Slug)
		}
		if paragraphs[s.Paragraph] {
			t.Errorf("two suggestions in paragraph %d", s.Paragraph)
		}
		targets[s.Target.Slug], paragraphs[s.Paragraph] = s, true
	}
	for slug, anchors := range map[string][]string{
		"why-the-doha-agreement-still-shapes-south-asias-security-politics":    {"Doha Agreement", "Doha"},
		"how-the-ttp-resurgence-threatens-pakistans-counterterrorism-strategy": {"TTP", "Tehrik-e-Taliban Pakistan", "counterterrorism"},
		"afghanistans-economic-struggles-and-the-rise-of-militant-activity":    {"war economy", "economy", "militant activities", "militant"},
	} {
		s, ok := targets[slug]
		if !ok {
			t.Errorf("no suggestion links to %s; got %+v", slug, ss)
			continue
		}
		fits := false
		for _, a := range anchors {
			fits = fits || strings.Contains(strings.ToLower(s.Phrase), strings.ToLower(a))
		}
		if !fits {
			t.Errorf("the link to %s is anchored on %q, want one of %q", slug, s.Phrase, anchors)
		}
	}

	// Applying them makes real links, as a revision that can be undone.
	args := []string{"links", "apply", referenceSlug}
	for _, s := range ss {
		args = append(args, s.ID)
	}
	out := mustRun(t, append(args, "--db", db)...)
	if !strings.Contains(out, "undo with: dateline article restore "+referenceSlug+" 1") {
		t.Errorf("apply said %q", out)
	}
	body := show(t, db, referenceSlug).BodyMarkdown
	for _, s := range ss {
		if !strings.Contains(body, "["+s.Phrase+"](/"+s.Target.Slug+"/)") {
			t.Errorf("the body lacks the link %q to %s", s.Phrase, s.Target.Slug)
		}
	}
	// The applied links are no longer suggested, and show in the report.
	if out := mustRun(t, "links", "suggest", referenceSlug, "--json", "--db", db); strings.Contains(out, `"why-the-doha-agreement`) {
		t.Errorf("a link already made is suggested again:\n%s", out)
	}
	var rep struct {
		Articles []struct {
			Slug     string   `json:"slug"`
			Inbound  []string `json:"inbound"`
			Outbound []string `json:"outbound"`
		} `json:"articles"`
		Orphans []string `json:"orphans"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "links", "report", "--json", "--db", db)), &rep); err != nil {
		t.Fatal(err)
	}
	for _, a := range rep.Articles {
		if a.Slug == referenceSlug && len(a.Outbound) != len(ss) {
			t.Errorf("report: the reference article has %d outbound links, want %d", len(a.Outbound), len(ss))
		}
	}
	if len(rep.Orphans) != 1 || rep.Orphans[0] != referenceSlug {
		t.Errorf("orphans = %v, want only the reference article (nothing links to it)", rep.Orphans)
	}
	mustRun(t, "article", "restore", referenceSlug, "1", "--db", db)
	if body := show(t, db, referenceSlug).BodyMarkdown; strings.Contains(body, "](/") {
		t.Error("restore did not undo the applied links")
	}
	// Inbound: which articles should link to the reference article.
	var in []suggestionJSON
	if err := json.Unmarshal([]byte(mustRun(t, "links", "suggest", referenceSlug, "--inbound", "--json", "--db", db)), &in); err != nil {
		t.Fatal(err)
	}
	for _, s := range in {
		if s.Target.Slug != referenceSlug || s.Source == referenceSlug {
			t.Errorf("inbound suggestion %+v", s)
		}
	}
	if len(in) == 0 {
		t.Error("no article is suggested to link to the reference article")
	}
}

func TestLinksRelatedAndErrors(t *testing.T) {
	t.Parallel()
	db := linkingSite(t)
	var all []struct {
		Slug    string `json:"slug"`
		Related []struct {
			Slug  string  `json:"slug"`
			Score float64 `json:"score"`
		} `json:"related"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "links", "related", "--json", "--db", db)), &all); err != nil {
		t.Fatal(err)
	}
	if len(all) != 4 {
		t.Fatalf("related for %d articles, want all 4", len(all))
	}
	for _, a := range all {
		for _, r := range a.Related {
			if r.Slug == a.Slug {
				t.Errorf("%s is related to itself", a.Slug)
			}
		}
		if a.Slug == referenceSlug && len(a.Related) != 3 {
			t.Errorf("the reference article has %d related articles, want the 3 others", len(a.Related))
		}
	}
	for _, test := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"links", "suggest", "nope"}, 1, `article "nope" not found`},
		{[]string{"links", "apply", referenceSlug, "deadbeef"}, 1, "no current suggestion deadbeef"},
		{[]string{"links", "apply", referenceSlug}, 2, "at least one suggestion ID"},
		{[]string{"links", "related", "a", "b"}, 2, "at most one article"},
	} {
		_, errOut, code := dateline(t, append(test.args, "--db", db)...)
		if code != test.code || !strings.Contains(errOut, test.want) {
			t.Errorf("dateline %s: exit %d, %q; want %d and %q", strings.Join(test.args, " "), code, errOut, test.code, test.want)
		}
	}
}
