package media_test

import (
	"testing"

	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/media/storagetest"
)

func TestDirStorage(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) media.Storage {
		d, err := media.NewDir(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return d
	})
}
