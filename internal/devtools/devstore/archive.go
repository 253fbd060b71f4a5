package devstore

import (
	"context"
	"fmt"
	"os"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/newsroom"
)

// SaveArchive stores n generated articles (article(i) makes the i-th)
// as an import does, 500 to a batch through the newsroom service, with
// their count on stderr; who names the importer.
func SaveArchive(ctx context.Context, news *newsroom.Service, n int, who string, article func(i int) *article.Article) error {
	const batch = 500
	for first := 0; first < n; first += batch {
		var ws []newsroom.ImportWrite
		for i := first; i < min(first+batch, n); i++ {
			ws = append(ws, newsroom.ImportWrite{Article: article(i)})
		}
		errs, err := news.SaveImport(ctx, newsroom.System(who), ws)
		if err != nil {
			return err
		}
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
		fmt.Fprintf(os.Stderr, "\rstored %d/%d", min(first+batch, n), n)
	}
	fmt.Fprintln(os.Stderr)
	return nil
}
