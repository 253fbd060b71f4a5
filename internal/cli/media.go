package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/config"
	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/schollz/progressbar/v3"
)

// mediaFlags adds the photo library's settings to a command's flags.
// mediaDirFlag declares --media, where the photo library's files are.
func mediaDirFlag(fs *flag.FlagSet, cfg *config.Config) {
	fs.StringVar(&cfg.Media, "media", cfg.Media, "folder of the photo library's files (env DATELINE_MEDIA; default: beside the SQLite file, NAME-media, or in the PostgreSQL database)")
}

func mediaFlags(fs *flag.FlagSet, cfg *config.Config) {
	mediaDirFlag(fs, cfg)
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

// library is the photo library the configuration names: where its files
// live and the processor within its limits.
func library(e *env, s store.Store) (newsroom.Library, error) {
	files, err := mediaFiles(e, s)
	if err != nil {
		return newsroom.Library{}, err
	}
	limits := media.DefaultLimits()
	limits.MaxBytes = int64(e.cfg.MaxUploadMB) << 20
	return newsroom.Library{Files: files, Processor: media.NewProcessor(limits, e.cfg.MediaWorkers)}, nil
}

// newsroomWithLibrary is newsroomOf with the photo library.
func newsroomWithLibrary(e *env, s store.Store) (*newsroom.Service, error) {
	lib, err := library(e, s)
	if err != nil {
		return nil, err
	}
	n := newsroomOf(e, s)
	n.UseLibrary(lib)
	return n, nil
}

func mediaCommand() *command {
	return &command{
		name:    "media",
		summary: "add, list and delete the photo library's images",
		subs:    []*command{mediaAddCommand(), mediaListCommand(), mediaDeleteCommand()},
	}
}

// mediaJSON is an image as --json prints it.
type mediaJSON struct {
	ID       int64           `json:"id"`
	Hash     string          `json:"hash"`
	Filename string          `json:"filename"`
	Format   media.Format    `json:"format"`
	Width    int             `json:"width"`
	Height   int             `json:"height"`
	Size     int64           `json:"size"`
	Alt      string          `json:"alt"`
	Caption  string          `json:"caption"`
	Credit   string          `json:"credit"`
	State    media.State     `json:"state"`
	Error    string          `json:"error,omitempty"`
	Created  bool            `json:"created"`
	Variants []media.Variant `json:"variants"`
}

func toMediaJSON(it *media.Item, created bool) mediaJSON {
	return mediaJSON{ID: it.ID, Hash: it.Hash, Filename: it.Filename, Format: it.Format, Width: it.Width, Height: it.Height, Size: it.Size,
		Alt: it.Alt, Caption: it.Caption, Credit: it.Credit, State: it.State, Error: it.Error, Created: created, Variants: it.Variants}
}

func mediaAddCommand() *command {
	var info media.Info
	var asJSON bool
	return &command{
		name:    "add",
		args:    "FILE...",
		summary: "add images to the library (JPEG, PNG, GIF, WebP), making their sizes; the same file again is the same image",
		flags: func(fs *flag.FlagSet, cfg *config.Config) {
			fs.StringVar(&info.Alt, "alt", "", "alternative text: what the image shows")
			fs.StringVar(&info.Caption, "caption", "", "caption shown under the image")
			fs.StringVar(&info.Credit, "credit", "", "the photographer or agency")
			fs.BoolVar(&asJSON, "json", false, "print the images as JSON")
			mediaFlags(fs, cfg)
		},
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() == 0 {
				return usage(e, fs, "name one or more image files")
			}
			if err := info.Validate(); err != nil {
				return usage(e, fs, "%s", strings.TrimPrefix(err.Error(), media.ErrInvalid.Error()+": "))
			}
			return withStore(e, fs, func(s store.Store) error {
				n, err := newsroomWithLibrary(e, s)
				if err != nil {
					return err
				}
				var out []mediaJSON
				var failed int
				// Each image takes a second or so: show a bar on a
				// terminal for more than a few.
				var bar *progressbar.ProgressBar
				if e.stdoutIsTerminal && fs.NArg() >= 3 {
					bar = progressbar.NewOptions(fs.NArg(), progressbar.OptionSetWriter(e.stderr),
						progressbar.OptionSetDescription("adding images"), progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
				}
				for _, path := range fs.Args() {
					data, err := readImageFile(path, int64(e.cfg.MaxUploadMB)<<20)
					var it *media.Item
					created := false
					if err == nil {
						it, created, err = n.Upload(e.ctx, cliAs, filepath.Base(path), data, info)
					}
					if bar != nil {
						_ = bar.Add(1)
					}
					if err != nil {
						if e.ctx.Err() != nil {
							return err
						}
						failed++
						fmt.Fprintf(e.stderr, "%s: %s\n", path, oneLine(err))
						continue
					}
					if asJSON {
						out = append(out, toMediaJSON(it, created))
						continue
					}
					verb := "added"
					if !created {
						verb = "already in the library as"
					}
					fmt.Fprintf(e.stdout, "%s: %s image %d (%d×%d %s, %s)\n", path, verb, it.ID, it.Width, it.Height, it.Format, it.State)
				}
				if bar != nil {
					_ = bar.Finish()
				}
				if asJSON {
					if err := writeJSON(e.stdout, out); err != nil {
						return err
					}
				}
				if failed > 0 {
					return fmt.Errorf("%d of %d file(s) were not added", failed, fs.NArg())
				}
				return nil
			})
		},
	}
}

// readImageFile reads an image file, refusing one over limit bytes before
// reading it whole.
func readImageFile(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, errors.New("is a folder, not an image file")
	}
	if fi.Size() > limit {
		return nil, fmt.Errorf("%w: the file is %d MB, over the limit of %d MB (--max-upload-mb)", media.ErrTooLarge, fi.Size()>>20, limit>>20)
	}
	return io.ReadAll(io.LimitReader(f, limit+1))
}

