package comment

import (
	"math"
	"net/url"
	"strings"
	"unicode"
)

// The content score is a naive Bayes classifier over the words of a
// comment, learned from moderators' decisions: approving a comment teaches
// it ham, marking one as spam teaches it spam. It only speaks once it has
// seen enough of both.

// MinTrained is how many ham and how many spam decisions the classifier
// needs before its score counts.
const MinTrained = 10

// maxTokens bounds the words scored per comment.
const maxTokens = 200

// Tokens returns the distinct features of a comment that the classifier
// weighs: lowercased words of 2 to 30 letters, the host of every link and
// of the website, and the commenter's email domain.
func Tokens(c *Comment) []string {
	seen := map[string]bool{}
	var out []string
	add := func(t string) {
		if !seen[t] && len(out) < maxTokens {
			seen[t] = true
			out = append(out, t)
		}
	}
	for _, u := range append(urlPattern.FindAllString(c.Body, -1), c.URL) {
		if pu, err := url.Parse(u); err == nil && pu.Host != "" {
			add("host:" + strings.ToLower(pu.Hostname()))
		}
	}
	if _, domain, ok := strings.Cut(c.Email, "@"); ok {
		add("email:" + strings.ToLower(domain))
	}
	text := urlPattern.ReplaceAllString(c.Body, " ")
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' }) {
		if n := len([]rune(w)); n >= 2 && n <= 30 {
			add(w)
		}
	}
	return out
}

// TokenCounts is how often a token appeared in ham and in spam comments.
type TokenCounts struct{ Ham, Spam int64 }

// Model is what the classifier has learned: how many ham and spam
// comments it was taught, and the counts of the tokens in question.
type Model struct {
	HamDocs, SpamDocs int64
	Tokens            map[string]TokenCounts
}

// Score returns the probability that a comment with these tokens is spam,
// and whether the model has learned enough to say.
func (m Model) Score(tokens []string) (float64, bool) {
	if m.HamDocs < MinTrained || m.SpamDocs < MinTrained {
		return 0, false
	}
	// Log-odds with Laplace smoothing, starting from the prior.
	logOdds := math.Log(float64(m.SpamDocs) / float64(m.HamDocs))
	for _, t := range tokens {
		c, ok := m.Tokens[t]
		if !ok || c.Ham+c.Spam == 0 {
			continue // unseen words say nothing
		}
		pSpam := (float64(c.Spam) + 1) / (float64(m.SpamDocs) + 2)
		pHam := (float64(c.Ham) + 1) / (float64(m.HamDocs) + 2)
		logOdds += math.Log(pSpam / pHam)
	}
	return 1 / (1 + math.Exp(-logOdds)), true
}

// TrainingLabel is what the classifier learns from a comment a moderator
// puts in state s: "ham", "spam", or "" for nothing (pending and trash
// teach nothing, and unlearn nothing).
func TrainingLabel(s State) string {
	switch s {
	case Approved:
		return "ham"
	case Spam:
		return "spam"
	}
	return ""
}

// Relabel is how a comment's tokens and the document counts move when
// the comment, trained as label from, is trained as label to instead
// (see TrainingLabel): each of ham and spam is +1, -1 or 0.
func Relabel(from, to string) (ham, spam int64) {
	delta := func(label string) (d int64) {
		if to == label {
			d++
		}
		if from == label {
			d--
		}
		return d
	}
	return delta("ham"), delta("spam")
}
