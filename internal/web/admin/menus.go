package admin

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/web"
)

// MenusPage is the menus screen: a form for the header menu and one for
// the footer menu.
type MenusPage struct {
	Page
	Menus []MenuForm
}

// MenuForm is one menu's form: its items as saved, or as typed when they
// did not validate, and an empty row to add one.
type MenuForm struct {
	Name  string // store.HeaderMenu or store.FooterMenu
	Title string
	// Default says the menu was never arranged: the header then lists
	// the sections, as its rows show.
	Default bool
	Rows    []MenuRow
	// Error is a fault of the whole menu (too many items).
	Error string
	Max   int
}

// MenuRow is one item of a menu form. A row holds a target of each kind,
// as typed; its kind says which one counts.
type MenuRow struct {
	Label, Kind         string
	Section, Page, Link string
	Sections, Pages     []Option
	Broken, Error       string // why it leads nowhere; why it was refused
	// First and Last disable the buttons that would move the row past
	// an end; New marks the empty row for a new item.
	First, Last, New bool
	Index            int // its place in the form, from 0
}

// menuKinds are the kinds of menu item, with their names in the form.
var menuKinds = []Option{{Value: store.MenuSection, Label: "Section"}, {Value: store.MenuPage, Label: "Page"}, {Value: store.MenuLink, Label: "Link"}}

// Kinds are the kind select's options, with the row's kind selected.
func (r MenuRow) Kinds() []Option {
	out := make([]Option, len(menuKinds))
	for i, k := range menuKinds {
		out[i] = Option{Value: k.Value, Label: k.Label, Selected: k.Value == r.Kind}
	}
	return out
}

// menuChoices are the sections and pages a menu item may lead to.
type menuChoices struct {
	sections []article.Section
	pages    []*article.Article
}

func (h *Handler) menuChoices(r *http.Request) (menuChoices, error) {
	sections, err := h.news.Sections(r.Context())
	if err != nil {
		return menuChoices{}, err
	}
	pages, err := h.store.Articles(r.Context(), store.ArticleQuery{Kind: store.AnyPage})
	if err != nil {
		return menuChoices{}, err
	}
	return menuChoices{sections, pages}, nil
}

// page returns the page with slug, or nil.
func (c menuChoices) page(slug string) *article.Article {
	for _, p := range c.pages {
		if p.Slug == slug {
			return p
		}
	}
	return nil
}

// options fills in row's selects, keeping a typed target that is not
// among the choices (a section deleted) so that a save keeps it visible.
func (c menuChoices) options(row *MenuRow) {
	row.Sections = []Option{{Value: "", Label: "Choose a section"}}
	found := row.Section == ""
	for _, s := range c.sections {
		row.Sections = append(row.Sections, Option{Value: s.Slug, Label: s.Name, Selected: s.Slug == row.Section})
		found = found || s.Slug == row.Section
	}
	if !found {
		row.Sections = append(row.Sections, Option{Value: row.Section, Label: row.Section + " (no such section)", Selected: true})
	}
	row.Pages = []Option{{Value: "", Label: "Choose a page"}}
	found = row.Page == ""
	for _, p := range c.pages {
		label := p.Title
		if p.Status != article.Published {
			label += " (" + string(p.Status) + ")"
		}
		row.Pages = append(row.Pages, Option{Value: p.Slug, Label: label, Selected: p.Slug == row.Page})
		found = found || p.Slug == row.Page
	}
	if !found {
		row.Pages = append(row.Pages, Option{Value: row.Page, Label: row.Page + " (no such page)", Selected: true})
	}
}

// rowOf is a saved item as a form row.
func rowOf(it store.MenuItem) MenuRow {
	row := MenuRow{Label: it.Label, Kind: it.Kind}
	switch it.Kind {
	case store.MenuSection:
		row.Section = it.Target
	case store.MenuPage:
		row.Page = it.Target
	default:
		row.Link = it.Target
	}
	return row
}

// item is the menu item a row describes.
func (r MenuRow) item() store.MenuItem {
	it := store.MenuItem{Label: r.Label, Kind: r.Kind}
	switch r.Kind {
	case store.MenuSection:
		it.Target = r.Section
	case store.MenuPage:
		it.Target = r.Page
	case store.MenuLink:
		it.Target = r.Link
	}
	return it
}

// blank reports whether the row was left empty: the row for a new item,
// not filled in.
func (r MenuRow) blank() bool {
	return strings.TrimSpace(r.Label+r.Section+r.Page+r.Link) == ""
}

var menuTitles = map[string]string{store.HeaderMenu: "Header menu", store.FooterMenu: "Footer menu"}

// savedMenu is the form of menu name as saved, with its broken items
// marked.
func (h *Handler) savedMenu(r *http.Request, name string, c menuChoices) (MenuForm, error) {
	items, broken, err := h.news.Menu(r.Context(), name)
	if err != nil {
		return MenuForm{}, err
	}
	_, saved, err := h.store.Menu(r.Context(), name)
	if err != nil {
		return MenuForm{}, err
	}
	rows := make([]MenuRow, len(items))
	for i, it := range items {
		rows[i] = rowOf(it)
	}
	for _, i := range broken {
		rows[i].Broken = brokenReason(items[i], c)
	}
	return h.menuForm(name, rows, !saved && name == store.HeaderMenu, c), nil
}

// brokenReason says why an item leads nowhere.
func brokenReason(it store.MenuItem, c menuChoices) string {
	switch it.Kind {
	case store.MenuSection:
		return fmt.Sprintf("Leads nowhere: there is no section %q any more. Readers do not see this item.", it.Target)
	case store.MenuPage:
		if p := c.page(it.Target); p != nil {
			return fmt.Sprintf("Leads nowhere: the page %q is %s, not published. Readers do not see this item until it is.", p.Title, p.Status)
		}
		return fmt.Sprintf("Leads nowhere: there is no page %q any more. Readers do not see this item.", it.Target)
	}
	return "Leads nowhere. Readers do not see this item."
}