func mediaListCommand() *command {
	var asJSON bool
	var query string
	return &command{
		name:     "list",
		summary:  "list the library's images, newest first",
		readOnly: true,
		flags: func(fs *flag.FlagSet, _ *config.Config) {
			fs.BoolVar(&asJSON, "json", false, "print the images as JSON")
			fs.StringVar(&query, "search", "", "only images whose alt text, caption, credit or file name contain this")
		},
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 0 {
				return usage(e, fs, "takes no arguments")
			}
			return withStore(e, fs, func(s store.Store) error {
				items, err := s.MediaItems(e.ctx, store.MediaQuery{Text: query})
				if err != nil {
					return err
				}
				if asJSON {
					out := make([]mediaJSON, 0, len(items))
					for _, it := range items {
						out = append(out, toMediaJSON(it, false))
					}
					return writeJSON(e.stdout, out)
				}
				if len(items) == 0 {
					fmt.Fprintln(e.stderr, "no images yet; add some with 'dateline media add FILE'")
					return nil
				}
				tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tFILE\tSIZE\tSTATE\tCREDIT\tALT")
				for _, it := range items {
					fmt.Fprintf(tw, "%d\t%s\t%d×%d\t%s\t%s\t%s\n", it.ID, it.Filename, it.Width, it.Height, it.State, it.Credit, it.Alt)
				}
				return tw.Flush()
			})
		},
	}
}

func mediaDeleteCommand() *command {
	return &command{
		name:    "delete",
		args:    "ID",
		summary: "delete an image no article uses, with its files",
		flags:   func(fs *flag.FlagSet, cfg *config.Config) { mediaFlags(fs, cfg) },
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 1 {
				return usage(e, fs, "name the image's ID (see dateline media list)")
			}
			id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
			if err != nil || id < 1 {
				return usage(e, fs, "%q is not an image ID (see dateline media list)", fs.Arg(0))
			}
			return withStore(e, fs, func(s store.Store) error {
				n, err := newsroomWithLibrary(e, s)
				if err != nil {
					return err
				}
				err = n.DeleteMedia(e.ctx, cliAs, id)
				switch {
				case errors.Is(err, store.ErrConflict):
					return refusal(err)
				case errors.Is(err, store.ErrNotFound):
					return fmt.Errorf("there is no image %d (see dateline media list)", id)
				case err != nil:
					return err
				}
				fmt.Fprintf(e.stdout, "deleted image %d\n", id)
				return nil
			})
		},
	}
}

func articleSetImageCommand() *command {
	return &command{
		name:    "set-image",
		args:    "SLUG MEDIA-ID",
		summary: "make a library image the article's featured image (0 for none), as a new version",
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 2 {
				return usage(e, fs, "name the article's slug and the image's ID (see dateline media list), or 0 for none")
			}
			id, err := strconv.ParseInt(fs.Arg(1), 10, 64)
			if err != nil || id < 0 {
				return usage(e, fs, "%q is not an image ID (see dateline media list)", fs.Arg(1))
			}
			return withStore(e, fs, func(s store.Store) error {
				a, err := findArticle(e, s, fs.Arg(0))
				if err != nil {
					return err
				}
				if a.FeaturedMediaID == id {
					fmt.Fprintf(e.stdout, "%s already has that featured image\n", a.Slug)
					return nil
				}
				err = newsroomOf(e, s).SetFeaturedImage(e.ctx, cliAs, a, id)
				var field *article.FieldError
				if errors.As(err, &field) {
					return errors.New(field.Msg)
				}
				if errors.Is(err, store.ErrConflict) {
					return refusal(err)
				}
				if err != nil {
					return err
				}
				if id == 0 {
					fmt.Fprintf(e.stdout, "%s has no featured image now\n", a.Slug)
				} else {
					fmt.Fprintf(e.stdout, "%s: featured image %d\n", a.Slug, id)
				}
				return nil
			})
		},
	}
}
