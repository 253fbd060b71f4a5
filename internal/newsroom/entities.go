package newsroom

import (
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
	es, err := s.store.Entities(ctx, store.EntityQuery{})
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
	if r.created > 0 {
		s.forgetVocabulary()
	}
	return s.placeInStory(ctx, a, links)
}

// resolver turns what extraction found into links to the site's
// entities, creating those it does not know yet.
type resolver struct {
	s       *Service
	ids     map[string]int64 // entity by alias key
	created int
}

func newResolver(s *Service) *resolver { return &resolver{s: s, ids: map[string]int64{}} }

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
	taken := map[string]bool{}
	existing, err := r.s.store.Entities(ctx, store.EntityQuery{Slugs: candidates})
	if err != nil {
		return err
	}
	for _, e := range existing {
		taken[e.Slug] = true
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
	err = r.s.store.CreateEntities(ctx, es, aliases)
	switch {
	case err == nil:
		for i, e := range es {
			r.ids[aliases[i].Key] = e.ID
		}
		r.created += len(es)
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
			r.created++
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
// called as articles are done, with the pass ("learning", "finding").
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

	// Pass 1: learn, each worker on its share of the archive.
	learners := make([]*entity.Learner, workers)
	for i := range learners {
		learners[i] = g.NewLearner()
	}
	done := 0
	err = s.parallelArticles(ctx, workers, func(w int, a *article.Article) error {
		learners[w].Read(textOf(a))
		return nil
	}, func() {
		done++
		progress("learning", done, total)
	})
	if err != nil {
		return rep, err
	}
	for _, l := range learners[1:] {
		learners[0].Merge(l)
	}
	v := learners[0].Vocabulary()
	s.forgetVocabulary()
	known, err := s.vocabulary(ctx)
	if err != nil {
		return rep, err
	}
	for _, n := range known.Names() {
		v.Add(n.Kind, n.Name, n.Initials)
	}

	// Pass 2: find, store in batches, and keep what stories need.
	type found struct {
		a     *article.Article
		found []entity.Found
	}
	r := newResolver(s)
	var batch []store.ArticleLinks
	type public struct {
		id        int64
		published time.Time
		links     []entity.Link
	}
	var publics []public
	entitiesSeen := map[int64]bool{}
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := s.store.SetArticleEntities(ctx, batch)
		batch = batch[:0]
		return err
	}

	results := make(chan found, 4*workers)
	var wg sync.WaitGroup
	var extractErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(results)
		extractErr = s.parallelArticles(ctx, workers, func(_ int, a *article.Article) error {
			f := g.ExtractWith(v, textOf(a))
			a.Body = "" // what stories need is the rest
			select {
			case results <- found{a, f}:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}, nil)
	}()
	var storeErr error
	now := s.now()
	var pending []found
	// resolveAndFlush resolves the pending articles' entities together
	// and stores their links in one transaction.
	resolveAndFlush := func() error {
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
		for i, p := range pending {
			links := resolved[i]
			batch = append(batch, store.ArticleLinks{ArticleID: p.a.ID, Links: links})
			rep.Articles++
			rep.Links += len(links)
			for _, l := range links {
				entitiesSeen[l.EntityID] = true
			}
			if p.a.IsPublic(now) && !p.a.Kind.IsPage() {
				publics = append(publics, public{p.a.ID, p.a.PublishedAt, entity.Salient(links)})
			}
		}
		pending = pending[:0]
		return flush()
	}
	for res := range results {
		if storeErr != nil {
			continue // drain, so the workers end
		}
		pending = append(pending, res)
		if len(pending) >= rebuildBatch {
			storeErr = resolveAndFlush()
			progress("finding", rep.Articles, total)
		}
	}
	wg.Wait()
	if extractErr != nil {
		return rep, extractErr
	}
	if storeErr != nil {
		return rep, storeErr
	}
	if err := resolveAndFlush(); err != nil {
		return rep, err
	}
	progress("finding", rep.Articles, total)
	rep.Entities = len(entitiesSeen)

	// Stories, in the order the articles were published: each follows
	// the earlier article it shares most with, within the window.
	slices.SortFunc(publics, func(a, b public) int { return a.published.Compare(b.published) })
	ids := make([]int64, len(publics))
	for i, p := range publics {
		ids[i] = p.id
	}
	fixed, err := s.store.Stories(ctx, ids)
	if err != nil {
		return rep, err
	}
	storyOf := map[int64]int64{}
	size := map[int64]int{}
	var members []store.StoryMember
	byEntity := map[int64][]int{} // indexes into publics of the articles naming an entity saliently
	for i, p := range publics {
		story := p.id
		if m, ok := fixed[p.id]; ok && m.Fixed {
			story = m.StoryID
		} else {
			best, bestScore := -1, 0.0
			seen := map[int]bool{}
			for _, l := range p.links {
				for _, j := range byEntity[l.EntityID] {
					if seen[j] || p.published.Sub(publics[j].published) > storyWindow {
						continue
					}
					seen[j] = true
					if score := entity.SameStory(p.links, publics[j].links); score > bestScore {
						best, bestScore = j, score
					}
				}
			}
			if best >= 0 {
				story = storyOf[publics[best].id]
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
	if rep.Removed, err = s.store.DeleteUnusedEntities(ctx); err != nil {
		return rep, err
	}
	s.forgetVocabulary()
	return rep, nil
}

// parallelArticles walks every article, handing each to one of workers
// goroutines (fn's w says which), and calls each (when not nil) on the
// walking goroutine as an article is handed over.
func (s *Service) parallelArticles(ctx context.Context, workers int, fn func(w int, a *article.Article) error, each func()) error {
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
	err := s.store.EachArticle(ctx, store.ArticleQuery{}, func(a *article.Article) error {
		select {
		case queue <- a:
		case <-ctx.Done():
			return ctx.Err()
		}
		if each != nil {
			each()
		}
		return nil
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
