package newsroom

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/entity"
	"github.com/datelinehq/dateline/internal/store"
)

// DefaultTopicMinArticles is how many public articles must name an
// entity before it has a topic page, unless the settings say otherwise.
const DefaultTopicMinArticles = 3

// The story rule: articles published at most storyWindow apart follow one
// story when they share salient entities (see entity.SameStory).
const storyWindow = 7 * 24 * time.Hour

// entities is the service's extraction state: the gazetteer, and the
// vocabulary of the names the site keeps, read again when it may have
// grown.
type entities struct {
	once sync.Once
	gaz  *entity.Gazetteer
	err  error

	mu    sync.Mutex
	vocab *entity.Vocabulary
	read  time.Time // when vocab was read
}

// vocabularyAge is how long a vocabulary read from the store serves
// saves, so that names another node learned reach this one.
const vocabularyAge = time.Minute

// gazetteer is the embedded gazetteer, read at its first use.
func (s *Service) gazetteer() (*entity.Gazetteer, error) {
	s.ents.once.Do(func() { s.ents.gaz, s.ents.err = entity.Default() })
	return s.ents.gaz, s.ents.err
}

// vocabulary is what the site knows of people, organisations and the
// places the gazetteer does not know: every one it keeps, so that an
// article naming one without the marks of its kind ("the TTP", "Daesh")
// still finds it.
func (s *Service) vocabulary(ctx context.Context) (*entity.Vocabulary, error) {
	s.ents.mu.Lock()
	defer s.ents.mu.Unlock()
	if s.ents.vocab != nil && s.now().Sub(s.ents.read) < vocabularyAge {
		return s.ents.vocab, nil
	}
	v := entity.NewVocabulary()
	es, err := s.store.Entities(ctx, store.EntityQuery{Uncounted: true})
	if err != nil {
		return nil, err
	}
	known := map[int64]*entity.Entity{}
	for i, e := range es {
		// Places with a country are the gazetteer's; those without,
		// names the archive taught.
		if e.Banned || e.Kind == entity.PlaceKind && e.Country != "" {
			continue
		}
		known[e.ID] = &es[i]
		v.Add(e.Kind, e.Name, e.Initials)
	}
	// Every name of each: a merged entity's too ("Daesh"), which finds
	// the entity it was merged into by its key.
	aliases, err := s.store.Aliases(ctx, 0)
	if err != nil {
		return nil, err
	}
	for _, a := range aliases {
		if e := known[a.EntityID]; e != nil {
			kind, _, _ := strings.Cut(a.Key, ":")
			v.Add(entity.Kind(kind), a.Name, "")
		}
	}
	s.ents.vocab, s.ents.read = v, s.now()
	return v, nil
}

// forgetVocabulary makes the next save read the vocabulary again.
func (s *Service) forgetVocabulary() {
	s.ents.mu.Lock()
	s.ents.vocab = nil
	s.ents.mu.Unlock()
}

// textOf is what of an article entities are found in.
func textOf(a *article.Article) entity.Text {
	return entity.Text{Title: a.Title, Standfirst: a.Description, Body: a.Body}
}

// findEntities finds the entities article a names, stores them, and
// places it in a story. It runs after every save; the article is stored
// already, so a failure is logged, not returned: `dateline entities
// rebuild` finds them again.
func (s *Service) findEntities(ctx context.Context, a *article.Article) {
	if err := s.FindEntities(ctx, a); err != nil {
		s.logger.Error("find the entities of an article", "slug", a.Slug, "err", err)
	}
}

