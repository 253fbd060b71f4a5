package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/google/go-cmp/cmp"
)

// mediaTests are the tests of the photo library.
var mediaTests = []struct {
	name string
	fn   func(t *testing.T, s store.Store)
}{
	{"MediaAddAndRead", testMediaAddAndRead},
	{"MediaSameBytesSameItem", testMediaSameBytes},
	{"MediaSearchAndStates", testMediaSearch},
	{"MediaInUseNotDeleted", testMediaInUse},
	{"MediaOfArticlesAndRevisions", testMediaOfArticles},
}

func hashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func photo(name string) *media.Item {
	return &media.Item{
		Hash: hashOf(name), Format: media.JPEG, Width: 4000, Height: 3000, Size: 2_400_000,
		Filename: name + ".jpg",
		Info:     media.Info{Alt: "Sandbags along the Ems at dawn", Caption: "The barrier held overnight.", Credit: "Lena Vogt / Nordpress"},
	}
}

func mustAddMedia(t *testing.T, s store.Store, it *media.Item) *media.Item {
	t.Helper()
	if created, err := s.AddMedia(ctx, it); err != nil || !created {
		t.Fatalf("AddMedia(%s) = %t, %v", it.Filename, created, err)
	}
	return it
}

func testMediaAddAndRead(t *testing.T, s store.Store) {
	it := mustAddMedia(t, s, photo("barrier"))
	if it.ID == 0 || !it.CreatedAt.Equal(now().UTC().Truncate(1000)) || it.State != media.Pending {
		t.Fatalf("AddMedia set ID %d, CreatedAt %v, State %q", it.ID, it.CreatedAt, it.State)
	}
	vs := []media.Variant{{Name: "w640", Format: media.WebP, Width: 640, Height: 480}, {Name: "w640", Format: media.JPEG, Width: 640, Height: 480}}
	if err := s.SetMediaVariants(ctx, it.ID, vs, media.Ready, ""); err != nil {
		t.Fatal(err)
	}
	got, err := s.MediaItem(ctx, it.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := *it
	want.Variants, want.State, want.Attempts = vs, media.Ready, 1
	if diff := cmp.Diff(&want, got); diff != "" {
		t.Errorf("MediaItem (-want +got):\n%s", diff)
	}
	byHash, err := s.MediaByHash(ctx, it.Hash)
	if err != nil || byHash.ID != it.ID {
		t.Errorf("MediaByHash = %v, %v", byHash, err)
	}
	info := media.Info{Alt: "Sandbags, seen from the dyke", Caption: "", Credit: "Nordpress"}
	if err := s.UpdateMediaInfo(ctx, it.ID, info); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.MediaItem(ctx, it.ID); got.Info != info {
		t.Errorf("after UpdateMediaInfo: %+v, want %+v", got.Info, info)
	}
	long := media.Info{Alt: strings.Repeat("x", 10_000)}
	if err := s.UpdateMediaInfo(ctx, it.ID, long); !errors.Is(err, media.ErrInvalid) {
		t.Errorf("UpdateMediaInfo with 10,000 characters of alt text: err = %v, want ErrInvalid", err)
	}
	if got, _ := s.MediaItem(ctx, it.ID); got.Info != info {
		t.Errorf("a refused update changed the item: %+v", got.Info)
	}
	for _, err := range []error{
		func() error { _, err := s.MediaItem(ctx, 99999); return err }(),
		func() error { _, err := s.MediaByHash(ctx, hashOf("nothing")); return err }(),
		s.UpdateMediaInfo(ctx, 99999, info),
		s.SetMediaVariants(ctx, 99999, nil, media.Failed, "x"),
		s.DeleteMedia(ctx, 99999),
	} {
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("on a missing item: err = %v, want ErrNotFound", err)
		}
	}
}

// testMediaSameBytes uploads the same bytes twice, at once: one item.
func testMediaSameBytes(t *testing.T, s store.Store) {
	var wg sync.WaitGroup
	items := make([]*media.Item, 4)
	created := make([]bool, 4)
	errs := make([]error, 4)
	for i := range items {
		items[i] = photo("same")
		items[i].Filename = "upload-" + string(rune('a'+i)) + ".jpg"
		wg.Go(func() { created[i], errs[i] = s.AddMedia(ctx, items[i]) })
	}
	wg.Wait()
	n := 0
	for i := range items {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if created[i] {
			n++
		}
		if items[i].ID != items[0].ID {
			t.Errorf("upload %d got item %d, upload 0 item %d", i, items[i].ID, items[0].ID)
		}
	}
	if n != 1 {
		t.Errorf("%d uploads of the same bytes created an item, want 1", n)
	}
	if c, _ := s.CountMedia(ctx, store.MediaQuery{}); c != 1 {
		t.Errorf("CountMedia = %d, want 1", c)
	}
}

