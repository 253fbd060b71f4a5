package cli

import (
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/linking"
	"github.com/datelinehq/dateline/internal/linking/wordvec/wordvectest"
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

// After links apply, the remaining suggestions' IDs changed, so applying
// a second one from the same list failed.
func TestLinksApplyOneAfterAnother(t *testing.T) {
	t.Parallel()
	db := linkingSite(t)
	var ss []suggestionJSON
	if err := json.Unmarshal([]byte(mustRun(t, "links", "suggest", referenceSlug, "--json", "--db", db)), &ss); err != nil {
		t.Fatal(err)
	}
	if len(ss) < 2 {
		t.Fatalf("suggestions = %+v, want two or more", ss)
	}
	for _, s := range ss {
		if out := mustRun(t, "links", "apply", referenceSlug, s.ID, "--db", db); !strings.Contains(out, "/"+s.Target.Slug+"/") {
			t.Errorf("links apply %s said %q", s.ID, out)
		}
	}
	body := show(t, db, referenceSlug).BodyMarkdown
	for _, s := range ss {
		if !strings.Contains(body, "["+s.Phrase+"](/"+s.Target.Slug+"/)") {
			t.Errorf("the body lacks the link %q to %s", s.Phrase, s.Target.Slug)
		}
	}
	if _, errOut, code := dateline(t, "links", "apply", referenceSlug, ss[0].ID, "--db", db); code != 1 || !strings.Contains(errOut, "no current suggestion "+ss[0].ID) {
		t.Errorf("applying %s twice: exit %d, %q; want 1 and no current suggestion", ss[0].ID, code, errOut)
	}
}

// The reference article's three requested links, on a site without those
// articles, vanished: links report said "0 broken internal links" and
// nothing more.
func TestLinksReportUnresolved(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "site.db")
	mustRun(t, "import", "--db", db, sharedFixture(t, "reference-article.txt"))
	out := mustRun(t, "links", "report", "--db", db)
	for _, want := range []string{
		"3 unresolved requested links",
		"  " + referenceSlug + ": 3\n",
		`    "How the TTP Resurgence Threatens Pakistan’s Counterterrorism Strategy"`,
		`    "Why the Doha Agreement Still Shapes South Asia’s Security Politics"`,
		`    "Afghanistan’s Economic Struggles and the Rise of Militant Activity"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("links report lacks %q:\n%s", want, out)
		}
	}
	// Once the articles exist, the links resolve.
	mustRun(t, "import", "--db", db, "testdata/linking")
	var rep struct {
		Unresolved []struct {
			Source string `json:"source"`
			Title  string `json:"title"`
		} `json:"unresolved"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "links", "report", "--json", "--db", db)), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Unresolved == nil || len(rep.Unresolved) != 0 {
		t.Errorf("unresolved = %+v, want an empty list", rep.Unresolved)
	}
}

func TestLinksRelatedAndErrors(t *testing.T) {
	t.Parallel()
	db := linkingSite(t)
	var all []struct {
		Slug    string `json:"slug"`
		Related []struct {
			Slug   string  `json:"slug"`
			Score  float64 `json:"score"`
			Reason string  `json:"reason"`
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
			// The editor is told why.
			if !strings.HasPrefix(r.Reason, "shares ") {
				t.Errorf("%s is related to %s with the reason %q, want the words they share", a.Slug, r.Slug, r.Reason)
			}
		}
		// The economy article shares little with it but common words
		// (a cosine of 0.02): below the default floor.
		if a.Slug == referenceSlug && (len(a.Related) != 2 || !strings.HasPrefix(a.Related[0].Slug, "how-the-ttp") || !strings.HasPrefix(a.Related[1].Slug, "why-the-doha")) {
			t.Errorf("the reference article has related articles %+v, want the TTP and Doha articles", a.Related)
		}
	}
	if out := mustRun(t, "links", "related", referenceSlug, "--related-floor", "0", "--db", db); strings.Count(out, "\n  ") != 3 {
		t.Errorf("links related --related-floor 0: want the 3 others:\n%s", out)
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
		{[]string{"links", "related", "--related-floor", "2"}, 2, "--related-floor / DATELINE_RELATED_FLOOR: 2 is not a cosine from 0 to 1"},
	} {
		_, errOut, code := dateline(t, append(test.args, "--db", db)...)
		if code != test.code || !strings.Contains(errOut, test.want) {
			t.Errorf("dateline %s: exit %d, %q; want %d and %q", strings.Join(test.args, " "), code, errOut, test.code, test.want)
		}
	}
}

