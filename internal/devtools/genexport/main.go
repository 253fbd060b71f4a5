// Command genexport writes an export of invented posts in the format of
// another platform, for measuring the import of big sites
// (scripts/bench-import-wxr.sh): a WordPress export (wxr) or a Ghost
// export (ghost) of POSTS posts of about WORDS words, each with its
// categories or tags and two comments, one replying to the other.
//
// Usage: go run ./internal/devtools/genexport wxr|ghost POSTS WORDS > export
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

var words = strings.Fields(`harbour ferry council budget storm quay school
tram housing water tax river bridge market festival library hospital port
crane island coast weather mayor vote plan station road night summer winter
report minister court police fishing boat shipping timetable delay repair`)

func main() {
	writers := map[string]func(*bufio.Writer, int, int, func() string){"wxr": writeWXR, "ghost": writeGhost}
	if len(os.Args) != 4 || writers[os.Args[1]] == nil {
		fmt.Fprintln(os.Stderr, "usage: genexport wxr|ghost POSTS WORDS")
		os.Exit(2)
	}
	posts, err1 := strconv.Atoi(os.Args[2])
	perPost, err2 := strconv.Atoi(os.Args[3])
	if err1 != nil || err2 != nil || posts < 1 || perPost < 10 {
		fmt.Fprintln(os.Stderr, "genexport: POSTS and WORDS are whole numbers (WORDS at least 10)")
		os.Exit(2)
	}
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer w.Flush()
	n := 0
	word := func() string { n++; return words[(n*7+n/len(words))%len(words)] }
	writers[os.Args[1]](w, posts, perPost, word)
}
