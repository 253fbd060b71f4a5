package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/gob"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/linking"
	"github.com/datelinehq/dateline/internal/linking/wordvec"
	"github.com/datelinehq/dateline/internal/render"
)

// TestLinkImage checks that an export after an edit of an article's text
// reads the linking index from the image the last build kept and indexes
// again the edited article alone, with the answers of that image and that
// edit; and that an image that does not hold (damaged, of other
// settings, of other articles) is not read.
func TestLinkImage(t *testing.T) {
	ctx := context.Background()
	s, save := storySite(t)
	dredging := save("harbour-dredging", "Harbour Dredging Starts Again", "The harbour dredging resumed on Monday. Dredging barges work the harbour channel at night.")
	save("harbour-fees", "Harbour Fees Rise for Barges", "Barges pay higher harbour fees from spring. The harbour board says dredging costs rose.")
	save("harbour-silt", "Silt Fills the Harbour", "Silt from the river fills the harbour faster than dredging removes it.")
	frost := save("orchard-frost", "Frost Hits the Orchards", "A late frost damaged apple blossom in the orchards. Growers lit fires between the rows.")
	save("orchard-blossom", "Orchards Count the Blossom Lost", "Apple growers count the blossom the frost took from the orchards.")
	// Enough stories that one edited leaves the index short of stale (see
	// liveIndex.rebuildShare).
	save("ferry-timetable", "Ferry Timetable Changes in May", "The island ferry sails an hour earlier from May. Commuters asked for the change.")
	save("library-hours", "Library Opens on Sundays", "The town library opens on Sunday afternoons from next month.")
	save("council-budget", "Council Agrees the Budget", "Councillors agreed the budget after a long debate over road repairs.")
	save("school-roof", "School Roof Repaired at Last", "The primary school's leaking roof was repaired over the holidays.")
	// The newest story (the same time, the highest ID).
	market := save("market-stalls", "Market Stalls Return to the Square", "Weekly market stalls return to the square after the paving works.")
	const stories = 10

	dir := t.TempDir()
	memo, image := filepath.Join(dir, linkMemoFile), filepath.Join(dir, linkImageFile)
	export := func(fingerprint string, ids ...int64) linkRun {
		t.Helper()
		return runExportLinks(t, s, memo, fingerprint, ids...)
	}
	memoImage := func() string {
		t.Helper()
		m := readLinkMemo(memo)
		if m == nil {
			t.Fatal("no memo kept")
		}
		return m.Image
	}

	first := export("settings-1", dredging.ID)
	kept := imageID(image)
	if !first.built || first.bodies != stories || kept == "" {
		t.Fatalf("a first export: built %v, %d articles read whole, image %q; want all %d read and an image kept", first.built, first.bodies, kept, stories)
	}
	if memoImage() != kept {
		t.Errorf("the memo names image %q; want the one kept, %q", memoImage(), kept)
	}

	// The text of one story changed: the index is the image's with that
	// story indexed again, and the story is the only one read whole (once
	// to see that its text changed, once to index it).
	frost.Body = "The harbour dredging contract went to a new firm. Its barges arrive in the harbour next week."
	if err := s.UpdateArticle(ctx, frost, "rewrite"); err != nil {
		t.Fatal(err)
	}
	// What the image with that edit answers, read by hand.
	want := func(ids ...int64) map[int64][]linking.Match {
		t.Helper()
		f, err := os.Open(image)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		r := bufio.NewReader(f)
		dec := gob.NewDecoder(r)
		var indexed []imageArticle
		if _, err := readImageHeader(dec); err != nil {
			t.Fatal(err)
		}
		if err := dec.Decode(&indexed); err != nil {
			t.Fatal(err)
		}
		ix, err := linking.ReadImage(r, wordvec.ForSite("en", nil))
		if err != nil {
			t.Fatal(err)
		}
		a, err := s.ArticleByID(ctx, frost.ID)
		if err != nil {
			t.Fatal(err)
		}
		ix.Upsert(linking.DocFromArticle(render.New(), a))
		out := map[int64][]linking.Match{}
		for _, id := range ids {
			out[id] = ix.Related(id, 5, 0)
		}
		return out
	}(dredging.ID, frost.ID)
	edited := export("settings-1", dredging.ID, frost.ID)
	if edited.reused || !edited.built || edited.bodies != 2 || !strings.Contains(edited.logged, "read from its image") {
		t.Errorf("after a text edit: reused %v, built %v, %d articles read whole; want the index read from the image, the edited article alone read; logged:\n%s", edited.reused, edited.built, edited.bodies, edited.logged)
	}
	for id, w := range want {
		if !sameMatches(edited.related[id], w) || len(w) == 0 {
			t.Errorf("after a text edit, related to %d = %v; want the image's with the edit, %v", id, edited.related[id], w)
		}
	}
	if imageID(image) != kept || memoImage() != kept {
		t.Errorf("after a text edit, image %q and memo naming %q; want the image kept, %q, and named", imageID(image), memoImage(), kept)
	}

	// Nothing changed since: the memo holds, nothing is read.
	if again := export("settings-1", dredging.ID, frost.ID); !again.reused || again.built || again.bodies != 0 {
		t.Errorf("an export with nothing changed: reused %v, built %v, %d articles read whole; want the memo alone", again.reused, again.built, again.bodies)
	}

	// A page the memo has no answer for has the index read from the
	// image again, with the edit, not built.
	// (The newest story is not warmed after a read.)
	unseen := export("settings-1", market.ID)
	if !unseen.reused || !unseen.built || unseen.bodies != 1 || !strings.Contains(unseen.logged, "read from its image") {
		t.Errorf("a page without an answer: reused %v, built %v, %d articles read whole; want the memo, and the index read from the image with the edited article; logged:\n%s", unseen.reused, unseen.built, unseen.bodies, unseen.logged)
	}

	// Another image in its place: the memo's answers came from the other.
	b, err := os.ReadFile(image)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(image, bytes.Replace(b, []byte(kept), []byte(strings.Repeat("0", len(kept))), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := export("settings-1", dredging.ID); r.reused || !r.built || r.bodies != 1 {
		t.Errorf("another image than the memo's: reused %v, built %v, %d articles read whole; want the index read from it", r.reused, r.built, r.bodies)
	}

	// A damaged image is said in the log, and the index built from the
	// store and kept as a new image.
	if err := os.WriteFile(image, b[:len(b)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	frost.Title = "Frost and Dredging"
	if err := s.UpdateArticle(ctx, frost, "retitle"); err != nil {
		t.Fatal(err)
	}
	damaged := export("settings-1", dredging.ID)
	if !damaged.built || damaged.bodies != stories+1 || !strings.Contains(damaged.logged, "damaged") {
		t.Errorf("a damaged image: built %v, %d articles read whole; want all %d read (and the edited one checked); logged:\n%s", damaged.built, damaged.bodies, stories, damaged.logged)
	}
	rebuilt := imageID(image)
	if rebuilt == "" || rebuilt == kept || memoImage() != rebuilt {
		t.Errorf("after a damaged image: image %q, memo naming %q; want a new image, named", rebuilt, memoImage())
	}

	// Other settings: the image is of the old ones, and not read.
	other := export("settings-2", dredging.ID)
	if !other.built || other.bodies != stories || strings.Contains(other.logged, "read from its image") {
		t.Errorf("other settings: built %v, %d articles read whole; want the index built from all %d; logged:\n%s", other.built, other.bodies, stories, other.logged)
	}
	if id := imageID(image); id == "" || id == rebuilt {
		t.Errorf("other settings kept image %q; want a new one", id)
	}

	// An image of the earlier format (its header a line of JSON): the
	// index is built and kept as a new image, with no warning.
	if err := os.WriteFile(image, []byte(`{"format":1,"id":"`+kept+`","key":"x","articles":[]}`+"\n"+string(b[len(b)/2:])), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := export("settings-2", dredging.ID); !r.built || r.bodies != stories || strings.Contains(r.logged, "building the index") {
		t.Errorf("an image of the earlier format: built %v, %d articles read whole; want the index built from all %d, without a warning; logged:\n%s", r.built, r.bodies, stories, r.logged)
	}
	if id := imageID(image); id == "" || id == kept {
		t.Errorf("after an image of the earlier format: image %q; want a new one", id)
	}

	// A story published, then one deleted: every article page is
	// rendered again, from an index built from the store as a server
	// started now builds it, not from the image.
	save("harbour-pilots", "Harbour Pilots Guide the Barges", "Pilots guide the dredging barges through the harbour channel.")
	if r := export("settings-2", dredging.ID); !r.built || r.bodies != stories+1 || strings.Contains(r.logged, "read from its image") {
		t.Errorf("a story published since the image: built %v, %d articles read whole; want the index built from all %d; logged:\n%s", r.built, r.bodies, stories+1, r.logged)
	}
	if err := s.DeleteArticle(ctx, "harbour-pilots"); err != nil {
		t.Fatal(err)
	}
	if r := export("settings-2", dredging.ID); !r.built || r.bodies != stories || strings.Contains(r.logged, "read from its image") {
		t.Errorf("a story deleted since the image: built %v, %d articles read whole; want the index built from all %d; logged:\n%s", r.built, r.bodies, stories, r.logged)
	}
}