// FindEntities finds the entities article a (stored, whole) names with
// what the site knows, stores them in place of those found before, and
// places a public article in the story it follows.
func (s *Service) FindEntities(ctx context.Context, a *article.Article) error {
	g, err := s.gazetteer()
	if err != nil {
		return err
	}
	v, err := s.vocabulary(ctx)
	if err != nil {
		return err
	}
	found := g.ExtractWith(v, textOf(a))
	r := newResolver(s)
	links, err := r.links(ctx, a.ID, found)
	if err != nil {
		return err
	}
	if err := s.store.SetArticleEntities(ctx, []store.ArticleLinks{{ArticleID: a.ID, Links: links}}); err != nil {
		return err
	}
	// The site knows the new ones now: the next save finds them bare.
	for _, e := range r.created {
		if e.Kind != entity.PlaceKind || e.Country == "" {
			v.Add(e.Kind, e.Name, e.Initials)
		}
	}
	return s.placeInStory(ctx, a, links)
}

// resolver turns what extraction found into links to the site's
// entities, creating those it does not know yet.
type resolver struct {
	s   *Service
	ids map[string]int64 // entity by alias key
	// stored are the entities each article's stored links name, for a
	// rebuild's report (an article read twice counts as it is last).
	stored map[int64][]int64
	// created are the entities it stored.
	created []*entity.Entity
	// taken, in a rebuild, holds every slug in use, read once: asking
	// the database for each batch's candidates costs a look-up in a
	// table that grows with the archive (and on PostgreSQL, before the
	// table's first ANALYZE, a scan of it for each candidate).
	taken map[string]bool
}

func newResolver(s *Service) *resolver {
	return &resolver{s: s, ids: map[string]int64{}, stored: map[int64][]int64{}}
}

// count records an article's links as stored.
func (r *resolver) count(articleID int64, links []entity.Link) {
	ids := make([]int64, len(links))
	for i, l := range links {
		ids[i] = l.EntityID
	}
	r.stored[articleID] = ids
}

// counted says how many links the articles counted have, and how many
// entities they name.
func (r *resolver) counted() (links, entities int) {
	named := map[int64]bool{}
	for _, ids := range r.stored {
		links += len(ids)
		for _, id := range ids {
			named[id] = true
		}
	}
	return links, len(named)
}

// links resolves what one article names (see resolve).
func (r *resolver) links(ctx context.Context, articleID int64, found []entity.Found) ([]entity.Link, error) {
	ls, err := r.resolve(ctx, []articleFound{{articleID, found}})
	if err != nil {
		return nil, err
	}
	return ls[0], nil
}

// articleFound is what extraction found in an article.
type articleFound struct {
	id    int64
	found []entity.Found
}

// resolve turns what articles name into their links, in order (most
// salient first), creating the entities the site does not know yet
// together. Two names of one entity (merged by an editor) make one link,
// with the higher salience.
func (r *resolver) resolve(ctx context.Context, batch []articleFound) ([][]entity.Link, error) {
	var unknown []string
	firstFound := map[string]entity.Found{}
	for _, af := range batch {
		for _, f := range af.found {
			k := entity.Key(f)
			if _, ok := firstFound[k]; !ok && r.ids[k] == 0 {
				firstFound[k] = f
				unknown = append(unknown, k)
			}
		}
	}
	if len(unknown) > 0 {
		ids, err := r.s.store.EntityIDs(ctx, unknown)
		if err != nil {
			return nil, err
		}
		for k, id := range ids {
			r.ids[k] = id
		}
		if err := r.createAll(ctx, unknown, firstFound); err != nil {
			return nil, err
		}
	}
	out := make([][]entity.Link, len(batch))
	for i, af := range batch {
		var links []entity.Link
		at := map[int64]int{} // index in links by entity
		for _, f := range af.found {
			id := r.ids[entity.Key(f)]
			if j, ok := at[id]; ok {
				links[j].Mentions = append(links[j].Mentions, f.Mentions...)
				continue
			}
			at[id] = len(links)
			// The kind, which the story rule weighs.
			links = append(links, entity.Link{ArticleID: af.id, EntityID: id, Salience: f.Salience, Mentions: f.Mentions,
				Entity: &entity.Entity{ID: id, Kind: f.Kind}})
		}
		out[i] = links
	}
	return out, nil
}

