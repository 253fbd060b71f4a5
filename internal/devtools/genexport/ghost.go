package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// writeGhost writes a Ghost 5 export: each post a Lexical document of
// about perPost words with a heading, a primary tag and two others, and
// two members' comments, one replying to the other. The posts come first
// and the tables that join them after, as the reader must expect.
func writeGhost(w *bufio.Writer, posts, perPost int, word func() string) {
	text := func(s string) map[string]any { return map[string]any{"type": "text", "text": s, "format": 0} }
	row := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			panic(err)
		}
		return string(b)
	}
	list := func(name string, count int, item func(i int) any) {
		fmt.Fprintf(w, ",\n%q: [", name)
		for i := 1; i <= count; i++ {
			if i > 1 {
				w.WriteString(",\n")
			}
			w.WriteString(row(item(i)))
		}
		w.WriteString("]")
	}

	w.WriteString(`{"db": [{"meta": {"exported_on": 1767225600000, "version": "5.96.0"}, "data": {"posts": [`)
	start := time.Date(2020, 1, 1, 8, 0, 0, 0, time.UTC)
	for p := 1; p <= posts; p++ {
		var children []any
		for written := 0; written < perPost; {
			if written == perPost/2 {
				children = append(children, map[string]any{"type": "heading", "tag": "h2", "children": []any{text("The " + word() + " and the " + word())}})
			}
			var para []string
			for k := 0; k < 60 && written < perPost; k++ {
				para = append(para, word())
				written++
			}
			children = append(children, map[string]any{"type": "paragraph", "children": []any{text(strings.Join(para, " ") + ".")}})
		}
		lexical := row(map[string]any{"root": map[string]any{"type": "root", "children": children}})
		date := start.Add(time.Duration(p) * time.Hour).Format("2006-01-02T15:04:05.000Z")
		if p > 1 {
			w.WriteString(",\n")
		}
		w.WriteString(row(map[string]any{
			"id": fmt.Sprintf("p%d", p), "title": fmt.Sprintf("Story %d: the %s %s", p, word(), word()), "slug": fmt.Sprintf("story-%d", p),
			"lexical": lexical, "html": nil, "mobiledoc": nil, "type": "post", "status": "published", "visibility": "public",
			"featured": false, "created_at": date, "updated_at": date, "published_at": date, "custom_excerpt": nil,
		}))
	}
	w.WriteString("]")
	list("tags", 24, func(i int) any {
		return map[string]any{"id": fmt.Sprintf("t%d", i), "name": fmt.Sprintf("Topic %d", i), "slug": fmt.Sprintf("topic-%d", i), "visibility": "public"}
	})
	list("posts_tags", 3*posts, func(i int) any {
		p := (i-1)/3 + 1
		return map[string]any{"id": fmt.Sprintf("pt%d", i), "post_id": fmt.Sprintf("p%d", p), "tag_id": fmt.Sprintf("t%d", (p+i)%24+1), "sort_order": (i - 1) % 3}
	})
	list("users", 1, func(int) any {
		return map[string]any{"id": "u1", "name": "News Desk", "slug": "desk", "email": "desk@generated.example.org"}
	})
	list("posts_authors", posts, func(p int) any {
		return map[string]any{"id": fmt.Sprintf("pa%d", p), "post_id": fmt.Sprintf("p%d", p), "author_id": "u1", "sort_order": 0}
	})
	list("members", 1, func(int) any {
		return map[string]any{"id": "m1", "email": "reader@mail.example", "name": "Reader"}
	})
	list("comments", 2*posts, func(i int) any {
		p := (i-1)/2 + 1
		c := map[string]any{"id": fmt.Sprintf("c%d", i), "post_id": fmt.Sprintf("p%d", p), "member_id": "m1", "status": "published",
			"html": "<p>What about the " + word() + "?</p>", "created_at": start.Add(time.Duration(p)*time.Hour + time.Duration(i%2+1)*time.Hour).Format("2006-01-02T15:04:05.000Z")}
		if i%2 == 0 {
			c["parent_id"] = fmt.Sprintf("c%d", i-1)
		}
		return c
	})
	w.WriteString("}}]}\n")
}
