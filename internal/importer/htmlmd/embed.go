package htmlmd

import (
	"html"
	"net/url"
	"regexp"
	"strings"
)

// embed is what a post embeds from another site, recognised by its URL.
type embed struct {
	provider string // "youtube", "vimeo", "x" or "" when unknown
	id       string // the video's ID, or the post's author for X
	url      string
}

var (
	youtubeID = regexp.MustCompile(`^[A-Za-z0-9_-]{11}$`)
	vimeoID   = regexp.MustCompile(`^[0-9]+$`)
	// tweetPath is /user/status/123 (also /user/statuses/123).
	tweetPath = regexp.MustCompile(`^/([A-Za-z0-9_]{1,15})/status(?:es)?/([0-9]+)`)
)

// embedOf recognises a YouTube video, a Vimeo video or a post on X (or
// Twitter) by its address, in any of the forms their share buttons and
// players use.
func embedOf(raw string) embed {
	e := embed{url: strings.TrimSpace(raw)}
	u, err := url.Parse(e.url)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "") {
		return e
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	host = strings.TrimPrefix(host, "m.")
	segments := strings.Split(strings.Trim(u.Path, "/"), "/")
	last := segments[len(segments)-1]
	switch host {
	case "youtube.com", "youtube-nocookie.com", "music.youtube.com":
		id := u.Query().Get("v")
		if len(segments) >= 2 && (segments[0] == "embed" || segments[0] == "shorts" || segments[0] == "live" || segments[0] == "v") {
			id = segments[1]
		}
		if youtubeID.MatchString(id) {
			e.provider, e.id = "youtube", id
		}
	case "youtu.be":
		if youtubeID.MatchString(segments[0]) {
			e.provider, e.id = "youtube", segments[0]
		}
	case "vimeo.com", "player.vimeo.com":
		if vimeoID.MatchString(last) {
			e.provider, e.id = "vimeo", last
		}
	case "twitter.com", "x.com", "mobile.twitter.com":
		if m := tweetPath.FindStringSubmatch(u.Path); m != nil {
			e.provider, e.id = "x", m[1]
		}
	}
	return e
}

// providerName is how a report names a site that an embed comes from.
func providerName(e embed, slug string) string {
	if slug != "" {
		return slug
	}
	if u, err := url.Parse(e.url); err == nil && u.Host != "" {
		return u.Host
	}
	return "an unknown site"
}

// player is the <iframe> of a video embed, in the form Dateline's
// sanitizer lets through: the privacy-enhanced YouTube host (no cookies
// until the reader plays), Vimeo's player, with a title for screen
// readers, loading only when scrolled near.
func player(e embed, title string) string {
	var src string
	switch e.provider {
	case "youtube":
		src = "https://www.youtube-nocookie.com/embed/" + e.id
		if title == "" {
			title = "YouTube video"
		}
	case "vimeo":
		src = "https://player.vimeo.com/video/" + e.id
		if title == "" {
			title = "Vimeo video"
		}
	default:
		return ""
	}
	return `<iframe src="` + src + `" title="` + html.EscapeString(title) + `" width="560" height="315" loading="lazy" allowfullscreen></iframe>`
}

// tweetQuote is a post on X as Dateline keeps it: a quote linking to the
// post, without X's script. text is the post's words when the markup
// carried them.
func tweetQuote(e embed, text string) string {
	link := `<a href="` + html.EscapeString(e.url) + `">Post by @` + html.EscapeString(e.id) + ` on X</a>`
	var b strings.Builder
	b.WriteString("<blockquote>")
	if text != "" {
		b.WriteString("<p>" + html.EscapeString(text) + "</p>")
	}
	b.WriteString("<p>" + link + "</p></blockquote>")
	return b.String()
}

// openStreetMap reports whether src is OpenStreetMap's embeddable map,
// which the sanitizer allows as it is.
func openStreetMap(src string) bool {
	return strings.HasPrefix(src, "https://www.openstreetmap.org/export/embed.html")
}

// Player is the <iframe> Dateline keeps for a YouTube or Vimeo video at
// address, or "" for an address that is neither.
func Player(address, title string) string {
	return player(embedOf(address), title)
}
