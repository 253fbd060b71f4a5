package entity

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind is what an entity is.
type Kind string

// The kinds of entity.
const (
	Person       Kind = "person"
	Organisation Kind = "organisation"
	PlaceKind    Kind = "place"
)

// Text is what of an article entities are found in. Names in the title,
// the standfirst and the first paragraph count more.
type Text struct {
	Title, Standfirst, Body string
}

// Field names a part of a Text.
type Field string

// The parts of a Text.
const (
	InTitle      Field = "title"
	InStandfirst Field = "standfirst"
	InBody       Field = "body"
)

// Mention is where a text names an entity: bytes Start to End of Field.
type Mention struct {
	Field      Field
	Start, End int
}

// Found is an entity a text names.
type Found struct {
	Kind  Kind
	Name  string // the entity's name: the country's or city's, not the text's spelling
	Place *Place // for a place
	// Initials are an organisation's, when the text gives them ("TTP").
	Initials string
	// Mentions are where the text names it, in order.
	Mentions []Mention
	// Salience is how much the text is about it, from 0 to 1: the
	// weighted count of its mentions (a title's counts 3, the
	// standfirst's and the first paragraph's 2, the rest 1) over the
	// most mentioned entity's.
	Salience float64
}

// MinSalience is the salience below which a place is a passing mention,
// not one the article is about: named less than a third as much as the
// place it is most about.
const MinSalience = 0.3

// Field weights of a mention, for salience.
const (
	titleWeight = 3
	leadWeight  = 2
	bodyWeight  = 1
)

// Places finds the places text names: countries (by their names, their
// other names, their people's names, and codes written with dots, such
// as U.S.) and cities. A city is its own place, in its country. They come
// most salient first.
func (g *Gazetteer) Places(text Text) []Found {
	c := newCollector()
	g.collectPlaces(c, text, tokenizeText(text))
	return c.found()
}

// Extract finds the places, people and organisations text names, most
// salient first (see Places, and collectNames for the people and
// organisations).
func (g *Gazetteer) Extract(text Text) []Found {
	return g.extractTokens(text, tokenizeText(text))
}

func (g *Gazetteer) extractTokens(text Text, toks textTokens) []Found {
	c := newCollector()
	g.collectPlaces(c, text, toks)
	g.collectNames(c, text, toks, nil)
	return c.found()
}

// textTokens are the tokens of a Text's fields, made once for every rule.
type textTokens struct{ title, standfirst, body []token }

func tokenizeText(text Text) textTokens {
	return textTokens{tokenize(text.Title), tokenize(text.Standfirst), tokenize(text.Body)}
}

func (g *Gazetteer) collectPlaces(c *collector, text Text, toks textTokens) {
	scan := func(field Field, ts []token, lead int) {
		for _, m := range g.scanTokens(ts) {
			c.add(m.place, Found{Kind: PlaceKind, Name: m.place.Name, Place: m.place}, field, m.start, m.end, weightOf(field, m.start, lead))
		}
	}
	scan(InTitle, toks.title, 0)
	scan(InStandfirst, toks.standfirst, 0)
	scan(InBody, toks.body, firstParagraphEnd(text.Body))
	// A wire dateline's state, abbreviated: "STAMFORD, Conn., April 8 -".
	if p, start, end := g.datelineRegion(text.Body); p != nil {
		c.add(p, Found{Kind: PlaceKind, Name: p.Name, Place: p}, InBody, start, end, leadWeight)
	}
}

// weightOf is a mention's weight: a title's, the standfirst's or the
// lead's (before byte lead of the body), or the rest's.
func weightOf(field Field, start, lead int) float64 {
	switch {
	case field == InTitle:
		return titleWeight
	case field == InStandfirst || start < lead:
		return leadWeight
	}
	return bodyWeight
}

// collector gathers the mentions of entities, by a key of each.
type collector struct {
	byKey   map[any]*Found
	order   []*Found
	weights map[*Found]float64
}

func newCollector() *collector {
	return &collector{byKey: map[any]*Found{}, weights: map[*Found]float64{}}
}

// add records a mention of the entity of key (proto the first time).
func (c *collector) add(key any, proto Found, field Field, start, end int, weight float64) {
	f := c.byKey[key]
	if f == nil {
		f = &proto
		c.byKey[key] = f
		c.order = append(c.order, f)
	}
	f.Mentions = append(f.Mentions, Mention{Field: field, Start: start, End: end})
	c.weights[f] += weight
}

// found are the entities gathered, with their salience, most salient
// first.
func (c *collector) found() []Found {
	var most float64
	for _, w := range c.weights {
		most = max(most, w)
	}
	out := make([]Found, 0, len(c.order))
	for _, f := range c.order {
		f.Salience = c.weights[f] / most
		out = append(out, *f)
	}
	slices.SortStableFunc(out, func(a, b Found) int {
		switch {
		case a.Salience > b.Salience:
			return -1
		case a.Salience < b.Salience:
			return 1
		}
		return 0
	})
	return out
}

