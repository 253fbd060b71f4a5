package storetest

import (
	"errors"
	"slices"
	"testing"

	"github.com/datelinehq/dateline/internal/store"
)

// frontPageTests are the front page half of the suite.
var frontPageTests = []struct {
	name string
	fn   func(t *testing.T, s store.Store)
}{
	{"PinsInOrder", testPinsInOrder},
	{"Menus", testMenus},
}

func testPinsInOrder(t *testing.T, s store.Store) {
	var ids []int64
	for _, slug := range []string{"one", "two", "three"} {
		a := sample(slug)
		a.Source = ""
		mustCreate(t, s, a)
		ids = append(ids, a.ID)
	}
	pins := func() []int64 {
		t.Helper()
		got, err := s.Pins(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := pins(); len(got) != 0 {
		t.Fatalf("a new store has pins %v", got)
	}
	want := []int64{ids[2], ids[0]}
	if err := s.SetPins(ctx, want); err != nil {
		t.Fatal(err)
	}
	if got := pins(); !slices.Equal(got, want) {
		t.Errorf("Pins = %v; want %v", got, want)
	}
	if err := s.SetPins(ctx, []int64{ids[1], ids[1]}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("pinning one article twice: %v; want ErrConflict", err)
	}
	if err := s.SetPins(ctx, []int64{ids[1], 9999}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("pinning a missing article: %v; want ErrNotFound", err)
	}
	if got := pins(); !slices.Equal(got, want) {
		t.Errorf("refused pins changed them: %v", got)
	}
	deleteArticleByID(t, s, ids[2])
	if got := pins(); !slices.Equal(got, []int64{ids[0]}) {
		t.Errorf("after the lead was deleted the pins are %v; want %v", got, ids[:1])
	}
	if err := s.SetPins(ctx, nil); err != nil || len(pins()) != 0 {
		t.Errorf("clearing the pins: %v, %v", err, pins())
	}
}

func testMenus(t *testing.T, s store.Store) {
	if items, saved, err := s.Menu(ctx, store.HeaderMenu); err != nil || saved || len(items) != 0 {
		t.Fatalf("a new store's header menu: %v, saved %v, %v", items, saved, err)
	}
	want := []store.MenuItem{{Label: "World", Kind: store.MenuSection, Target: "world"}, {Label: "About", Kind: store.MenuPage, Target: "about"}}
	if err := s.SaveMenu(ctx, store.HeaderMenu, want); err != nil {
		t.Fatal(err)
	}
	got, saved, err := s.Menu(ctx, store.HeaderMenu)
	if err != nil || !saved || !slices.Equal(got, want) {
		t.Errorf("Menu = %v, saved %v, %v; want %v", got, saved, err, want)
	}
	if err := s.SaveMenu(ctx, store.HeaderMenu, nil); err != nil {
		t.Fatal(err)
	}
	if got, saved, err := s.Menu(ctx, store.HeaderMenu); err != nil || !saved || len(got) != 0 {
		t.Errorf("an emptied menu reads back %v, saved %v, %v; want saved and empty", got, saved, err)
	}
	if got, _, _ := s.Menu(ctx, store.FooterMenu); len(got) != 0 {
		t.Errorf("the footer menu changed with the header's: %v", got)
	}
}
