// Command evalentities measures how well the entity extractor finds the
// places of wire stories that editors labelled (scripts/eval-entities.sh):
// for each article of a JSON-lines file of Reuters-21578 stories (title,
// dateline, body, and the editors' places as codes such as "usa" or
// "hong-kong"), it finds the places the article names, maps each to the
// codes the gazetteer knows for its country (its name spelled as a code,
// its ISO 3166 codes, its other codes and names), and counts precision,
// recall and F1 over every article's places. Beside it, in the same run,
// the baseline the issue names: the label codes themselves looked for in
// the text as words ("hong kong", "usa").
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/datelinehq/dateline/internal/entity"
)

type story struct {
	Title    string   `json:"title"`
	Dateline string   `json:"dateline"`
	Body     string   `json:"body"`
	Places   []string `json:"places"`
	People   []string `json:"people"`
	Orgs     []string `json:"orgs"`
}

// score counts matches of found codes against labelled ones.
type score struct{ tp, fp, fn int }

func (s *score) add(found, want []string) {
	for _, f := range found {
		if slices.Contains(want, f) {
			s.tp++
		} else {
			s.fp++
		}
	}
	for _, w := range want {
		if !slices.Contains(found, w) {
			s.fn++
		}
	}
}

func (s score) String() string {
	p := float64(s.tp) / float64(max(1, s.tp+s.fp))
	r := float64(s.tp) / float64(max(1, s.tp+s.fn))
	f := 0.0
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return fmt.Sprintf("precision %.3f, recall %.3f, F1 %.3f (%d found right, %d wrong, %d missed)", p, r, f, s.tp, s.fp, s.fn)
}

func main() {
	in := flag.String("in", "", "the labelled stories, JSON lines")
	showErrors := flag.Bool("errors", false, "print each place found wrongly (FP) or missed (FN), for counting with sort | uniq -c")
	minSalience := flag.Float64("min-salience", entity.MinSalience, "count only the places at least this salient (0 to 1; 0 counts every mention)")
	flag.Parse()
	if *in == "" {
		log.Fatal("evalentities: give -in")
	}
	g, err := entity.Default()
	if err != nil {
		log.Fatal(err)
	}
	stories, labels, err := read(*in)
	if err != nil {
		log.Fatalf("evalentities: %s: %v", *in, err)
	}
	var ours, base, people, orgs score
	articles := 0
	for _, st := range stories {
		// Wire copy opens with its dateline: "HONG KONG, April 8 -".
		text := entity.Text{Title: st.Title, Body: st.Dateline + " " + st.Body}
		var foundPeople, foundOrgs []string
		for _, f := range g.Extract(text) {
			if f.Salience < *minSalience {
				continue
			}
			switch f.Kind {
			case entity.Person:
				foundPeople = appendNew(foundPeople, personCode(f.Name, st.People))
			case entity.Organisation:
				foundOrgs = appendNew(foundOrgs, orgCode(f, st.Orgs))
			}
		}
		// People and organisations: every story counts (most have none).
		people.add(foundPeople, st.People)
		orgs.add(foundOrgs, st.Orgs)

		if len(st.Places) == 0 {
			continue // stories the editors gave no place are left out, as having no answer to check
		}
		articles++
		var found []string
		for _, f := range g.Places(text) {
			if f.Salience < *minSalience {
				continue
			}
			if code := codeOf(f.Place.Country, labels); code != "" && !slices.Contains(found, code) {
				found = append(found, code)
			}
		}
		ours.add(found, st.Places)
		if *showErrors {
			for _, f := range found {
				if !slices.Contains(st.Places, f) {
					fmt.Println("FP", f)
				}
			}
			for _, w := range st.Places {
				if !slices.Contains(found, w) {
					fmt.Println("FN", w)
				}
			}
		}
		base.add(baseline(text, labels), st.Places)
	}
	fmt.Printf("evalentities: %d labelled stories of %s; places of salience %.2f or more\n", articles, *in, *minSalience)
	fmt.Printf("  places, baseline (the label codes as words): %s\n", base)
	fmt.Printf("  places, entity extractor:                   %s\n", ours)
	fmt.Printf("  people (every story):                       %s\n", people)
	fmt.Printf("  organisations (every story):                %s\n", orgs)
}

// personCode is the label a person found is given: one of want that is
// their name or last name spelled as a code, else the full name's code.
func personCode(name string, want []string) string {
	full := slug(name)
	words := strings.Fields(name)
	last := slug(words[len(words)-1])
	for _, w := range want {
		if w == full || w == last {
			return w
		}
	}
	return full
}

// orgCode is the label an organisation found is given: one of want that
// is its initials or its name as a code (with or without hyphens), else
// its initials or name.
func orgCode(f entity.Found, want []string) string {
	candidates := []string{strings.ToLower(f.Initials), slug(f.Name), strings.ReplaceAll(slug(f.Name), "-", "")}
	for _, w := range want {
		if slices.Contains(candidates, w) {
			return w
		}
	}
	if f.Initials != "" {
		return strings.ToLower(f.Initials)
	}
	return slug(f.Name)
}

func appendNew(list []string, s string) []string {
	if s == "" || slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// read reads the stories and the set of every place code they use.
func read(path string) ([]story, map[string]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	var stories []story
	labels := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var st story
		if err := json.Unmarshal(sc.Bytes(), &st); err != nil {
			return nil, nil, err
		}
		for _, p := range st.Places {
			labels[p] = true
		}
		stories = append(stories, st)
	}
	return stories, labels, sc.Err()
}

// codeOf is the label code of a country: the first of its name spelled as
// a code, its ISO 3166 codes, its other codes and its other names that
// the labels use; "" when they use none.
func codeOf(c *entity.Country, labels map[string]bool) string {
	candidates := []string{slug(c.Name), strings.ToLower(c.ISO3), strings.ToLower(c.ISO2)}
	for _, code := range c.Codes {
		candidates = append(candidates, strings.ToLower(code))
	}
	for _, n := range c.OtherNames {
		candidates = append(candidates, slug(n))
	}
	for _, code := range candidates {
		if labels[code] {
			return code
		}
	}
	return ""
}

var nonLetters = regexp.MustCompile(`[^a-z0-9]+`)

func slug(name string) string {
	return strings.Trim(nonLetters.ReplaceAllString(strings.ToLower(name), "-"), "-")
}

// baseline finds the label codes spelled in the text as words, any case.
func baseline(t entity.Text, labels map[string]bool) []string {
	text := " " + nonLetters.ReplaceAllString(strings.ToLower(t.Title+" "+t.Body), " ") + " "
	var found []string
	for code := range labels {
		if strings.Contains(text, " "+strings.ReplaceAll(code, "-", " ")+" ") {
			found = append(found, code)
		}
	}
	return found
}
