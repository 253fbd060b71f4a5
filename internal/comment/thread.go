package comment

import "sort"

// MaxDepth is how deep replies nest on the page; a reply to a comment at
// this depth is shown beside its parent instead, as WordPress does.
const MaxDepth = 5

// Node is a comment with its replies, for display.
type Node struct {
	*Comment
	Depth   int // 1 for a comment on the article
	Replies []*Node
}

// Thread arranges comments into threads, oldest first at every level. A
// reply whose parent is not among comments (not approved, or deleted)
// is shown at the top level rather than lost.
func Thread(comments []*Comment) []*Node {
	sorted := append([]*Comment(nil), comments...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if !sorted[i].CreatedAt.Equal(sorted[j].CreatedAt) {
			return sorted[i].CreatedAt.Before(sorted[j].CreatedAt)
		}
		return sorted[i].ID < sorted[j].ID
	})
	nodes := make(map[int64]*Node, len(sorted))
	for _, c := range sorted {
		nodes[c.ID] = &Node{Comment: c}
	}
	var roots []*Node
	for _, c := range sorted {
		n := nodes[c.ID]
		parent, ok := nodes[c.ParentID]
		if c.ParentID == 0 || !ok || parent == n {
			roots = append(roots, n)
			continue
		}
		parent.Replies = append(parent.Replies, n)
	}
	var setDepth func(ns []*Node, d int) []*Node
	setDepth = func(ns []*Node, d int) []*Node {
		var out []*Node
		for _, n := range ns {
			n.Depth = d
			if d >= MaxDepth {
				// Flatten what is deeper into this level.
				deeper := n.Replies
				n.Replies = nil
				out = append(out, n)
				out = append(out, setDepth(deeper, d)...)
				continue
			}
			n.Replies = setDepth(n.Replies, d+1)
			out = append(out, n)
		}
		return out
	}
	return setDepth(roots, 1)
}
