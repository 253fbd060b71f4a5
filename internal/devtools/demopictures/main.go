// Command demopictures writes the demo's pictures (internal/demo) as JPEG
// files into a folder, for scripts that need real photos to upload or
// import, such as scripts/lighthouse.sh with PHOTOS=1.
//
// Usage: go run ./internal/devtools/demopictures DIR
package main

import (
	"fmt"
	"image/jpeg"
	"os"
	"path/filepath"

	"github.com/datelinehq/dateline/internal/demo"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: demopictures DIR")
		os.Exit(2)
	}
	dir := os.Args[1]
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "demopictures:", err)
		os.Exit(1)
	}
	for _, p := range demo.Pictures {
		path := filepath.Join(dir, p.Name+".jpg")
		f, err := os.Create(path)
		if err == nil {
			err = jpeg.Encode(f, p.Draw(), &jpeg.Options{Quality: 90})
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "demopictures:", err)
			os.Exit(1)
		}
		fmt.Println(path)
	}
}