// createAll creates the entities of the keys not known yet in one
// transaction, each under the first free slug of its name (see
// slugsFor). When another writer takes a slug or a key meanwhile, they
// are created one by one.
func (r *resolver) createAll(ctx context.Context, keys []string, found map[string]entity.Found) error {
	var missing []string
	var candidates []string
	for _, k := range keys {
		if r.ids[k] == 0 {
			missing = append(missing, k)
			candidates = append(candidates, slugsFor(found[k])[:3]...)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	taken := r.taken
	if taken == nil {
		taken = map[string]bool{}
		existing, err := r.s.store.Entities(ctx, store.EntityQuery{Slugs: candidates, Uncounted: true})
		if err != nil {
			return err
		}
		for _, e := range existing {
			taken[e.Slug] = true
		}
	}
	es := make([]*entity.Entity, 0, len(missing))
	aliases := make([]entity.Alias, 0, len(missing))
	var oneByOne []string
	for _, k := range missing {
		e := newEntity(found[k])
		for _, slug := range slugsFor(found[k])[:3] {
			if !taken[slug] {
				e.Slug = slug
				break
			}
		}
		if e.Slug == "" {
			oneByOne = append(oneByOne, k)
			continue
		}
		taken[e.Slug] = true
		es = append(es, e)
		aliases = append(aliases, entity.Alias{Key: k, Name: found[k].Name})
	}
	err := r.s.store.CreateEntities(ctx, es, aliases)
	switch {
	case err == nil:
		for i, e := range es {
			r.ids[aliases[i].Key] = e.ID
		}
		r.created = append(r.created, es...)
	case errors.Is(err, store.ErrConflict):
		for _, a := range aliases {
			oneByOne = append(oneByOne, a.Key)
		}
	default:
		return err
	}
	for _, k := range oneByOne {
		if _, err := r.create(ctx, k, found[k]); err != nil {
			return err
		}
	}
	return nil
}

// newEntity is the entity of what extraction found, without its slug.
func newEntity(f entity.Found) *entity.Entity {
	e := &entity.Entity{Kind: f.Kind, Name: f.Name, Initials: f.Initials}
	if f.Place != nil && f.Place.Country != nil {
		e.Country = f.Place.Country.ISO2
	}
	return e
}

// slugsFor lists the slugs an entity may take, best first: its name's
// ("hyderabad"), then with its country for a place another country has
// too ("hyderabad-in"), then numbered. A name in a script slugs do not
// keep takes its kind's.
func slugsFor(f entity.Found) []string {
	base := article.Slugify(f.Name)
	if base == "" {
		base = string(f.Kind)
	}
	slugs := []string{base}
	if f.Place != nil && f.Place.Country != nil {
		slugs = append(slugs, base+"-"+strings.ToLower(f.Place.Country.ISO2))
	}
	for n := 2; len(slugs) < 50; n++ {
		slugs = append(slugs, base+"-"+strconv.Itoa(n))
	}
	return slugs
}

// create stores a new entity for what extraction found, under the first
// free slug. Another writer creating it at the same time is fine: its
// entity is used.
func (r *resolver) create(ctx context.Context, key string, f entity.Found) (int64, error) {
	e := newEntity(f)
	for _, slug := range slugsFor(f) {
		e.Slug = slug
		err := r.s.store.CreateEntity(ctx, e, entity.Alias{Key: key, Name: f.Name})
		if err == nil {
			r.ids[key] = e.ID
			r.created = append(r.created, e)
			if r.taken != nil {
				r.taken[slug] = true
			}
			return e.ID, nil
		}
		if !errors.Is(err, store.ErrConflict) {
			return 0, err
		}
		// The key taken: another writer made it meanwhile.
		if ids, err := r.s.store.EntityIDs(ctx, []string{key}); err != nil {
			return 0, err
		} else if id := ids[key]; id != 0 {
			r.ids[key] = id
			return id, nil
		}
	}
	return 0, fmt.Errorf("no free address for the entity %q", f.Name)
}

// placeInStory puts a public article in the story of the article it
// follows most closely, published within storyWindow of it, or in a
// story of its own; an editor's decision (Fixed) stands, and an article
// that other articles follow keeps its story.
func (s *Service) placeInStory(ctx context.Context, a *article.Article, links []entity.Link) error {
	if !a.IsPublic(s.now()) || a.Kind.IsPage() {
		return nil
	}
	current, err := s.store.Stories(ctx, []int64{a.ID})
	if err != nil {
		return err
	}
	if m, ok := current[a.ID]; ok && (m.Fixed || m.StoryID == a.ID) {
		if m.Fixed {
			return nil
		}
		if n, err := s.store.CountArticles(ctx, store.ArticleQuery{StoryID: a.ID}); err != nil || n > 1 {
			return err
		}
	}
	salient := entity.Salient(links)
	ids := make([]int64, len(salient))
	for i, l := range salient {
		ids[i] = l.EntityID
	}
	near, err := s.store.EntityLinks(ctx, ids, a.PublishedAt.Add(-storyWindow), a.PublishedAt.Add(storyWindow))
	if err != nil {
		return err
	}
	byArticle := map[int64][]entity.Link{}
	for _, l := range near {
		if l.ArticleID != a.ID {
			byArticle[l.ArticleID] = append(byArticle[l.ArticleID], l)
		}
	}
	best, bestScore := a.ID, 0.0
	for id, other := range byArticle {
		if score := entity.SameStory(salient, other); score > bestScore || score == bestScore && score > 0 && id < best {
			best, bestScore = id, score
		}
	}
	story := a.ID
	if best != a.ID {
		stories, err := s.store.Stories(ctx, []int64{best})
		if err != nil {
			return err
		}
		story = best
		if m, ok := stories[best]; ok {
			story = m.StoryID
		}
		if _, ok := stories[best]; !ok {
			// The article followed has no story yet: it starts this one.
			if err := s.store.SetStories(ctx, []store.StoryMember{{ArticleID: best, StoryID: best}}); err != nil {
				return err
			}
		}
	}
	return s.store.SetStories(ctx, []store.StoryMember{{ArticleID: a.ID, StoryID: story}})
}

// RebuildReport says what a rebuild did.
type RebuildReport struct {
	Articles int // articles read
	Links    int // entity mentions stored (one per article and entity)
	Entities int // entities named by at least one article
	Stories  int // stories of more than one article
	Removed  int // entities no article names any more, deleted
}

// rebuildBatch is how many articles a rebuild stores in one transaction.
const rebuildBatch = 500

// RebuildEntities finds the entities of every article again: it learns
// the names the archive uses (people after titles, organisations with
// initials, names that recur), finds every article's entities with them,
// stores them, groups the public articles in stories, and deletes the
// entities no article names any more. Editors' decisions (bans, merges,
// splits, names, stories they fixed) stand. progress, when not nil, is
// called as articles are done, with the pass ("finding", then "learned
// names").
//
// The archive is read once: each article's entities are found with the
// names the site knows while the names it teaches are learned. Only the
// articles that write with a capital a word beginning a name learned
// there are read a second time, with every name.
func (s *Service) RebuildEntities(ctx context.Context, progress func(pass string, done, total int)) (RebuildReport, error) {
	var rep RebuildReport
	g, err := s.gazetteer()
	if err != nil {
		return rep, err
	}
	total, err := s.store.CountArticles(ctx, store.ArticleQuery{})
	if err != nil {
		return rep, err
	}
	if progress == nil {
		progress = func(string, int, int) {}
	}
	workers := max(1, runtime.GOMAXPROCS(0))
	s.forgetVocabulary()
	known, err := s.vocabulary(ctx)
	if err != nil {
		return rep, err
	}
	learners := make([]*entity.Learner, workers)
	for i := range learners {
		learners[i] = g.NewLearner()
	}
	r := newResolver(s)
	all, err := s.store.Entities(ctx, store.EntityQuery{Uncounted: true})
	if err != nil {
		return rep, err
	}
	r.taken = make(map[string]bool, len(all))
	for _, e := range all {
		r.taken[e.Slug] = true
	}
	publics := map[int64]public{}
	capitals := map[int64]entity.Capitals{}
	now := s.now()
	done := 0
	keep := func(a *article.Article, links []entity.Link, caps *entity.Capitals) {
		if caps != nil {
			capitals[a.ID] = *caps
		}
		if a.IsPublic(now) && !a.Kind.IsPage() {
			publics[a.ID] = public{a.ID, a.PublishedAt, entity.Salient(links)}
		}
		done++
	}

	// Pass 1: every article, with the names known, learning.
	err = s.findIn(ctx, r, []store.ArticleQuery{{}}, workers, func(w int, a *article.Article) ([]entity.Found, entity.Capitals) {
		return g.Analyze(known, textOf(a), learners[w])
	}, func(a *article.Article, links []entity.Link, caps entity.Capitals) {
		keep(a, links, &caps)
		progress("finding", done, total)
	})
	if err != nil {
		return rep, err
	}
	rep.Articles = done
	for _, l := range learners[1:] {
		learners[0].Merge(l)
	}
	v := learners[0].Vocabulary()
	for _, n := range known.Names() {
		v.Add(n.Kind, n.Name, n.Initials)
	}

	// Pass 2: the articles that may write a name learned in pass 1.
	learned := v.NamesNotIn(known)
	var again []int64
	for id, caps := range capitals {
		if caps.Holds(learned) {
			again = append(again, id)
		}
	}
	clear(capitals)
	slices.Sort(again)
	var chunks []store.ArticleQuery
	for from := 0; from < len(again); from += 2000 {
		chunks = append(chunks, store.ArticleQuery{IDs: again[from:min(from+2000, len(again))]})
	}
	done = 0
	err = s.findIn(ctx, r, chunks, workers, func(_ int, a *article.Article) ([]entity.Found, entity.Capitals) {
		return g.ExtractWith(v, textOf(a)), entity.Capitals{}
	}, func(a *article.Article, links []entity.Link, _ entity.Capitals) {
		keep(a, links, nil)
		progress("learned names", done, len(again))
	})
	if err != nil {
		return rep, err
	}

	// Stories, in the order the articles were published: each follows
	// the earlier article it shares most with, within the window.
	ordered := make([]public, 0, len(publics))
	for _, p := range publics {
		ordered = append(ordered, p)
	}
	slices.SortFunc(ordered, func(a, b public) int {
		if c := a.published.Compare(b.published); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	ids := make([]int64, len(ordered))
	for i, p := range ordered {
		ids[i] = p.id
	}
	fixed, err := s.store.Stories(ctx, ids)
	if err != nil {
		return rep, err
	}
	storyOf := map[int64]int64{}
	size := map[int64]int{}
	var members []store.StoryMember
	byEntity := map[int64][]int{} // indexes into ordered of the articles naming an entity saliently
	for i, p := range ordered {
		story := p.id
		if m, ok := fixed[p.id]; ok && m.Fixed {
			story = m.StoryID
		} else {
			best, bestScore := -1, 0.0
			seen := map[int]bool{}
			for _, l := range p.links {
				// Newest first, up to the window: a country's list holds
				// most of the archive.
				list := byEntity[l.EntityID]
				for k := len(list) - 1; k >= 0; k-- {
					j := list[k]
					if p.published.Sub(ordered[j].published) > storyWindow {
						break
					}
					if seen[j] {
						continue
					}
					seen[j] = true
					if score := entity.SameStory(p.links, ordered[j].links); score > bestScore {
						best, bestScore = j, score
					}
				}
			}
			if best >= 0 {
				story = storyOf[ordered[best].id]
			}
			members = append(members, store.StoryMember{ArticleID: p.id, StoryID: story})
		}
		storyOf[p.id] = story
		size[story]++
		for _, l := range p.links {
			byEntity[l.EntityID] = append(byEntity[l.EntityID], i)
		}
	}
	for from := 0; from < len(members); from += rebuildBatch {
		if err := s.store.SetStories(ctx, members[from:min(from+rebuildBatch, len(members))]); err != nil {
			return rep, err
		}
	}
	for _, n := range size {
		if n > 1 {
			rep.Stories++
		}
	}
	rep.Links, rep.Entities = r.counted()
	if rep.Removed, err = s.store.DeleteUnusedEntities(ctx); err != nil {
		return rep, err
	}
	s.forgetVocabulary()
	return rep, nil
}

// public is what the story grouping needs of a public article.
type public struct {
	id        int64
	published time.Time
	links     []entity.Link // the salient ones
}

// findIn finds the entities of the articles of the queries with extract
// (on workers goroutines; w says which), stores them rebuildBatch
// articles at a time, and calls stored with each article (its body
// dropped) and its links.
func (s *Service) findIn(ctx context.Context, r *resolver, queries []store.ArticleQuery, workers int,
	extract func(w int, a *article.Article) ([]entity.Found, entity.Capitals),
	stored func(a *article.Article, links []entity.Link, caps entity.Capitals)) error {
	type result struct {
		a     *article.Article
		found []entity.Found
		caps  entity.Capitals
	}
	results := make(chan result, 4*workers)
	var extractErr error
	go func() {
		defer close(results)
		for _, q := range queries {
			err := s.parallelArticles(ctx, q, workers, func(w int, a *article.Article) error {
				found, caps := extract(w, a)
				a.Body = "" // what is kept of it is the rest
				select {
				case results <- result{a, found, caps}:
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			})
			if err != nil {
				extractErr = err
				return
			}
		}
	}()
	var pending []result
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		afs := make([]articleFound, len(pending))
		for i, p := range pending {
			afs[i] = articleFound{p.a.ID, p.found}
		}
		resolved, err := r.resolve(ctx, afs)
		if err != nil {
			return err
		}
		batch := make([]store.ArticleLinks, len(pending))
		for i, p := range pending {
			batch[i] = store.ArticleLinks{ArticleID: p.a.ID, Links: resolved[i]}
		}
		if err := s.store.SetArticleEntities(ctx, batch); err != nil {
			return err
		}
		for i, p := range pending {
			r.count(p.a.ID, resolved[i])
			stored(p.a, resolved[i], p.caps)
		}
		pending = pending[:0]
		return nil
	}
	var storeErr error
	for res := range results {
		if storeErr != nil {
			continue // drain, so the workers end
		}
		pending = append(pending, res)
		if len(pending) >= rebuildBatch {
			storeErr = flush()
		}
	}
	if extractErr != nil {
		return extractErr
	}
	if storeErr != nil {
		return storeErr
	}
	return flush()
}

// parallelArticles walks the articles of q, handing each to one of
// workers goroutines (fn's w says which).
func (s *Service) parallelArticles(ctx context.Context, q store.ArticleQuery, workers int, fn func(w int, a *article.Article) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	queue := make(chan *article.Article, 2*workers)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for a := range queue {
				if err := fn(w, a); err != nil {
					errs <- err
					cancel()
					for range queue { // let the walk end
					}
					return
				}
			}
		}()
	}
	err := s.store.EachArticle(ctx, q, func(a *article.Article) error {
		select {
		case queue <- a:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(queue)
	wg.Wait()
	select {
	case werr := <-errs:
		return werr
	default:
	}
	return err
}
