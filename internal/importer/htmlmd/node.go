package htmlmd

import (
	"html"
	"strings"

	nethtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Small helpers over golang.org/x/net/html trees.

func attr(n *nethtml.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *nethtml.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return true
		}
	}
	return false
}

func setAttr(n *nethtml.Node, key, val string) {
	for i, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, nethtml.Attribute{Key: key, Val: val})
}

func removeAttr(n *nethtml.Node, key string) {
	kept := n.Attr[:0]
	for _, a := range n.Attr {
		if a.Key != key {
			kept = append(kept, a)
		}
	}
	n.Attr = kept
}

func hasClass(n *nethtml.Node, class string) bool {
	if n.Type != nethtml.ElementNode {
		return false
	}
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

// walk calls fn on n and every node below it, in document order.
func walk(n *nethtml.Node, fn func(*nethtml.Node)) {
	fn(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

// elements lists the elements below root in document order, so that a
// change to the tree does not upset the iteration.
func elements(root *nethtml.Node) []*nethtml.Node {
	return findAll(root, func(n *nethtml.Node) bool { return n.Type == nethtml.ElementNode && n != root })
}

func findAll(n *nethtml.Node, match func(*nethtml.Node) bool) []*nethtml.Node {
	var out []*nethtml.Node
	walk(n, func(c *nethtml.Node) {
		if match(c) {
			out = append(out, c)
		}
	})
	return out
}

func find(n *nethtml.Node, match func(*nethtml.Node) bool) *nethtml.Node {
	if match(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if found := find(c, match); found != nil {
			return found
		}
	}
	return nil
}

func isElement(a atom.Atom) func(*nethtml.Node) bool {
	return func(n *nethtml.Node) bool { return n.Type == nethtml.ElementNode && n.DataAtom == a }
}

// inside reports whether n is within (or is) container.
func inside(n, container *nethtml.Node) bool {
	for ; container != nil && n != nil; n = n.Parent {
		if n == container {
			return true
		}
	}
	return false
}

func textOf(n *nethtml.Node) string {
	var b strings.Builder
	walk(n, func(c *nethtml.Node) {
		if c.Type == nethtml.TextNode {
			b.WriteString(c.Data)
		}
	})
	return b.String()
}

// meaningful reports whether a node shows something: not a comment nor
// white space.
func meaningful(n *nethtml.Node) bool {
	switch n.Type {
	case nethtml.ElementNode:
		return true
	case nethtml.TextNode:
		return strings.TrimSpace(n.Data) != ""
	}
	return false
}

func firstContent(p *nethtml.Node) *nethtml.Node {
	for c := p.FirstChild; c != nil; c = c.NextSibling {
		if meaningful(c) {
			return c
		}
	}
	return nil
}

// onlyContent reports whether child is all that p shows.
func onlyContent(p, child *nethtml.Node) bool {
	for c := p.FirstChild; c != nil; c = c.NextSibling {
		if c != child && meaningful(c) && c.DataAtom != atom.Br {
			return false
		}
	}
	return true
}

// onlyChild reports whether child is all that its parent a shows.
func onlyChild(a, child *nethtml.Node) bool { return onlyContent(a, child) }

func remove(n *nethtml.Node) {
	if n.Parent != nil {
		n.Parent.RemoveChild(n)
	}
}

func detach(n *nethtml.Node) *nethtml.Node {
	remove(n)
	return n
}

func insertBefore(at *nethtml.Node, nodes ...*nethtml.Node) {
	for _, n := range nodes {
		detach(n)
		at.Parent.InsertBefore(n, at)
	}
}

// replace puts nodes where old was.
func replace(old *nethtml.Node, nodes ...*nethtml.Node) {
	if old.Parent == nil {
		return
	}
	insertBefore(old, nodes...)
	remove(old)
}

func moveChildren(from, to *nethtml.Node) {
	for c := from.FirstChild; c != nil; c = from.FirstChild {
		to.AppendChild(detach(c))
	}
}

func moveChildrenBefore(from, at *nethtml.Node) {
	for c := from.FirstChild; c != nil; c = from.FirstChild {
		insertBefore(at, c)
	}
}

// element is a new element with the given attribute keys and values.
func element(a atom.Atom, keyValues ...string) *nethtml.Node {
	n := &nethtml.Node{Type: nethtml.ElementNode, DataAtom: a, Data: a.String()}
	for i := 0; i+1 < len(keyValues); i += 2 {
		n.Attr = append(n.Attr, nethtml.Attribute{Key: keyValues[i], Val: keyValues[i+1]})
	}
	return n
}

// raw is a node the converter writes into the Markdown as the HTML given.
func raw(h string) *nethtml.Node {
	return &nethtml.Node{Type: nethtml.ElementNode, Data: rawTag, Attr: []nethtml.Attribute{{Key: "html", Val: h}}}
}

// parseFragment parses HTML that this package wrote.
func parseFragment(h string) []*nethtml.Node {
	body := &nethtml.Node{Type: nethtml.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, _ := nethtml.ParseFragment(strings.NewReader(h), body)
	return nodes
}

func escapeAttr(s string) string { return html.EscapeString(s) }
func escapeText(s string) string { return html.EscapeString(s) }