func testMediaSearch(t *testing.T, s store.Store) {
	a := mustAddMedia(t, s, photo("harbour"))
	b := photo("ÉLYSÉE")
	b.Info = media.Info{Alt: "Der Élysée-Palast bei Nacht", Credit: "Agence 100%"}
	mustAddMedia(t, s, b)
	if err := s.SetMediaVariants(ctx, a.ID, nil, media.Failed, "encoder ran out of memory"); err != nil {
		t.Fatal(err)
	}
	for _, test := range []struct {
		q    store.MediaQuery
		want []int64
	}{
		{store.MediaQuery{}, []int64{b.ID, a.ID}},
		{store.MediaQuery{Text: "élysée"}, []int64{b.ID}},
		{store.MediaQuery{Text: "ÉLYSÉE-PALAST"}, []int64{b.ID}},
		{store.MediaQuery{Text: "100%"}, []int64{b.ID}},
		{store.MediaQuery{Text: "nordpress"}, []int64{a.ID}},
		{store.MediaQuery{Text: "harbour.jpg"}, []int64{a.ID}},
		{store.MediaQuery{Text: "nothing like it"}, nil},
		{store.MediaQuery{State: media.Failed}, []int64{a.ID}},
		{store.MediaQuery{IDs: []int64{a.ID, 99999}}, []int64{a.ID}},
		{store.MediaQuery{Limit: 1, Offset: 1}, []int64{a.ID}},
	} {
		items, err := s.MediaItems(ctx, test.q)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, it := range items {
			got = append(got, it.ID)
		}
		if !cmp.Equal(got, test.want) {
			t.Errorf("MediaItems(%+v) = %v, want %v", test.q, got, test.want)
		}
	}
	failed, _ := s.MediaItem(ctx, a.ID)
	if failed.Error != "encoder ran out of memory" || failed.Attempts != 1 {
		t.Errorf("a failed item keeps error %q after %d attempts", failed.Error, failed.Attempts)
	}
}

func testMediaInUse(t *testing.T, s store.Store) {
	featured := mustAddMedia(t, s, photo("featured"))
	inline := mustAddMedia(t, s, photo("inline"))
	unused := mustAddMedia(t, s, photo("unused"))
	a := sample("with-photos")
	a.FeaturedMediaID = featured.ID
	a.MediaIDs = []int64{inline.ID}
	mustCreate(t, s, a)
	b := sample("also-inline")
	b.MediaIDs = []int64{inline.ID}
	mustCreate(t, s, b)
	for _, it := range []*media.Item{featured, inline} {
		err := s.DeleteMedia(ctx, it.ID)
		if !errors.Is(err, store.ErrConflict) || !strings.Contains(err.Error(), "with-photos") {
			t.Errorf("DeleteMedia of an image in use: err = %v, want ErrConflict naming the article", err)
		}
		if _, err := s.MediaItem(ctx, it.ID); err != nil {
			t.Errorf("a refused delete lost the item: %v", err)
		}
	}
	if users, err := s.MediaUsers(ctx, inline.ID); err != nil || !cmp.Equal(users, []string{"also-inline", "with-photos"}) {
		t.Errorf("MediaUsers = %v, %v", users, err)
	}
	if err := s.DeleteMedia(ctx, unused.ID); err != nil {
		t.Fatal(err)
	}
	// Taking the images out of the articles frees them.
	a.FeaturedMediaID, a.MediaIDs = 0, nil
	if err := s.UpdateArticle(ctx, a, "no photos"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteMedia(ctx, featured.ID); err != nil {
		t.Errorf("DeleteMedia after the article let it go: %v", err)
	}
	if err := s.DeleteArticle(ctx, b.Slug); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteMedia(ctx, inline.ID); err != nil {
		t.Errorf("DeleteMedia after its articles let it go: %v", err)
	}
	// A new item never gets a deleted one's ID.
	again := mustAddMedia(t, s, photo("again"))
	if again.ID <= inline.ID || again.ID <= unused.ID {
		t.Errorf("a new item got ID %d after %d and %d were deleted", again.ID, inline.ID, unused.ID)
	}
}

func testMediaOfArticles(t *testing.T, s store.Store) {
	first := mustAddMedia(t, s, photo("first"))
	second := mustAddMedia(t, s, photo("second"))
	a := sample("photo-story")
	a.FeaturedMediaID = first.ID
	a.MediaIDs = []int64{second.ID, first.ID}
	mustCreate(t, s, a)
	got, err := s.Article(ctx, a.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if got.FeaturedMediaID != first.ID || !cmp.Equal(got.MediaIDs, []int64{first.ID, second.ID}) {
		t.Errorf("stored featured %d and images %v; want %d and %v", got.FeaturedMediaID, got.MediaIDs, first.ID, []int64{first.ID, second.ID})
	}
	got.FeaturedMediaID = second.ID
	if err := s.UpdateArticle(ctx, got, "new photo"); err != nil {
		t.Fatal(err)
	}
	revs, err := s.Revisions(ctx, got.ID)
	if err != nil || len(revs) != 1 || revs[0].FeaturedMediaID != first.ID {
		t.Fatalf("revision keeps featured image %v, %v; want %d", revs, err, first.ID)
	}
	// An image that is not in the library is refused by name.
	got.FeaturedMediaID = 99999
	if err := s.UpdateArticle(ctx, got, "bad photo"); !errors.Is(err, store.ErrNotFound) || !strings.Contains(err.Error(), "image 99999") {
		t.Errorf("UpdateArticle with a missing image: err = %v, want ErrNotFound naming image 99999", err)
	}
}
