package newsroom

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/entity"
	"github.com/datelinehq/dateline/internal/seo"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/urls"
)

// Suggestions are what the editor offers for a text being written: the
// sections, tags and entities it fits, each with the reason, none of
// which the article has already.
type Suggestions struct {
	Sections []SectionSuggestion
	Tags     []TagSuggestion
	Entities []EntitySuggestion
}

// SectionSuggestion is a section the site's articles naming the same
// entities are mostly in.
type SectionSuggestion struct {
	Slug, Name string
	Reason     string // "4 of the 5 articles naming Pakistan are in World"
}

// TagSuggestion is an existing tag of the site that the text matches.
type TagSuggestion struct {
	Name, Slug string
	Reason     string // "matches Pakistan, which the text mentions 5×"
}

// EntitySuggestion is an entity the text is about, suggested as a tag.
type EntitySuggestion struct {
	Kind     entity.Kind
	Name     string
	Salience float64
	Reason   string // "mentions Islamabad 4×"
	// Slug is the entity's when the site knows it already, else "".
	Slug string
	// TopicPath is its topic page's address when it has one, else "".
	TopicPath string
}

// Bounds of the suggestions, so that a panel refreshed as the author
// types stays a handful of queries and a readable list.
const (
	maxEntitySuggestions  = 8
	maxTagSuggestions     = 6
	maxSectionSuggestions = 2
	// sectionEntities is how many of the text's most salient known
	// entities the section suggestion looks at, and sectionSample how
	// many of each one's newest articles.
	sectionEntities = 3
	sectionSample   = 50
	// phraseLookups bounds the tag lookups for the phrases a text
	// repeats.
	phraseLookups = 12
)

// Suggest returns the suggestions for draft, an article as typed, saved
// or not: the entities its text is about (found with what the site
// knows, salience at least entity.MinSalience), the site's tags matching
// them or a phrase the text repeats, and the sections most used by the
// site's public articles naming the same entities. What draft has (its
// tags, its section) is left out. Errors: a Refusal for an actor who may
// not edit draft, or the store's.
func (s *Service) Suggest(ctx context.Context, actor Actor, draft *article.Article) (Suggestions, error) {
	var out Suggestions
	if !actor.mayEdit(draft.OwnerID) {
		return out, &Refusal{"Your role cannot edit this article, so it gets no suggestions."}
	}
	g, err := s.gazetteer()
	if err != nil {
		return out, err
	}
	v, err := s.vocabulary(ctx)
	if err != nil {
		return out, err
	}
	text := textOf(draft)
	var salient []entity.Found
	for _, f := range g.ExtractWith(v, text) {
		if f.Salience >= entity.MinSalience {
			salient = append(salient, f)
		}
	}
	known, err := s.knownEntities(ctx, salient)
	if err != nil {
		return out, err
	}

	has := map[string]bool{} // the draft's tags, by slug
	for _, t := range draft.Tags {
		if name := strings.TrimSpace(t.Name); name != "" {
			has[article.Slugify(name)] = true
		}
	}
	if out.Tags, err = s.suggestTags(ctx, text, salient, has); err != nil {
		return out, err
	}
	for _, t := range out.Tags {
		has[t.Slug] = true
	}
	for _, f := range salient {
		e := known[entity.Key(f)]
		if e != nil && e.Banned {
			continue
		}
		name := f.Name
		if e != nil {
			name = e.Name // an editor's rename wins
		}
		if has[article.Slugify(name)] {
			continue
		}
		sg := EntitySuggestion{Kind: f.Kind, Name: name, Salience: f.Salience, Reason: mentionReason(text, f.Mentions)}
		if e != nil {
			sg.Slug = e.Slug
			if e.Articles > 0 { // knownEntities counts only those with a topic page
				sg.TopicPath = urls.Topic(e.Slug)
			}
		}
		out.Entities = append(out.Entities, sg)
		if len(out.Entities) == maxEntitySuggestions {
			break
		}
	}
	current := ""
	if draft.Section != nil {
		current = draft.Section.Slug
	}
	out.Sections, err = s.suggestSections(ctx, draft.ID, current, salient, known)
	return out, err
}

