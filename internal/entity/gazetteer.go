// Package entity finds the people, organisations and places an article
// names. This file is its gazetteer: the countries of the world with
// their names, demonyms and capitals, their states, provinces and
// regions, and the cities of 100,000 people or more, generated from open
// data (scripts/gen-gazetteer.sh) and embedded in the binary.
package entity

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

//go:embed places.tsv
var placesTSV string

// Country is a country as the gazetteer knows it.
type Country struct {
	ISO2, ISO3 string // ISO 3166-1 codes: "PK", "PAK"
	Name       string // its English short name: "Pakistan"
	// OtherNames are its official and other names; Codes its other codes
	// ("UK", "UAE").
	OtherNames, Codes []string
}

// Place is a place the gazetteer knows: a country, or a region or a city
// in one.
type Place struct {
	Name    string
	Country *Country
	City    bool // a city
	Region  bool // a state, province or region (ISO 3166-2)
	// Population is a city's; 0 for the others.
	Population int
}

// Gazetteer looks places up by the names text gives them.
type Gazetteer struct {
	countries map[string]*Country // by ISO2
	// names are the places by folded name (see fold); a name of several
	// words is found by its first word, longest first.
	names names
	// codes are the countries by their codes and dotted abbreviations'
	// letters ("US" for U.S., "UAE"), for abbreviations written with dots.
	codes map[string]*Country
	// regions are the first-level divisions, and regionCodes them by
	// the code after their country's in ISO 3166-2 ("NY" of US-NY), for
	// datelines ("GLEN COVE, N.Y.").
	regions     []*Place
	regionCodes map[string][]*Place
}

// nameEntry is a name of a place, as folded words.
type nameEntry struct {
	words   []string
	place   *Place
	demonym bool // "Pakistani": the country, named by its people
	capital bool // the capital city, a country's metonym in news ("Islamabad said")
}

var (
	defaultOnce sync.Once
	defaultGaz  *Gazetteer
	defaultErr  error
)

// Default returns the embedded gazetteer, read at its first use.
func Default() (*Gazetteer, error) {
	defaultOnce.Do(func() { defaultGaz, defaultErr = parseGazetteer(placesTSV) })
	return defaultGaz, defaultErr
}

// Country returns the country with the ISO 3166-1 alpha-2 code iso2.
func (g *Gazetteer) Country(iso2 string) *Country { return g.countries[strings.ToUpper(iso2)] }

func parseGazetteer(tsv string) (*Gazetteer, error) {
	g := &Gazetteer{countries: map[string]*Country{}, names: names{}, codes: map[string]*Country{}, regionCodes: map[string][]*Place{}}
	type cityLine struct {
		country, name string
		population    int
	}
	var cities []cityLine
	type cityName struct {
		place   *Place
		capital bool
	}
	var shortNames []cityName
	for n, line := range strings.Split(tsv, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		switch {
		case f[0] == "country" && len(f) == 8:
			c := &Country{ISO2: f[1], ISO3: f[2], Name: f[3]}
			g.countries[c.ISO2] = c
			p := &Place{Name: c.Name, Country: c}
			g.add(c.Name, nameEntry{place: p})
			for _, alt := range split(f[4]) {
				g.add(alt, nameEntry{place: p})
			}
			for _, d := range split(f[5]) {
				g.add(d, nameEntry{place: p, demonym: true})
			}
			g.codes[c.ISO2], g.codes[c.ISO3] = c, c
			for _, code := range split(f[7]) {
				g.codes[code] = c
				c.Codes = append(c.Codes, code)
			}
			for _, alt := range split(f[4]) {
				c.OtherNames = append(c.OtherNames, alt)
				if isCode(alt) {
					g.codes[alt] = c
				}
			}
		case f[0] == "region" && len(f) == 4:
			country := g.countries[f[1]]
			if country == nil {
				return nil, fmt.Errorf("places.tsv:%d: region of a country not listed before it", n+1)
			}
			p := &Place{Name: f[3], Country: country, Region: true}
			g.add(p.Name, nameEntry{place: p})
			g.regions = append(g.regions, p)
			g.regionCodes[f[2]] = append(g.regionCodes[f[2]], p)
		case f[0] == "city" && len(f) == 4:
			pop, err := strconv.Atoi(f[2])
			if err != nil {
				return nil, fmt.Errorf("places.tsv:%d: population %q", n+1, f[2])
			}
			cities = append(cities, cityLine{f[1], f[3], pop})
		default:
			return nil, fmt.Errorf("places.tsv:%d: not a country or a city line", n+1)
		}
	}
	capitals := map[string]bool{}
	for _, line := range strings.Split(tsv, "\n") {
		if f := strings.Split(line, "\t"); f[0] == "country" && len(f) == 8 {
			for _, c := range split(f[6]) {
				capitals[f[1]+"\t"+fold(c)] = true
			}
		}
	}
	for _, c := range cities {
		country := g.countries[c.country]
		if country == nil {
			continue // a territory the country list leaves out
		}
		p := &Place{Name: c.name, Country: country, City: true, Population: c.population}
		capital := capitals[c.country+"\t"+fold(c.name)]
		g.add(c.name, nameEntry{place: p, capital: capital})
		shortNames = append(shortNames, cityName{p, capital})
	}
	// A city is written without the "City" or ", D.C." of its name ("New
	// York", "Washington") unless that names another place ("Mexico").
	for _, c := range shortNames {
		short, ok := strings.CutSuffix(c.place.Name, " City")
		if !ok {
			short, ok = strings.CutSuffix(c.place.Name, ", D.C.")
		}
		if w := words(short); ok && len(w) > 0 && !g.names.has(w) {
			g.add(short, nameEntry{place: c.place, capital: c.capital})
		}
	}
	return g, nil
}

// names are the places' names by their first folded word.
type names map[string][]nameEntry

// has reports whether some place has the name of words w.
func (n names) has(w []string) bool {
	for _, e := range n[w[0]] {
		if equalWords(e.words, w) {
			return true
		}
	}
	return false
}

func split(field string) []string {
	if field == "" {
		return nil
	}
	return strings.Split(field, "|")
}

// isCode reports whether s is a code such as "USA" or "DRC".
func isCode(s string) bool {
	if len(s) < 2 || len(s) > 4 {
		return false
	}
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// add files e under name, unless the same place has it already. A city
// or region named as its country ("Djibouti", "Singapore") is the
// country.
func (g *Gazetteer) add(name string, e nameEntry) {
	e.words = words(name)
	if len(e.words) == 0 {
		return
	}
	key := e.words[0]
	for _, o := range g.names[key] {
		if equalWords(o.words, e.words) && (o.place == e.place || !o.place.City && !o.place.Region && o.place.Country == e.place.Country) {
			return
		}
	}
	g.names[key] = append(g.names[key], e)
}

func equalWords(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// words splits a name into folded words.
func words(name string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' }) {
		out = append(out, fold(w))
	}
	return out
}

// fold is a word as names are compared: lower case, without accents
// ("Türkiye" and "Turkiye", "Côte" and "Cote" are one).
func fold(s string) string {
	ascii, lower := true, true
	for i := 0; i < len(s); i++ {
		c := s[i]
		ascii = ascii && c < utf8.RuneSelf
		lower = lower && (c < 'A' || c > 'Z')
	}
	switch {
	case ascii && lower:
		return s
	case ascii:
		return strings.ToLower(s)
	}
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}
