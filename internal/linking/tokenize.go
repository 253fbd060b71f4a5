package linking

import (
	"maps"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
)

// Token is one word of a text as the index sees it.
type Token struct {
	// Key is the normalised form: lowercased, possessive 's and
	// apostrophes removed, and for words in the Latin script stemmed with
	// the English Snowball stemmer. Words of other scripts are lowercased
	// only (Arabic-script diacritics dropped); each Han, Hiragana or
	// Katakana character is a token of its own.
	Key string
	// Start and End are the token's byte offsets in the text given to
	// Normalize: text[Start:End] is the word as written.
	Start, End int
	// Stop marks tokens that are never terms on their own: stop words,
	// numbers and single Latin letters. They still take part in phrases
	// ("Tehrik-e-Taliban") and keep their place in the sequence, so a
	// phrase key matches a run of consecutive tokens.
	Stop bool
}

// Normalize turns running text into the normalised token keys that
// Phrase.Key is made of, with the byte offsets of each token in text. A
// phrase with key "doha agreement" occurs wherever two consecutive tokens
// have the keys "doha" and "agreement".
func Normalize(text string) []Token {
	toks := tokenize(text, nil)
	out := make([]Token, len(toks))
	for i, t := range toks {
		out[i] = Token{Key: t.key, Start: t.start, End: t.end, Stop: t.stop}
	}
	return out
}

// tok is a token with what phrase detection needs to know about its
// surroundings.
type tok struct {
	key        string
	start, end int
	stop       bool
	cap        bool // the word starts with an upper-case letter
	chunk      bool // the token starts a new space-delimited word
	brk        bool // punctuation or a paragraph break comes before it
	han        bool // a Han, Hiragana or Katakana character
}

// tokenize appends the tokens of s to dst.
func tokenize(s string, dst []tok) []tok {
	var buf []byte
	sawSpace, sawBreak := true, true
	newlines := 0
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		switch {
		case isHan(r):
			dst = append(dst, tok{key: s[i : i+size], start: i, end: i + size, chunk: sawSpace, brk: sawBreak, han: true})
			sawSpace, sawBreak, newlines = false, false, 0
			i += size
			continue
		case isWordRune(r):
			start := i
			j := i + size
			for j < len(s) {
				r2, n2 := rune(s[j]), 1
				if r2 >= utf8.RuneSelf {
					r2, n2 = utf8.DecodeRuneInString(s[j:])
				}
				if isWordRune(r2) && !isHan(r2) {
					j += n2
					continue
				}
				if r2 == '\'' || r2 == '’' {
					// An apostrophe inside a word ("Pakistan’s", "don't").
					if r3, _ := utf8.DecodeRuneInString(s[j+n2:]); j+n2 < len(s) && isWordRune(r3) && !isHan(r3) {
						j += n2
						continue
					}
				}
				break
			}
			t := tok{start: start, end: j, chunk: sawSpace, brk: sawBreak, cap: unicode.IsUpper(r)}
			t.key, t.stop, buf = normalizeWord(s[start:j], buf)
			dst = append(dst, t)
			sawSpace, sawBreak, newlines = false, false, 0
			i = j
			continue
		case r == '\n':
			newlines++
			if newlines >= 2 {
				sawBreak = true
			}
			sawSpace = true
		case unicode.IsSpace(r):
			sawSpace = true
		case r == '-' || r == '‐' || r == '\'' || r == '’':
			// A hyphen joins the parts of a word; a lone dash between
			// spaces is a break.
			if sawSpace {
				sawBreak = true
			}
		default:
			sawBreak = true
			sawSpace = true
		}
		i += size
	}
	return dst
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func isHan(r rune) bool {
	return r >= 0x2E80 && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r))
}

// normalizeWord returns the key of one word and whether it is a stop
// token. buf is scratch space, returned for reuse.
func normalizeWord(w string, buf []byte) (string, bool, []byte) {
	buf = buf[:0]
	ascii := true
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf = append(buf, c)
	}
	if !ascii {
		buf = buf[:0]
		for _, r := range w {
			if r == '’' {
				r = '\''
			}
			buf = utf8.AppendRune(buf, unicode.ToLower(r))
		}
	}
	if k, ok := cacheGet(buf); ok {
		return k.key, k.stop, buf
	}
	e := computeKey(string(buf), ascii)
	cachePut(string(buf), e)
	return e.key, e.stop, buf
}

type keyEntry struct {
	key  string
	stop bool
}