// knownEntities returns the site's entities for what was found, by alias
// key, with Articles set to the count of public articles for those with
// a topic page and 0 for the others.
func (s *Service) knownEntities(ctx context.Context, found []entity.Found) (map[string]*entity.Entity, error) {
	keys := make([]string, 0, len(found))
	for _, f := range found {
		keys = append(keys, entity.Key(f))
	}
	out := map[string]*entity.Entity{}
	if len(keys) == 0 {
		return out, nil
	}
	ids, err := s.store.EntityIDs(ctx, keys)
	if err != nil || len(ids) == 0 {
		return out, err
	}
	byID := map[int64][]string{}
	list := make([]int64, 0, len(ids))
	for k, id := range ids {
		if byID[id] == nil {
			list = append(list, id)
		}
		byID[id] = append(byID[id], k)
	}
	es, err := s.store.Entities(ctx, store.EntityQuery{IDs: list, Uncounted: true})
	if err != nil {
		return nil, err
	}
	topics, err := s.store.Entities(ctx, store.EntityQuery{IDs: list, PublicAt: s.now(), MinArticles: s.topicMinArticles(ctx)})
	if err != nil {
		return nil, err
	}
	public := map[int64]int{}
	for _, t := range topics {
		public[t.ID] = t.Articles
	}
	for i := range es {
		e := &es[i]
		e.Articles = public[e.ID]
		for _, k := range byID[e.ID] {
			out[k] = e
		}
	}
	return out, nil
}

// maxKeyphraseTopics bounds the topic pages a keyphrase is compared
// with: the names holding it, most named first.
const maxKeyphraseTopics = 5

// KeyphraseTopics returns the topic pages whose entity's name or one of
// its names holds phrase, with their names, for the SEO analysis to
// tell whether a focus keyphrase is one of them (seo.SiteFacts.Topics).
func (s *Service) KeyphraseTopics(ctx context.Context, phrase string) ([]seo.Topic, error) {
	phrase = strings.Join(strings.Fields(phrase), " ")
	if phrase == "" {
		return nil, nil
	}
	es, err := s.store.Entities(ctx, store.EntityQuery{Name: phrase, PublicAt: s.now(), MinArticles: s.topicMinArticles(ctx), Limit: maxKeyphraseTopics})
	if err != nil {
		return nil, err
	}
	topics := make([]seo.Topic, 0, len(es))
	for _, e := range es {
		aliases, err := s.store.Aliases(ctx, e.ID)
		if err != nil {
			return nil, err
		}
		t := seo.Topic{Name: e.Name, Path: urls.Topic(e.Slug)}
		if e.Initials != "" {
			t.Names = append(t.Names, e.Initials)
		}
		for _, a := range aliases {
			t.Names = append(t.Names, a.Name)
		}
		topics = append(topics, t)
	}
	return topics, nil
}

// TopicMinArticles is how many public articles give an entity a topic
// page on this site: the setting, or DefaultTopicMinArticles when it is
// unset.
func (s *Service) TopicMinArticles(ctx context.Context) (int, error) {
	site, err := s.store.SiteSettings(ctx)
	if err != nil {
		return 0, err
	}
	if n, err := strconv.Atoi(site.TopicMinArticles); err == nil && n > 0 {
		return n, nil
	}
	return DefaultTopicMinArticles, nil
}

// topicMinArticles is TopicMinArticles, or DefaultTopicMinArticles when
// the settings cannot be read (a suggestion is no reason to fail the
// editor's panel).
func (s *Service) topicMinArticles(ctx context.Context) int {
	n, err := s.TopicMinArticles(ctx)
	if err != nil {
		s.logger.Error("read the topic pages' threshold", "err", err)
		return DefaultTopicMinArticles
	}
	return n
}

