// Package media is Dateline's photo library: the items a newsroom
// uploads with their alt text, caption and credit, the variants made from
// each (responsive widths and crops, in WebP and the original's format,
// with every bit of metadata stripped), and where the bytes are kept
// (Storage: a directory, or the PostgreSQL database so that every node
// serves every image).
package media

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Item is one image of the library.
type Item struct {
	ID int64
	// Hash is the SHA-256 of the uploaded bytes, in hex: the same bytes
	// uploaded twice are the same item, and it names the item's files,
	// which never change.
	Hash          string
	Format        Format
	Width, Height int   // of the original, after its EXIF orientation
	Size          int64 // of the original, in bytes
	Filename      string
	Info
	Variants  []Variant
	State     State
	Error     string // why the variants could not be made, when State is Failed
	Attempts  int    // how many times making the variants was tried
	CreatedAt time.Time
}

// State is how far making an item's variants got.
type State string

// The states of an item. Only a ready item's files are served; a failed
// one is tried again in the background and shown as failed to editors.
const (
	Pending State = "pending"
	Ready   State = "ready"
	Failed  State = "failed"
)

// Info is what an editor writes about an image.
type Info struct {
	Alt     string // alternative text, for readers who cannot see it
	Caption string
	Credit  string // the photographer or agency
}

// The longest alt text, caption and credit accepted, in characters.
const (
	MaxAltLen     = 1000
	MaxCaptionLen = 2000
	MaxCreditLen  = 300
)

// FieldError is a refused field of Info, named as the forms name it.
type FieldError struct {
	Field string // "alt", "caption" or "credit"
	Msg   string
}

func (e *FieldError) Error() string { return ErrInvalid.Error() + ": " + e.Msg }

func (e *FieldError) Unwrap() error { return ErrInvalid }

// Validate refuses text that is too long or not UTF-8.
func (i Info) Validate() error {
	for _, f := range []struct {
		field, name, value string
		max                int
	}{
		{"alt", "alt text", i.Alt, MaxAltLen},
		{"caption", "caption", i.Caption, MaxCaptionLen},
		{"credit", "credit", i.Credit, MaxCreditLen},
	} {
		if !utf8.ValidString(f.value) {
			return &FieldError{f.field, fmt.Sprintf("the %s is not valid UTF-8 text", f.name)}
		}
		if n := utf8.RuneCountInString(f.value); n > f.max {
			return &FieldError{f.field, fmt.Sprintf("the %s is %d characters long; at most %d are allowed", f.name, n, f.max)}
		}
	}
	return nil
}

// Variant is one file made from an original: a responsive width
// ("w320", "w640", ... "w1920", or the original's own width when it is
// narrower) or a crop ("share", 1200×630; "16x9", "4x3", "1x1").
type Variant struct {
	Name   string `json:"name"`
	Format Format `json:"format"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Size   int64  `json:"size,omitempty"` // in bytes
}

// File is the variant's file name: its name and its format's extension.
func (v Variant) File() string { return v.Name + "." + v.Format.Ext() }

// SearchKey is the text the library's search looks in: the alt text,
// caption, credit and file name, folded as FoldSearch folds a query.
func (it *Item) SearchKey() string {
	return FoldSearch(strings.Join([]string{it.Alt, it.Caption, it.Credit, it.Filename}, "\n"))
}

// FoldSearch folds text for the library's search: lower case, in every
// script.
func FoldSearch(text string) string { return strings.ToLower(strings.TrimSpace(text)) }

// Variant returns the item's variant of that name and format.
func (it *Item) Variant(name string, f Format) (Variant, bool) {
	for _, v := range it.Variants {
		if v.Name == name && v.Format == f {
			return v, true
		}
	}
	return Variant{}, false
}