// menuForm makes the form of menu name with rows, and an empty row to add
// an item when there is room.
func (h *Handler) menuForm(name string, rows []MenuRow, def bool, c menuChoices) MenuForm {
	f := MenuForm{Name: name, Title: menuTitles[name], Default: def, Max: newsroom.MaxMenuItems}
	if len(rows) < newsroom.MaxMenuItems {
		rows = append(rows, MenuRow{Kind: store.MenuSection, New: true})
	}
	for i := range rows {
		row := &rows[i]
		row.Index, row.First = i, i == 0
		row.Last = i == len(rows)-1 || (i == len(rows)-2 && rows[i+1].New)
		c.options(row)
	}
	f.Rows = rows
	return f
}

func (h *Handler) menusPage(r *http.Request, c menuChoices) (MenusPage, error) {
	p := MenusPage{Page: h.page(r, "Menus", "menus")}
	for _, name := range []string{store.HeaderMenu, store.FooterMenu} {
		f, err := h.savedMenu(r, name, c)
		if err != nil {
			return p, err
		}
		p.Menus = append(p.Menus, f)
	}
	return p, nil
}

// menus shows both menus.
func (h *Handler) menus(w http.ResponseWriter, r *http.Request) error {
	c, err := h.menuChoices(r)
	if err != nil {
		return err
	}
	p, err := h.menusPage(r, c)
	if err != nil {
		return err
	}
	return writePage(w, r, http.StatusOK, h.tpl.menus, p)
}

// menuSave reads one menu's rows as posted, applies the button pressed
// (save, or move or remove a row) and saves the menu through the
// newsroom, which checks every item: when one is wrong the form comes
// back as typed with the fault beside the item, and nothing is saved.
// Saving makes this node's pages show the menu at once.
func (h *Handler) menuSave(w http.ResponseWriter, r *http.Request) error {
	name := r.PostFormValue("menu")
	if _, ok := menuTitles[name]; !ok {
		return web.BadRequest{Message: fmt.Sprintf("There is no menu %q. Nothing was saved.", name)}
	}
	f := r.PostForm
	n := len(f["label"])
	for _, field := range []string{"kind", "section", "page", "link"} {
		if len(f[field]) != n {
			return web.BadRequest{Message: "The menu's form came incomplete. Nothing was saved."}
		}
	}
	rows := make([]MenuRow, n)
	for i := range rows {
		rows[i] = MenuRow{Label: f["label"][i], Kind: f["kind"][i], Section: f["section"][i], Page: f["page"][i], Link: f["link"][i]}
	}
	rows, err := applyMenuAction(rows, r.PostFormValue("action"))
	if err != nil {
		return err
	}
	kept := rows[:0]
	for _, row := range rows {
		if !row.blank() {
			kept = append(kept, row)
		}
	}
	rows = kept
	items := make([]store.MenuItem, len(rows))
	for i, row := range rows {
		items[i] = row.item()
	}
	err = h.news.ArrangeMenu(r.Context(), actorOf(r), name, items)
	var field *article.FieldError
	switch {
	case errors.As(err, &field):
		c, cerr := h.menuChoices(r)
		if cerr != nil {
			return cerr
		}
		p, perr := h.menusPage(r, c)
		if perr != nil {
			return perr
		}
		msg := upperFirst(field.Msg) + "."
		var at int
		if num, ok := strings.CutPrefix(field.Field, "item-"); ok {
			at, _ = strconv.Atoi(num)
		}
		if at >= 1 && at <= len(rows) {
			rows[at-1].Error = msg
		}
		form := h.menuForm(name, rows, false, c)
		if at < 1 || at > len(rows) {
			form.Error = msg
		}
		for i := range p.Menus {
			if p.Menus[i].Name == name {
				p.Menus[i] = form
			}
		}
		p.Flash = "Nothing was saved. Please correct the item marked below."
		return writePage(w, r, http.StatusUnprocessableEntity, h.tpl.menus, p)
	case err != nil:
		return arrangeError(err)
	}
	// This node shows the change at once; the others within
	// web.SiteSettingsInterval.
	if err := h.site.LoadSettings(r.Context(), h.store); err != nil {
		h.logger.Error("read the menus after saving one", "menu", name, "err", err)
	}
	return redirect(w, r, "/admin/menus", "saved")
}

// applyMenuAction applies the button pressed to rows: "save" leaves them,
// "up-3", "down-3" and "remove-3" move or remove the row at index 3.
func applyMenuAction(rows []MenuRow, action string) ([]MenuRow, error) {
	if action == "" || action == "save" {
		return rows, nil
	}
	verb, num, _ := strings.Cut(action, "-")
	i, err := strconv.Atoi(num)
	if err != nil || i < 0 || i >= len(rows) {
		return nil, web.BadRequest{Message: fmt.Sprintf("The form asked for %q, which it cannot do. Nothing was saved.", action)}
	}
	switch verb {
	case "up":
		if i > 0 {
			rows[i-1], rows[i] = rows[i], rows[i-1]
		}
	case "down":
		if i < len(rows)-1 {
			rows[i], rows[i+1] = rows[i+1], rows[i]
		}
	case "remove":
		rows = append(rows[:i], rows[i+1:]...)
	default:
		return nil, web.BadRequest{Message: fmt.Sprintf("The form asked for %q, which it cannot do. Nothing was saved.", action)}
	}
	return rows, nil
}
