package article

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// MaxSlugLen bounds slugs so that URLs stay readable.
const MaxSlugLen = 100

// transliterations covers letters that Unicode decomposition does not reduce
// to ASCII. Apostrophes and quotes vanish so that "Pakistan’s" becomes
// "pakistans", as readers expect from WordPress URLs.
var transliterations = map[rune]string{
	'ß': "ss", 'ẞ': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe",
	'ø': "o", 'Ø': "o", 'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d",
	'þ': "th", 'Þ': "th", 'ł': "l", 'Ł': "l", 'ı': "i", 'ħ': "h", 'Ħ': "h",
	'&': " and ", '@': " at ",
	'\'': "", '’': "", '‘': "", '‛': "", 'ʼ': "", '′': "", '`': "", '´': "",
	'"': "", '“': "", '”': "", '„': "", '«': "", '»': "",
}

// Slugify turns a title into the lowercase ASCII words of a URL path segment,
// joined by hyphens: "Pakistan’s Growing Frustration" becomes
// "pakistans-growing-frustration". Typographic characters are transliterated
// and accents dropped; a title with nothing left gives "untitled".
func Slugify(title string) string {
	var b strings.Builder
	pendingHyphen := false
	write := func(r rune) {
		if pendingHyphen && b.Len() > 0 {
			b.WriteByte('-')
		}
		pendingHyphen = false
		b.WriteRune(unicode.ToLower(r))
	}
	for _, r := range norm.NFKD.String(title) {
		if t, ok := transliterations[r]; ok {
			for _, tr := range t {
				if tr == ' ' {
					pendingHyphen = true
				} else {
					write(tr)
				}
			}
			continue
		}
		switch {
		case unicode.Is(unicode.Mn, r):
			// A combining accent left by decomposition: drop it.
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			write(r)
		default:
			pendingHyphen = true
		}
	}
	s := b.String()
	if len(s) > MaxSlugLen {
		s = s[:MaxSlugLen]
		if i := strings.LastIndexByte(s, '-'); i > MaxSlugLen/2 {
			s = s[:i]
		}
		s = strings.TrimRight(s, "-")
	}
	if s == "" {
		return "untitled"
	}
	return s
}

// NumberedSlug returns the slug of the n-th article, counting from 1, to
// want the slug base: base itself, then base-2, base-3 and so on, with base
// cut short so that the result stays within MaxSlugLen. Articles that share
// a title, such as a daily "Letters to the editor", get their slugs so.
func NumberedSlug(base string, n int) string {
	if n <= 1 {
		return base
	}
	suffix := "-" + strconv.Itoa(n)
	if len(base)+len(suffix) > MaxSlugLen {
		base = strings.TrimRight(base[:MaxSlugLen-len(suffix)], "-")
	}
	return base + suffix
}

// ValidateSlug reports whether s can be used as a slug: lowercase ASCII
// letters and digits in hyphen-separated words.
func ValidateSlug(s string) error {
	if s == "" {
		return fmt.Errorf("slug is empty")
	}
	if len(s) > MaxSlugLen {
		return fmt.Errorf("slug %q is longer than %d characters", s, MaxSlugLen)
	}
	for i, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' && i > 0 && i < len(s)-1 && s[i-1] != '-'
		if !ok {
			return fmt.Errorf("slug %q may hold only lowercase letters, digits and single hyphens between them", s)
		}
	}
	return nil
}