// mentionReason says how a text names an entity: its spellings, most
// written first, with their counts ("mentions Pakistan 3× and Pakistani
// 2×"), and whether the title does.
func mentionReason(text entity.Text, mentions []entity.Mention) string {
	counts := map[string]int{}
	var forms []string
	inTitle := false
	for _, m := range mentions {
		field := text.Body
		switch m.Field {
		case entity.InTitle:
			field, inTitle = text.Title, true
		case entity.InStandfirst:
			field = text.Standfirst
		}
		if m.Start < 0 || m.End > len(field) || m.Start >= m.End {
			continue
		}
		form := strings.Join(strings.Fields(field[m.Start:m.End]), " ")
		if counts[form] == 0 {
			forms = append(forms, form)
		}
		counts[form]++
	}
	slices.SortStableFunc(forms, func(a, b string) int { return counts[b] - counts[a] })
	const shown = 3
	var parts []string
	for i, f := range forms {
		if i == shown {
			rest := 0
			for _, g := range forms[shown:] {
				rest += counts[g]
			}
			parts = append(parts, fmt.Sprintf("%d× otherwise", rest))
			break
		}
		parts = append(parts, fmt.Sprintf("%s %d×", f, counts[f]))
	}
	reason := "mentions " + joinAnd(parts)
	if inTitle {
		reason += ", in the title too"
	}
	return reason
}

