package entity

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// collectNames finds the people and organisations text names, by the
// patterns news copy writes them in:
//
//   - a person after a title: "Defence Minister Khawaja Asif", "President
//     Reagan", "Mr Lawson"; later mentions by the last name alone count;
//   - an organisation whose name comes with its initials, either way:
//     "Tehrik-e-Taliban Pakistan (TTP)", "the TTP, or Tehrik-e-Taliban
//     Pakistan"; later mentions by the initials alone count;
//   - an organisation by the word its name ends with: "Federal Reserve
//     Bank", "Pakistan Peoples Party", "Texaco Inc";
//   - initials of three letters or more written twice or more ("OPEC"),
//     unless they are a common abbreviation (GDP, CEO) or a country's.
func (g *Gazetteer) collectNames(c *collector, text Text, tt textTokens, v *Vocabulary) {
	type field struct {
		name Field
		s    string
		toks []token
		lead int
	}
	fields := []field{{InTitle, text.Title, tt.title, 0}, {InStandfirst, text.Standfirst, tt.standfirst, 0}, {InBody, text.Body, tt.body, firstParagraphEnd(text.Body)}}
	people := map[string]string{}   // last name (folded) → full name
	initials := map[string]string{} // initials → organisation name
	acronyms := map[string]int{}    // initials written alone → times
	// covered marks, by field and token index, the tokens the first pass
	// took.
	covered := map[Field][]bool{}
	for _, f := range fields {
		covered[f.name] = make([]bool, len(f.toks))
	}
	cover := func(f Field, from, to int) {
		for i := from; i < to; i++ {
			covered[f][i] = true
		}
	}
	// First, the names that come with their initials, so that the
	// rules below see them taken.
	for _, f := range fields {
		toks := f.toks
		for i := range toks {
			if name, n, ok := expandedBefore(f.s, toks, i); ok {
				initials[toks[i].text] = name
				cover(f.name, i-n, i+1)
				c.add("org:"+name, Found{Kind: Organisation, Name: name, Initials: toks[i].text}, f.name, toks[i-n].start, toks[i].end, weightOf(f.name, toks[i-n].start, f.lead))
			} else if name, n, ok := expandedAfter(f.s, toks, i); ok {
				initials[toks[i].text] = name
				cover(f.name, i, i+2+n)
				c.add("org:"+name, Found{Kind: Organisation, Name: name, Initials: toks[i].text}, f.name, toks[i].start, toks[i+1+n].end, weightOf(f.name, toks[i].start, f.lead))
			}
		}
	}
	for _, f := range fields {
		toks, cov := f.toks, covered[f.name]
		for i := 0; i < len(toks); i++ {
			t := toks[i]
			if cov[i] {
				continue
			}
			if isInitials(t.text) && !t.allCaps {
				acronyms[t.text]++
			}
			if n, ok := personAfterTitle(toks, i); ok {
				name := span(f.s, toks[i:i+n])
				cover(f.name, i, i+n)
				people[toks[i+n-1].folded] = name
				c.add("person:"+name, Found{Kind: Person, Name: name}, f.name, toks[i].start, toks[i+n-1].end, weightOf(f.name, toks[i].start, f.lead))
				i += n - 1
				continue
			}
			if n, ok := organisationBySuffix(toks, i); ok && !cov[i+n-1] {
				name := span(f.s, toks[i:i+n])
				cover(f.name, i, i+n)
				c.add("org:"+name, Found{Kind: Organisation, Name: name}, f.name, toks[i].start, toks[i+n-1].end, weightOf(f.name, toks[i].start, f.lead))
				i += n - 1
				continue
			}
		}
	}
	// Second pass: the short mentions of what the first named in full.
	for _, f := range fields {
		toks, cov := f.toks, covered[f.name]
		for i, t := range toks {
			if cov[i] {
				continue
			}
			var byInitials learned
			var knownInitials bool
			if isInitials(t.text) {
				byInitials, knownInitials = v.knowsInitials(t.text)
			}
			switch {
			case t.capital && !t.allCaps && people[t.folded] != "" && (i+1 == len(toks) || !toks[i+1].capital || toks[i+1].sentence):
				if i == 0 || !toks[i-1].capital || t.sentence {
					name := people[t.folded]
					c.add("person:"+name, Found{Kind: Person, Name: name}, f.name, t.start, t.end, weightOf(f.name, t.start, f.lead))
				}
			case isInitials(t.text) && initials[t.text] != "":
				name := initials[t.text]
				c.add("org:"+name, Found{Kind: Organisation, Name: name}, f.name, t.start, t.end, weightOf(f.name, t.start, f.lead))
			case knownInitials:
				// Initials the archive tied to a name elsewhere ("the TTP").
				l := byInitials
				c.add("org:"+l.name, Found{Kind: l.kind, Name: l.name, Initials: l.initials}, f.name, t.start, t.end, weightOf(f.name, t.start, f.lead))
			case isInitials(t.text) && acronyms[t.text] >= 2 && !commonAbbreviation(t.text) && g.codes[t.text] == nil:
				c.add("org:"+t.text, Found{Kind: Organisation, Name: t.text, Initials: t.text}, f.name, t.start, t.end, weightOf(f.name, t.start, f.lead))
			}
		}
	}
}

// isInitials reports whether w is initials: three to six capital letters.
func isInitials(w string) bool {
	if len(w) < 3 || len(w) > 6 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'A' || w[i] > 'Z' {
			return false
		}
	}
	return true
}

