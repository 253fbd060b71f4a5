package main

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// writeWXR writes a WordPress export: each post has about perPost words
// in paragraphs and a heading, two categories, three tags and two
// comments, one replying to the other.
func writeWXR(w *bufio.Writer, posts, perPost int, word func() string) {
	fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Generated Gazette</title>
<link>https://generated.example.org</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_blog_url>https://generated.example.org</wp:base_blog_url>
<wp:author><wp:author_login>desk</wp:author_login><wp:author_display_name><![CDATA[News Desk]]></wp:author_display_name></wp:author>
`)
	for i, c := range []string{"City", "Coast", "Politics", "Sport"} {
		fmt.Fprintf(w, "<wp:category><wp:term_id>%d</wp:term_id><wp:category_nicename>%s</wp:category_nicename><wp:cat_name><![CDATA[%s]]></wp:cat_name></wp:category>\n", i+1, strings.ToLower(c), c)
	}
	start := time.Date(2020, 1, 1, 8, 0, 0, 0, time.UTC)
	for p := 1; p <= posts; p++ {
		var body strings.Builder
		for written := 0; written < perPost; {
			if written == perPost/2 {
				fmt.Fprintf(&body, "<!-- wp:heading -->\n<h2>The %s and the %s</h2>\n<!-- /wp:heading -->\n\n", word(), word())
			}
			body.WriteString("<!-- wp:paragraph -->\n<p>")
			for k := 0; k < 60 && written < perPost; k++ {
				if k > 0 {
					body.WriteByte(' ')
				}
				body.WriteString(word())
				written++
			}
			body.WriteString(".</p>\n<!-- /wp:paragraph -->\n\n")
		}
		date := start.Add(time.Duration(p) * time.Hour)
		title := fmt.Sprintf("Story %d: the %s %s", p, word(), word())
		slug := fmt.Sprintf("story-%d", p)
		fmt.Fprintf(w, `<item>
<title><![CDATA[%s]]></title>
<link>https://generated.example.org/%s/%s/</link>
<dc:creator><![CDATA[desk]]></dc:creator>
<guid isPermaLink="false">https://generated.example.org/?p=%d</guid>
<content:encoded><![CDATA[%s]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>%d</wp:post_id>
<wp:post_date_gmt>%s</wp:post_date_gmt>
<wp:comment_status>open</wp:comment_status>
<wp:post_name>%s</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
<category domain="category" nicename="%s"><![CDATA[x]]></category>
<category domain="post_tag" nicename="%s"><![CDATA[%s]]></category>
<category domain="post_tag" nicename="%s"><![CDATA[%s]]></category>
<wp:comment><wp:comment_id>%d</wp:comment_id><wp:comment_author>Reader</wp:comment_author><wp:comment_author_email>reader@mail.example</wp:comment_author_email><wp:comment_date_gmt>%s</wp:comment_date_gmt><wp:comment_content><![CDATA[What about the %s?]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent></wp:comment>
<wp:comment><wp:comment_id>%d</wp:comment_id><wp:comment_author>Editor</wp:comment_author><wp:comment_author_email>desk@generated.example.org</wp:comment_author_email><wp:comment_date_gmt>%s</wp:comment_date_gmt><wp:comment_content><![CDATA[It reopens in spring.]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>%d</wp:comment_parent></wp:comment>
</item>
`, title, date.Format("2006/01/02"), slug, p, body.String(), p, date.Format(time.DateTime), slug,
			[]string{"city", "coast", "politics", "sport"}[p%4], word(), "Tag "+strconv.Itoa(p%50), word(), "Topic "+strconv.Itoa(p%20),
			2*p, date.Add(time.Hour).Format(time.DateTime), word(), 2*p+1, date.Add(2*time.Hour).Format(time.DateTime), 2*p)
	}
	fmt.Fprint(w, "</channel>\n</rss>\n")
}