// dateline matches a wire story's dateline: the place, the state or
// province after a comma, then the date ("MOUNTAIN VIEW, Calif., April 8
// -", "GLEN COVE, N.Y., April 8 -").
var dateline = regexp.MustCompile(`^\s*([A-Z][A-Za-z .'-]{1,40}), ((?:[A-Z][a-z]{1,5}\.)|(?:[A-Z]\.){2,3}), (?:Jan|Feb|March|Mar|April|Apr|May|June|Jun|July|Jul|Aug|Sept|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}\b`)

// datelineRegion is the state or province a dateline at the start of
// body abbreviates, when one region alone fits: its letters as the code
// of its ISO 3166-2 code ("N.Y." is US-NY), or as the start of its name
// ("Calif." is California). Of several that fit, the one in the country
// of the dateline's town, when the gazetteer knows the town ("STAMFORD,
// Conn.": Connecticut, not Ireland's Connacht).
func (g *Gazetteer) datelineRegion(body string) (p *Place, start, end int) {
	m := dateline.FindStringSubmatchIndex(body)
	if m == nil {
		return nil, 0, 0
	}
	start, end = m[4], m[5]
	abbr := body[start:end]
	var fits []*Place
	if letters := strings.ReplaceAll(abbr, ".", ""); strings.Count(abbr, ".") > 1 {
		fits = slices.Clone(g.regionCodes[letters])
	} else {
		// The name's first letters: "Calif.", "Conn.", "Mass.".
		letters := fold(strings.TrimSuffix(abbr, "."))
		for _, r := range g.regions {
			if strings.HasPrefix(fold(r.Name), letters) {
				fits = append(fits, r)
			}
		}
	}
	if len(fits) > 1 {
		var town []*Country
		line := body
		if nl := strings.IndexByte(body, '\n'); nl >= 0 {
			line = body[:nl]
		}
		for _, mt := range g.scan(line) { // the line, whose case tells capitals from words
			if mt.end <= m[3] {
				town = append(town, mt.place.Country)
			}
		}
		fits = slices.DeleteFunc(fits, func(p *Place) bool { return !slices.Contains(town, p.Country) })
	}
	if len(fits) != 1 {
		return nil, 0, 0
	}
	return fits[0], start, end
}

// firstParagraphEnd is where body's first paragraph ends (a blank line,
// or a line that starts indented, as wire copy marks paragraphs).
func firstParagraphEnd(body string) int {
	start := 0
	for start < len(body) {
		nl := strings.IndexByte(body[start:], '\n')
		if nl < 0 {
			return len(body)
		}
		next := start + nl + 1
		rest := body[next:]
		if strings.HasPrefix(rest, "\n") || strings.HasPrefix(rest, "\r\n") || strings.HasPrefix(rest, "  ") || strings.HasPrefix(rest, "\t") {
			return next
		}
		start = next
	}
	return len(body)
}

// token is a word of a text, with what the rules need to know of it.
type token struct {
	text       string // as written
	folded     string
	start, end int
	capital    bool   // starts with a capital letter
	allCaps    bool   // on a line written in capitals (a wire headline, a dateline)
	sentence   bool   // the first word of a sentence
	dotted     string // the letters of an abbreviation written with dots ("US" of U.S.), else ""
	commaAfter bool
}

type match struct {
	place      *Place
	start, end int
}

// scan finds the place names in s.
func (g *Gazetteer) scan(s string) []match { return g.scanTokens(tokenize(s)) }

// scanTokens finds the place names in a text's tokens.
func (g *Gazetteer) scanTokens(toks []token) []match {
	lower := lowerWords{toks: toks}
	var out []match
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.dotted != "" {
			if c := g.codes[t.dotted]; c != nil {
				out = append(out, match{place: g.countryPlace(c), start: t.start, end: t.end})
			}
			continue
		}
		if !t.capital && !t.allCaps {
			continue
		}
		e, n, ok := g.longest(toks, i)
		if !ok {
			continue
		}
		last := toks[i+n-1]
		if !last.capital && !last.allCaps {
			continue
		}
		if !t.allCaps && !g.plausible(toks, i, n, e, &lower) {
			continue
		}
		// Capitals tell nothing in a line written in them: a word that
		// names a town ("SALE") is taken for one only in mixed case.
		if t.allCaps && n == 1 && (e.place.City || e.place.Region) && !e.capital {
			continue
		}
		out = append(out, match{place: e.place, start: t.start, end: last.end})
		i += n - 1
	}
	return out
}

