package linking_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/linking"
	"github.com/datelinehq/dateline/internal/linking/linkingtest"
	"github.com/datelinehq/dateline/internal/linking/wordvec"
	"github.com/datelinehq/dateline/internal/linking/wordvec/wordvectest"
)

// An index read from its image answers every query as the index written
// did, and goes on answering the same after the same edits: an export
// reads the image instead of building the index again.
func TestImageAnswersAsTheIndexWritten(t *testing.T) {
	t.Run("without word vectors", func(t *testing.T) { testImageRoundTrip(t, nil) })
	t.Run("with the English word vectors", func(t *testing.T) { testImageRoundTrip(t, wordvectest.English(t)) })
}

func testImageRoundTrip(t *testing.T, words *wordvec.Table) {
	docs := linkingtest.GenerateArchive(300, 400, 7)
	built := linking.NewIndex()
	built.UseWordVectors(words)
	for _, d := range docs[:250] {
		built.Upsert(d)
	}
	// A removed article leaves a free slot and stale counts behind.
	built.Remove(docs[3].ID)

	var image bytes.Buffer
	if err := built.WriteImage(&image); err != nil {
		t.Fatal(err)
	}
	read, err := linking.ReadImage(bytes.NewReader(image.Bytes()), words)
	if err != nil {
		t.Fatal(err)
	}
	sameAnswers(t, "read from the image", built, read, docs)

	// The same edits on both: an article added, one changed, one removed.
	for _, ix := range []*linking.Index{built, read} {
		ix.Upsert(docs[260])
		changed := docs[10]
		changed.Text += "\n\nThe harbour board met the ferry operators again on Tuesday."
		ix.Upsert(changed)
		ix.Remove(docs[20].ID)
	}
	sameAnswers(t, "after the same edits", built, read, docs)

	// Written again, the image is the same bytes.
	var again bytes.Buffer
	if err := read.WriteImage(&again); err != nil {
		t.Fatal(err)
	}
	var edited bytes.Buffer
	if err := built.WriteImage(&edited); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Bytes(), edited.Bytes()) {
		t.Error("the images of the two indexes after the same edits differ")
	}
}

// sameAnswers compares what two indexes answer for every article.
func sameAnswers(t *testing.T, when string, want, got *linking.Index, docs []linking.Doc) {
	t.Helper()
	if w, g := want.Stats(), got.Stats(); w != g {
		t.Errorf("%s: stats %+v; want %+v", when, g, w)
	}
	ws, wn := want.Stale()
	gs, gn := got.Stale()
	if ws != gs || wn != gn {
		t.Errorf("%s: stale %d of %d; want %d of %d", when, gs, gn, ws, wn)
	}
	for _, d := range docs {
		wi, wok := want.Doc(d.ID)
		gi, gok := got.Doc(d.ID)
		if wok != gok || !reflect.DeepEqual(wi, gi) {
			t.Fatalf("%s: article %d is %+v, %v; want %+v, %v", when, d.ID, gi, gok, wi, wok)
		}
		if w, g := want.Related(d.ID, 8, 0), got.Related(d.ID, 8, 0); !reflect.DeepEqual(w, g) {
			t.Fatalf("%s: related articles of %d:\n got %+v\nwant %+v", when, d.ID, g, w)
		}
		if w, g := want.KeyPhrases(d.ID, 10), got.KeyPhrases(d.ID, 10); !reflect.DeepEqual(w, g) {
			t.Fatalf("%s: key phrases of %d:\n got %+v\nwant %+v", when, d.ID, g, w)
		}
		w, wok := want.ResolveTitle(d.Title)
		g, gok := got.ResolveTitle(d.Title)
		if wok != gok || !reflect.DeepEqual(w, g) {
			t.Fatalf("%s: title %q resolves to %+v, %v; want %+v, %v", when, d.Title, g, gok, w, wok)
		}
	}
	q := docs[len(docs)-1]
	if w, g := want.RelatedToDoc(q, 8), got.RelatedToDoc(q, 8); !reflect.DeepEqual(w, g) {
		t.Errorf("%s: related to a new text:\n got %+v\nwant %+v", when, g, w)
	}
}

// A damaged image, one of other word vectors and one of another format
// are errors that say so, never an index.
func TestImageDamaged(t *testing.T) {
	ix := linking.NewIndex()
	for _, d := range linkingtest.GenerateArchive(40, 200, 3) {
		ix.Upsert(d)
	}
	var image bytes.Buffer
	if err := ix.WriteImage(&image); err != nil {
		t.Fatal(err)
	}
	good := image.Bytes()
	other := &wordvec.Table{Dim: 2}
	other.Add("harbour", []float64{1, 0})

	cases := []struct {
		name  string
		bytes []byte
		words *wordvec.Table
		want  string
	}{
		{"empty", nil, nil, "not an image"},
		{"not an image", []byte("PK\x03\x04 a zip file, say"), nil, "not an image"},
		{"cut short", good[:len(good)/2], nil, "damaged"},
		{"one byte short", good[:len(good)-1], nil, "damaged"},
		{"bytes after it", append(bytes.Clone(good), 0), nil, "bytes after its end"},
		{"other word vectors", good, other, "other word vectors"},
		{"another format", bytes.Replace(bytes.Clone(good), []byte("index\n\x01\x00\x00\x00"), []byte("index\n\x09\x00\x00\x00"), 1), nil, "format 9"},
	}
	for _, c := range cases {
		_, err := linking.ReadImage(bytes.NewReader(c.bytes), c.words)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want an error saying %q", c.name, err, c.want)
		}
	}
	// Bytes of a small image changed in turn (every eleventh: most of its
	// 28 kB are co-occurrence vectors): none may make the read panic, or
	// an index that is read panic when asked.
	small := linking.NewIndex()
	for _, d := range linkingtest.GenerateArchive(3, 20, 5) {
		small.Upsert(d)
	}
	image.Reset()
	if err := small.WriteImage(&image); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < image.Len(); i += 11 {
		b := bytes.Clone(image.Bytes())
		b[i] ^= 0xff
		ix, err := linking.ReadImage(bytes.NewReader(b), nil)
		if err == nil {
			for id := range int64(10) {
				ix.Related(id, 5, 0)
				ix.KeyPhrases(id, 5)
			}
		}
	}
}
