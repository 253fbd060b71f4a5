package exporter

import (
	"encoding/xml"
	"strings"
	"testing"
)

// Text that XML cannot hold as it is still comes out as well-formed XML
// that reads back as the text, less the characters XML forbids.
func TestXMLText(t *testing.T) {
	for _, test := range []struct {
		name, in, want string
	}{
		{"plain", "Harbour news", "Harbour news"},
		{"CDATA end", "a]]>b]]>", "a]]>b]]>"},
		{"markup", "<p>a & b</p>", "<p>a & b</p>"},
		{"controls", "bell\a form\f nul\x00 tab\t", "bell form nul tab\t"},
		{"invalid UTF-8", "caf\xe9", "caf"},
		{"noncharacter", "a\uFFFEb", "ab"},
	} {
		t.Run(test.name, func(t *testing.T) {
			for _, doc := range []string{"<x>" + cdata(test.in) + "</x>", "<x>" + escaped(t, test.in) + "</x>"} {
				var got struct {
					Text string `xml:",chardata"`
				}
				if err := xml.Unmarshal([]byte(doc), &got); err != nil {
					t.Fatalf("%q: %v", doc, err)
				}
				if got.Text != test.want {
					t.Errorf("%q reads back as %q, want %q", doc, got.Text, test.want)
				}
			}
		})
	}
}

func escaped(t *testing.T, s string) string {
	t.Helper()
	var b strings.Builder
	if err := xml.EscapeText(&b, []byte(xmlText(s))); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