// longest is the longest name that starts at toks[i]; ok is false when
// there is none, or when it names several places (an ambiguous name, such
// as "Korea" or a city name two countries have, is left out).
func (g *Gazetteer) longest(toks []token, i int) (nameEntry, int, bool) {
	var best []nameEntry
	bestLen := 0
	for _, e := range g.names[toks[i].folded] {
		n := len(e.words)
		if i+n > len(toks) || n < bestLen {
			continue
		}
		same := true
		for k := 1; k < n; k++ {
			if toks[i+k].folded != e.words[k] || toks[i+k].dotted != "" {
				same = false
				break
			}
		}
		if !same {
			continue
		}
		if n > bestLen {
			best, bestLen = best[:0], n
		}
		best = append(best, e)
	}
	if len(best) == 0 {
		return nameEntry{}, 0, false
	}
	// Cities of one name in several countries, or a name two countries
	// share: the text does not say which. A country and its own city of
	// the same name are the country.
	pick := best[0]
	for _, e := range best[1:] {
		switch {
		case e.place.Country != pick.place.Country:
			return nameEntry{}, 0, false
		case !e.place.City && !e.place.Region:
			pick = e
		}
	}
	return pick, bestLen, true
}

// plausible applies the rules of context to a name found in mixed-case
// text at toks[i:i+n].
func (g *Gazetteer) plausible(toks []token, i, n int, e nameEntry, lower *lowerWords) bool {
	t := toks[i]
	// Part of a longer name: "New Jersey" is not Jersey, "Jordan
	// Henderson" not Jordan, "Pakistan Tehreek-e-Insaf" not Pakistan.
	// A people's name goes on ("Japanese Prime Minister"), as does a
	// place named before a title ("U.S. Treasury" is dotted, above).
	if i > 0 && !t.sentence && toks[i-1].capital && !toks[i-1].allCaps && toks[i-1].end+1 >= t.start && !isTitleWord(toks[i-1].folded) {
		return false
	}
	if after := i + n; after < len(toks) && !e.demonym && toks[after].capital && !toks[after].sentence && !toks[i+n-1].commaAfter {
		if _, _, place := g.longest(toks, after); !place && !isTitleWord(toks[after].folded) {
			return false
		}
	}
	if n == 1 && t.sentence && lower.has(t.folded) {
		return false // "Turkey prices rose" where the text has "turkey"
	}
	// A city at a sentence's start may be a word or a person's name
	// ("Reading the figures, ..."): it counts when it is a capital, or
	// followed by a comma, as in a dateline.
	if (e.place.City || e.place.Region) && t.sentence && !e.capital && !toks[i+n-1].commaAfter {
		return false
	}
	return true
}

// lowerWords tells whether a text writes a word in lower case. A
// single-word name written so anywhere in the text is a common word there
// ("turkey", "reading"): written with a capital at a sentence's start, it
// is that word. Few words are asked about, so each is looked for in the
// tokens (a word of another length costs a comparison of lengths) rather
// than every token put in a set.
type lowerWords struct {
	toks  []token
	asked []lowerWord
}

type lowerWord struct {
	word  string
	lower bool
}

func (l *lowerWords) has(w string) bool {
	for _, a := range l.asked {
		if a.word == w {
			return a.lower
		}
	}
	lower := false
	for _, t := range l.toks {
		if t.folded == w && !t.capital && !t.allCaps {
			lower = true
			break
		}
	}
	l.asked = append(l.asked, lowerWord{w, lower})
	return lower
}

// isTitleWord reports whether w (folded) is a word of offices and bodies
// that a place name comes before or after: "Pakistan's Defence Minister",
// "Defence Minister Khawaja Asif".
func isTitleWord(w string) bool {
	switch w {
	case "president", "minister", "prime", "foreign", "defence", "defense", "finance", "interior", "trade",
		"government", "ministry", "embassy", "ambassador", "army", "navy", "police", "parliament", "senate",
		"congress", "central", "national", "federal", "state", "king", "queen", "prince", "premier", "chancellor":
		return true
	}
	return false
}

