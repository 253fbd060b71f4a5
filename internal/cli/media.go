package cli

import (
	"errors"
	"flag"

	"github.com/datelinehq/dateline/internal/config"
	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/store"
)

// mediaFlags adds the photo library's settings to a command's flags.
func mediaFlags(fs *flag.FlagSet, cfg *config.Config) {
	fs.StringVar(&cfg.Media, "media", cfg.Media, "folder of the photo library's files (env DATELINE_MEDIA; default: beside the SQLite file, NAME-media, or in the PostgreSQL database)")
	fs.IntVar(&cfg.MaxUploadMB, "max-upload-mb", cfg.MaxUploadMB, "the largest image accepted, in megabytes (env DATELINE_MAX_UPLOAD_MB)")
	fs.IntVar(&cfg.MediaWorkers, "media-workers", cfg.MediaWorkers, "how many uploads are processed at once, each holding one decoded image in memory (env DATELINE_MEDIA_WORKERS)")
}

// mediaFiles opens where the photo library's files live: the folder the
// configuration names (see config.MediaDir), or the PostgreSQL database,
// so that every node serves every image without a shared disk.
func mediaFiles(e *env, s store.Store) (media.Storage, error) {
	if dir := e.cfg.MediaDir(); dir != "" {
		return media.NewDir(dir)
	}
	if db, ok := s.(interface{ MediaFiles() media.Storage }); ok {
		return db.MediaFiles(), nil
	}
	return nil, errors.New("no folder for the photo library's files: name one with --media or DATELINE_MEDIA")
}