// computeKey normalises a lowercased word.
func computeKey(w string, ascii bool) keyEntry {
	w = strings.TrimSuffix(w, "'s")
	w = strings.ReplaceAll(w, "'", "")
	latin, digits, letters := true, true, 0
	if !ascii {
		var b strings.Builder
		for _, r := range w {
			if unicode.Is(unicode.Mn, r) && !unicode.Is(unicode.Latin, r) {
				continue // Arabic-script harakat and other diacritics
			}
			b.WriteRune(r)
		}
		w = b.String()
	}
	for _, r := range w {
		if unicode.IsLetter(r) {
			letters++
			digits = false
			if !unicode.Is(unicode.Latin, r) {
				latin = false
			}
		} else if !unicode.IsDigit(r) {
			digits = false
		}
	}
	if w == "" {
		return keyEntry{key: w, stop: true}
	}
	if digits || letters == 0 {
		return keyEntry{key: w, stop: true}
	}
	if !latin {
		return keyEntry{key: w, stop: false}
	}
	if isStopWord(w) {
		return keyEntry{key: w, stop: true}
	}
	if utf8.RuneCountInString(w) == 1 {
		return keyEntry{key: w, stop: true}
	}
	return keyEntry{key: english.Stem(w, false)}
}

// isStopWord reports whether w (lowercased, apostrophes removed) is an
// English function word: Snowball's list, its contractions, and the
// reporting verbs and modals every news story is full of.
func isStopWord(w string) bool {
	if english.IsStopWord(w) {
		return true
	}
	switch w {
	case "also", "could", "would", "may", "might", "must", "shall", "said", "says", "say",
		"mr", "mrs", "ms", "dont", "doesnt", "didnt", "isnt", "wasnt", "arent", "werent",
		"cant", "wont", "its", "im", "ive", "youre", "theyre", "weve", "hes", "shes",
		"yet", "however", "although", "though", "upon", "whether", "within", "without",
		"per", "via", "among", "since", "unless", "onto":
		return true
	}
	return false
}

// The stem cache remembers the keys of words seen, so that building an
// index of a large archive stems each distinct word once. It is shared by
// every index and stops growing at maxCached words. Nearly every look-up
// finds its word, so a look-up takes no lock: it reads a map that is never
// written, which new words replace with a larger copy now and then. (With
// a read-write lock the readers' count was a cache line both cores of a
// build wrote for every word: 0.6 s of the 8 s of CPU of building the
// index of 10,000 articles; sync.Map allocates for every string it is
// asked for.)
const maxCached = 1 << 20

var stemCache struct {
	known atomic.Pointer[map[string]keyEntry] // never written once stored
	mu    sync.Mutex
	added map[string]keyEntry // words not in known yet
}

func cacheGet(b []byte) (keyEntry, bool) {
	if known := stemCache.known.Load(); known != nil {
		if e, ok := (*known)[string(b)]; ok {
			return e, true
		}
	}
	stemCache.mu.Lock()
	defer stemCache.mu.Unlock()
	e, ok := stemCache.added[string(b)]
	return e, ok
}

func cachePut(w string, e keyEntry) {
	stemCache.mu.Lock()
	defer stemCache.mu.Unlock()
	var known map[string]keyEntry
	if k := stemCache.known.Load(); k != nil {
		known = *k
	}
	if len(known)+len(stemCache.added) >= maxCached {
		return
	}
	if stemCache.added == nil {
		stemCache.added = map[string]keyEntry{}
	}
	stemCache.added[w] = e
	// A copy once the new words are a quarter of the known ones: each
	// word is copied a few times in all, and misses stay few.
	if len(stemCache.added) < max(256, len(known)/4) {
		return
	}
	next := make(map[string]keyEntry, len(known)+len(stemCache.added))
	maps.Copy(next, known)
	maps.Copy(next, stemCache.added)
	stemCache.known.Store(&next)
	clear(stemCache.added)
}

// TrainingWords is d's words as word vectors learn from them (see
// wordvec.Train): the keys of its title, headings and text, in order,
// without the tokens that are never terms on their own (see Token.Stop),
// the way the index keys the words whose vectors it looks up.
func TrainingWords(d Doc) []string {
	var words []string
	add := func(text string) {
		for _, t := range tokenize(text, nil) {
			if !t.stop {
				words = append(words, t.key)
			}
		}
	}
	add(d.Title)
	for _, h := range d.Headings {
		add(h)
	}
	add(d.Text)
	return words
}
