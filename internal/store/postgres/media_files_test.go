package postgres

import (
	"testing"

	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/media/storagetest"
	"github.com/datelinehq/dateline/internal/store/postgres/pgtest"
)

func TestMediaFilesConformance(t *testing.T) {
	pgtest.URL(t)
	storagetest.Run(t, func(t *testing.T) media.Storage {
		db := openTest(t, pgtest.NewSchemaDSN(t), testOptions)
		t.Cleanup(func() { db.Close() })
		return db.MediaFiles()
	})
}