// The reference article imported into the demo newsroom had five
// unrelated local stories as its related articles (one for sharing the
// word "agreement"): the demo has nothing on its subject, so its page
// shows none, while the demo's own stories keep their real relations.
func TestDemoRelatedFloor(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "site.db")
	_, stop := startServe(t, "--db", db, "--demo")
	if code := stop(); code != 0 {
		t.Fatalf("serve --demo exited %d", code)
	}
	mustRun(t, "import", "--db", db, sharedFixture(t, "reference-article.txt"))
	base, _ := startServe(t, "--db", db)
	resp, err := http.Get(base + "/" + referenceSlug + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET the reference article: %d", resp.StatusCode)
	}
	if i := strings.Index(string(page), `aria-labelledby="related-heading"`); i >= 0 {
		t.Errorf("the reference article's page shows related articles from the demo:\n%s", page[i:min(len(page), i+2000)])
	}

	var related []struct {
		Slug    string `json:"slug"`
		Related []struct {
			Slug   string  `json:"slug"`
			Score  float64 `json:"score"`
			Cosine float64 `json:"cosine"`
		} `json:"related"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "links", "related", "--json", "--db", db)), &related); err != nil {
		t.Fatal(err)
	}
	withRelated := 0
	for _, a := range related {
		switch {
		case a.Slug == referenceSlug && len(a.Related) > 0:
			t.Errorf("links related: the reference article has %+v, want none", a.Related)
		case len(a.Related) > 0:
			withRelated++
		}
		for _, r := range a.Related {
			if r.Slug == referenceSlug {
				t.Errorf("links related: %s has the reference article", a.Slug)
			}
			if r.Score < 0 || r.Score > 1 || r.Cosine < linking.DefaultRelatedFloor {
				t.Errorf("links related: %s has %s with score %v and cosine %v", a.Slug, r.Slug, r.Score, r.Cosine)
			}
		}
	}
	if withRelated < len(related)/2 {
		t.Errorf("links related: only %d of the %d demo articles have related articles above the floor", withRelated, len(related))
	}
	// With no floor, the unrelated stories come back: the floor is what
	// keeps them out.
	out := mustRun(t, "links", "related", referenceSlug, "--related-floor", "0", "--db", db)
	if !strings.Contains(out, "skerra-link") {
		t.Errorf("links related --related-floor 0 on the reference article:\n%s", out)
	}
}

// Issue 16: "links train" trains on a site large enough, and says why it
// does not on one that is not, storing nothing.
func TestLinksTrainRefusesASmallArchive(t *testing.T) {
	wordvectest.English(t) // without them, training is refused for that first
	t.Parallel()
	db := linkingSite(t)
	out, errOut, code := dateline(t, "links", "train", "--db", db)
	if code != 1 || out != "" || !strings.Contains(errOut, "the site has 4 public stories; training needs 1000") {
		t.Errorf("links train on 4 stories: exit %d, stdout %q, stderr %q; want a refusal naming both counts", code, out, errOut)
	}
	if _, errOut, code := dateline(t, "links", "train", "extra", "--db", db); code != 2 || !strings.Contains(errOut, "no arguments") {
		t.Errorf("links train with an argument: exit %d, %q", code, errOut)
	}
}