// joinAnd joins "a", "b" and "c" as "a, b and c".
func joinAnd(parts []string) string {
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// suggestTags looks up the site's tags named as the salient entities are
// (by name, initials or spelling) and as the phrases the text repeats,
// leaving out the slugs of has.
func (s *Service) suggestTags(ctx context.Context, text entity.Text, salient []entity.Found, has map[string]bool) ([]TagSuggestion, error) {
	type candidate struct{ name, reason string }
	var candidates []candidate
	for _, f := range salient {
		why := fmt.Sprintf("the %s %s: the text %s", kindWord(f.Kind), f.Name, mentionReason(text, f.Mentions))
		candidates = append(candidates, candidate{f.Name, why})
		if f.Initials != "" {
			candidates = append(candidates, candidate{f.Initials, why})
		}
	}
	for _, p := range repeatedPhrases(text, phraseLookups) {
		candidates = append(candidates, candidate{p.phrase, fmt.Sprintf("the text writes “%s” %d×", p.phrase, p.count)})
	}
	var out []TagSuggestion
	looked := map[string]bool{}
	for _, c := range candidates {
		slug := article.Slugify(c.name)
		if slug == "" || looked[slug] || has[slug] {
			continue
		}
		looked[slug] = true
		t, err := s.store.Tag(ctx, slug)
		if errors.Is(err, store.ErrNotFound) {
			continue
		} else if err != nil {
			return nil, err
		}
		out = append(out, TagSuggestion{Name: t.Name, Slug: t.Slug, Reason: c.reason})
		if len(out) == maxTagSuggestions {
			break
		}
	}
	return out, nil
}

// kindWord names a kind in a sentence.
func kindWord(k entity.Kind) string {
	if k == entity.Organisation {
		return "organisation"
	}
	return string(k)
}

// phraseCount is a phrase a text repeats and how often.
type phraseCount struct {
	phrase string
	count  int
}

// Repetition that makes a phrase a tag candidate: a word of its own must
// come back more often than a phrase of several.
const (
	minWordRepeats   = 3
	minPhraseRepeats = 2
	minWordLen       = 4
)

// repeatedPhrases returns at most limit phrases of one to three words
// that the text writes repeatedly, neither starting nor ending with a
// little word, most written first (longer first among equals).
func repeatedPhrases(text entity.Text, limit int) []phraseCount {
	counts := map[string]int{}
	var order []string
	for _, field := range []string{text.Title, text.Standfirst, text.Body} {
		for _, sentence := range strings.FieldsFunc(field, func(r rune) bool { return strings.ContainsRune(".!?;:\n", r) }) {
			words := strings.FieldsFunc(strings.ToLower(sentence), func(r rune) bool {
				return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '\''
			})
			for i := range words {
				for n := 1; n <= 3 && i+n <= len(words); n++ {
					first, last := words[i], words[i+n-1]
					if littleWords[first] || littleWords[last] || n == 1 && len([]rune(first)) < minWordLen {
						continue
					}
					p := strings.Join(words[i:i+n], " ")
					if counts[p] == 0 {
						order = append(order, p)
					}
					counts[p]++
				}
			}
		}
	}
	var out []phraseCount
	for _, p := range order {
		need := minPhraseRepeats
		if !strings.Contains(p, " ") {
			need = minWordRepeats
		}
		if counts[p] >= need {
			out = append(out, phraseCount{p, counts[p]})
		}
	}
	slices.SortStableFunc(out, func(a, b phraseCount) int {
		if a.count != b.count {
			return b.count - a.count
		}
		return strings.Count(b.phrase, " ") - strings.Count(a.phrase, " ")
	})
	return out[:min(limit, len(out))]
}

// littleWords are English words no tag starts or ends with.
var littleWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an the and or but nor of in on at to for from by with as into onto over under about after before
		is are was were be been being has have had do does did will would can could should may might must shall
		it its this that these those there their they them he she his her him we our you your i me my
		not no so than then also said says say more most very just only what which who whom whose when where why how
		all any some each other such one two three new last first`) {
		littleWords[w] = true
	}
}

// suggestSections counts the sections of the newest public articles
// (other than the draft, articleID) naming the draft's most salient known
// entities, and suggests the most used, other than current.
func (s *Service) suggestSections(ctx context.Context, articleID int64, current string, salient []entity.Found, known map[string]*entity.Entity) ([]SectionSuggestion, error) {
	type tally struct {
		section article.Section
		score   int
		// best is the entity that puts the most articles there, for the
		// reason.
		best  string
		bestN int
	}
	tallies := map[string]*tally{}
	var order []string
	looked := map[int64]bool{}
	for _, f := range salient {
		e := known[entity.Key(f)]
		if e == nil || e.Banned || looked[e.ID] {
			continue
		}
		if len(looked) == sectionEntities {
			break
		}
		looked[e.ID] = true
		as, err := s.store.Articles(ctx, store.ArticleQuery{EntityID: e.ID, PublicAt: s.now(), Kind: article.Story, Limit: sectionSample})
		if err != nil {
			return nil, err
		}
		n, bySection := 0, map[string]int{}
		for _, a := range as {
			if a.ID == articleID || a.Section == nil {
				continue
			}
			n++
			bySection[a.Section.Slug]++
			if tallies[a.Section.Slug] == nil {
				tallies[a.Section.Slug] = &tally{section: *a.Section}
				order = append(order, a.Section.Slug)
			}
		}
		for slug, c := range bySection {
			t := tallies[slug]
			t.score += c
			if c > t.bestN {
				t.bestN, t.best = c, fmt.Sprintf("%d of the %d articles naming %s", c, n, e.Name)
				if c == n {
					t.best = fmt.Sprintf("all %d articles naming %s", n, e.Name)
				}
			}
		}
	}
	slices.SortStableFunc(order, func(a, b string) int { return tallies[b].score - tallies[a].score })
	var out []SectionSuggestion
	for _, slug := range order {
		t := tallies[slug]
		// One article is a coincidence, not a habit of the newsroom.
		if slug == current || t.bestN < 2 {
			continue
		}
		out = append(out, SectionSuggestion{Slug: slug, Name: t.section.Name, Reason: fmt.Sprintf("%s are in %s", t.best, t.section.Name)})
		if len(out) == maxSectionSuggestions {
			break
		}
	}
	return out, nil
}