// tokenize splits s into words, marking capitals, sentence starts, lines
// in capitals and abbreviations written with dots.
func tokenize(s string) []token {
	toks := make([]token, 0, len(s)/7+1) // a word of news copy takes about seven bytes with its space
	sentence := true
	lineCaps := allCapsLines(s)
	i := 0
	for i < len(s) {
		// ASCII, most of news copy, without decoding.
		if c := s[i]; c < utf8.RuneSelf && !isASCIIWordByte(c) {
			switch c {
			case '.', '!', '?', ':', ';', '\n', '"', '(', ')', '-':
				if c != '-' || i+1 < len(s) && s[i+1] == ' ' {
					sentence = true
				}
			case ',':
				if len(toks) > 0 {
					toks[len(toks)-1].commaAfter = true
				}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r >= utf8.RuneSelf && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			i += size
			continue
		}
		start := i
		for i < len(s) {
			c := s[i]
			if c < utf8.RuneSelf {
				if isASCIIWordByte(c) || c == '\'' ||
					c == '.' && i+1 < len(s) && isUpperAt(s, i+1) && i-start <= 2 { // U.S., U.A.E.
					i++
					continue
				}
				break
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '’' {
				i += size
				continue
			}
			break
		}
		word := s[start:i]
		t := token{text: word, start: start, end: i, sentence: sentence, allCaps: lineCaps.at(start)}
		if c := word[0]; c < utf8.RuneSelf {
			t.capital = 'A' <= c && c <= 'Z'
		} else {
			first, _ := utf8.DecodeRuneInString(word)
			t.capital = unicode.IsUpper(first)
		}
		if t.capital && i < len(s) && s[i] == '.' || i-start == 1 && i < len(s) && s[i] == '.' {
			if d := dottedLetters(s, start, &i); d != "" {
				t.dotted, t.end, t.text = d, i, s[start:i]
			}
		}
		word = strings.TrimSuffix(strings.TrimSuffix(t.text, "'s"), "’s")
		name := trimApostrophesRight(word)
		t.folded = fold(trimApostrophesLeft(name))
		// A possessive is not part of the name: "the Conservatives’ plan"
		// names the Conservatives.
		if name != "" && len(name) < len(t.text) && t.dotted == "" {
			t.text, t.end = name, start+len(name)
		}
		toks = append(toks, t)
		sentence = false
	}
	return toks
}

// trimApostrophesLeft and trimApostrophesRight take the apostrophes (' and
// ’) off one end of w; strings.Trim with a cutset is slower, and this
// runs for every word.
func trimApostrophesLeft(w string) string {
	for {
		switch {
		case strings.HasPrefix(w, "'"):
			w = w[1:]
		case strings.HasPrefix(w, "’"):
			w = w[len("’"):]
		default:
			return w
		}
	}
}

func trimApostrophesRight(w string) string {
	for {
		switch {
		case strings.HasSuffix(w, "'"):
			w = w[:len(w)-1]
		case strings.HasSuffix(w, "’"):
			w = w[:len(w)-len("’")]
		default:
			return w
		}
	}
}

// isASCIIWordByte reports whether c, an ASCII byte, is a letter or a
// digit.
func isASCIIWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// dottedLetters reads an abbreviation written with dots at s[start:]
// (U.S., U.K., U.A.E.): its letters, with *end moved past its last dot;
// "" for anything else.
func dottedLetters(s string, start int, end *int) string {
	var letters []byte
	i := start
	for i+1 < len(s) && s[i] >= 'A' && s[i] <= 'Z' && s[i+1] == '.' {
		letters = append(letters, s[i])
		i += 2
	}
	if len(letters) < 2 || i < len(s) && (s[i] >= 'A' && s[i] <= 'Z' || s[i] >= 'a' && s[i] <= 'z') {
		return ""
	}
	*end = i
	return string(letters)
}

func isUpperAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsUpper(r)
}

// allCapsLines finds the lines of s written in capitals: with letters,
// none in lower case. Its at answers for bytes asked in order.
func allCapsLines(s string) *capsLines {
	c := &capsLines{}
	for start := 0; start < len(s); {
		end := strings.IndexByte(s[start:], '\n')
		if end < 0 {
			end = len(s)
		} else {
			end += start
		}
		letters, lowers := 0, 0
		for _, r := range s[start:end] {
			if r < utf8.RuneSelf {
				switch {
				case 'a' <= r && r <= 'z':
					letters++
					lowers++
				case 'A' <= r && r <= 'Z':
					letters++
				}
			} else if unicode.IsLetter(r) {
				letters++
				if unicode.IsLower(r) {
					lowers++
				}
			}
			if lowers > 0 {
				break
			}
		}
		if letters >= 4 && lowers == 0 {
			c.spans = append(c.spans, [2]int{start, end})
		}
		start = end + 1
	}
	return c
}

// capsLines are the spans of the lines in capitals, and the first that
// may hold the next byte asked.
type capsLines struct {
	spans [][2]int
	next  int
}

// at reports whether byte i lies on a line in capitals; i must not be
// less than the last asked.
func (c *capsLines) at(i int) bool {
	for c.next < len(c.spans) && c.spans[c.next][1] <= i {
		c.next++
	}
	return c.next < len(c.spans) && i >= c.spans[c.next][0]
}

func (g *Gazetteer) countryPlace(c *Country) *Place {
	for _, e := range g.names[words(c.Name)[0]] {
		if !e.place.City && e.place.Country == c {
			return e.place
		}
	}
	return &Place{Name: c.Name, Country: c}
}
