package admin

import (
	"net/http"
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/user"
)

// Issue 14: the editor's SEO panel gives no command-line advice beside
// its form.
func TestSEOAdviceNamesNoCommand(t *testing.T) {
	at := newAdminTest(t)
	token := at.session(at.addUser("ed@example.org", user.Editor))
	a := at.addArticle("harbour-flood", 0) // without a focus keyphrase
	resp := at.get(editPath(a.ID), token)
	expectStatus(t, resp, http.StatusOK)
	if strings.Contains(resp.body, "dateline seo") || strings.Contains(resp.body, "front matter") {
		t.Errorf("the SEO panel gives command-line advice:\n%s", excerptOf(resp.body[strings.Index(resp.body, `id="seo-head"`):]))
	}
	if !strings.Contains(resp.body, "no focus keyphrase: set the search phrase the article should be found by") {
		t.Error("the SEO panel does not advise setting the focus keyphrase")
	}
}