// commonAbbreviation reports whether w is an abbreviation news copy uses
// for things, not organisations.
func commonAbbreviation(w string) bool {
	switch w {
	case "GDP", "GNP", "CEO", "CFO", "COO", "CPI", "IPO", "ETF", "USD", "EUR", "GBP", "GMT", "UTC", "EST", "EDT", "PST",
		"VAT", "PDF", "URL", "FAQ", "DNA", "HIV", "AIDS", "TV", "LNG", "LPG", "BPD", "MLN", "BLN", "DLRS", "NOTE", "SHR", "NET", "REVS", "QTR":
		return true
	}
	return false
}

// expandedBefore matches "Tehrik-e-Taliban Pakistan (TTP)" at toks[i],
// the initials in brackets: the name is the n words just before whose
// initials spell them.
func expandedBefore(s string, toks []token, i int) (name string, n int, ok bool) {
	t := toks[i]
	if !isInitials(t.text) || t.start == 0 || s[t.start-1] != '(' || t.end >= len(s) || s[t.end] != ')' {
		return "", 0, false
	}
	for n := 1; n <= 8 && n <= i; n++ {
		words := toks[i-n : i]
		if spells(s, words, t.text) {
			return span(s, words), n, true
		}
	}
	return "", 0, false
}

// expandedAfter matches "the TTP, or Tehrik-e-Taliban Pakistan" at
// toks[i], the initials: the name is the n words after "or".
func expandedAfter(s string, toks []token, i int) (name string, n int, ok bool) {
	t := toks[i]
	if !isInitials(t.text) || !t.commaAfter || i+2 >= len(toks) || toks[i+1].folded != "or" {
		return "", 0, false
	}
	for n := 1; n <= 8 && i+2+n <= len(toks); n++ {
		words := toks[i+2 : i+2+n]
		if spells(s, words, t.text) {
			return span(s, words), n, true
		}
	}
	return "", 0, false
}

// spells reports whether the capitalized parts of words (split at
// hyphens too, skipping lower-case ones such as "of" or the "e" of
// Tehrik-e-Taliban) start with the letters of initials, in order, and
// the first and last words are capitalized.
func spells(s string, words []token, initials string) bool {
	if len(words) == 0 || !words[0].capital || !words[len(words)-1].capital {
		return false
	}
	var letters []byte
	for k, w := range words {
		if k > 0 && strings.ContainsAny(s[words[k-1].end:w.start], ".,;:()") {
			return false // the name does not run over punctuation
		}
		for part := range strings.SplitSeq(w.text, "-") {
			r, _ := utf8.DecodeRuneInString(part)
			if unicode.IsUpper(r) && r < utf8.RuneSelf {
				letters = append(letters, byte(r))
			}
		}
	}
	return string(letters) == initials
}

// titles are the words that come before a person's name in news copy.
var titles = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`president minister secretary chancellor governor senator judge general
		chairman chairwoman chief director ambassador spokesman spokeswoman commissioner mayor king queen prince
		princess pope premier envoy treasurer sheikh mr mrs ms dr sir lord lady dame`) {
		titles[w] = true
	}
}

// personAfterTitle matches the name after a title at toks[i]: one to
// three capitalized words that name no place, in the same sentence. It
// returns the name's length, starting at i.
func personAfterTitle(toks []token, i int) (int, bool) {
	if i == 0 || !toks[i].capital || toks[i].allCaps || toks[i].sentence || !titles[toks[i-1].folded] {
		return 0, false
	}
	n := 0
	for k := i; k < len(toks) && n < 3 && toks[k].capital && !toks[k].allCaps && (k == i || !toks[k].sentence) && !titles[toks[k].folded] && toks[k].dotted == ""; k++ {
		n++
		if toks[k].commaAfter {
			break
		}
	}
	return n, n > 0
}

// orgEnds are the words an organisation's name ends with.
var orgEnds = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`corp corporation inc ltd plc co company group bank ministry party council agency
		organisation organization union association commission authority fund institute university reserve
		federation committee court army forces movement front league alliance board exchange`) {
		orgEnds[w] = true
	}
}

// organisationBySuffix matches an organisation's name at toks[i]: two to
// six capitalized words in one sentence, the last one of orgEnds ("World
// Bank", "Pakistan Peoples Party"). Of words in lower case, only "of",
// "and" and "for" may come inside ("Bank of Japan").
func organisationBySuffix(toks []token, i int) (int, bool) {
	// "The" opening a sentence is not part of the name: "The Coastal
	// Party" is the Coastal Party, found from the next word.
	if !toks[i].capital || toks[i].allCaps || titles[toks[i].folded] || toks[i].folded == "the" {
		return 0, false
	}
	for k := i; k < len(toks) && k-i < 6; k++ {
		t := toks[k]
		if k > i && (t.sentence || toks[k-1].commaAfter) {
			return 0, false
		}
		if !t.capital {
			if t.folded != "of" && t.folded != "and" && t.folded != "for" {
				return 0, false
			}
			continue
		}
		if k > i && orgEnds[t.folded] {
			// "Bank of Japan": the name goes on past "of".
			if k+2 < len(toks) && toks[k+1].folded == "of" && toks[k+2].capital && !toks[k+2].sentence {
				return k + 3 - i, true
			}
			return k + 1 - i, true
		}
	}
	return 0, false
}

// span is the text of words as s has it, hyphens kept, with one space
// for each run of spaces and line breaks.
func span(s string, words []token) string {
	return strings.Join(strings.Fields(s[words[0].start:words[len(words)-1].end]), " ")
}
