package newsroom

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/user"
)

// Library is what the service needs to keep photos: where their files
// live and what makes their variants.
type Library struct {
	Files     media.Storage
	Processor *media.Processor
}

// ErrNoLibrary is returned by the photo workflows of a service given no
// Library.
var ErrNoLibrary = errors.New("this site has no photo library configured (no media storage)")

// UseLibrary gives the service its photo library.
func (s *Service) UseLibrary(lib Library) { s.library = &lib }

// MaxMediaAttempts is how many times making an item's variants is tried
// before it is left failed for an editor to look at.
const MaxMediaAttempts = 5

func (s *Service) mayMedia(actor Actor, action user.Action, words string) error {
	if s.library == nil {
		return ErrNoLibrary
	}
	if actor.User != nil && !actor.User.Role.Can(action) {
		return &Refusal{"Your role cannot " + words + "."}
	}
	return nil
}

// Upload adds an image to the library for the actor. The bytes decide
// what it is (the file name is kept to show, cleaned of any path); its
// variants are made now, within the processor's limit of uploads at once,
// and stored before the item, so that a ready item always has its files.
// The same bytes uploaded again are the item stored before (created
// false), left as it was. Refusals of the bytes wrap media.ErrInvalid or
// media.ErrTooLarge, of the text an *media.FieldError; nothing is stored
// then. When the variants cannot be made for another reason, the item is
// stored as failed, with its upload, and tried again later (RetryMedia).
func (s *Service) Upload(ctx context.Context, actor Actor, filename string, data []byte, info media.Info) (it *media.Item, created bool, err error) {
	if err := s.mayMedia(actor, user.UploadImages, "upload images"); err != nil {
		return nil, false, err
	}
	if err := info.Validate(); err != nil {
		return nil, false, err
	}
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])
	if it, err := s.store.MediaByHash(ctx, hash); err == nil {
		return it, false, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, false, err
	}
	it = &media.Item{Hash: hash, Filename: media.CleanFilename(filename), Size: int64(len(data)), Info: info}
	if it.Format, err = media.Sniff(data); err != nil {
		return nil, false, err
	}
	res, processErr := s.library.Processor.Process(ctx, data)
	if processErr != nil && (errors.Is(processErr, media.ErrInvalid) || errors.Is(processErr, media.ErrTooLarge) || ctx.Err() != nil) {
		return nil, false, processErr
	}
	if err := s.library.Files.Put(ctx, media.Key(hash, media.OriginalFile), data); err != nil {
		return nil, false, fmt.Errorf("keep the upload: %w", err)
	}
	it.State = media.Failed
	if processErr == nil {
		it.Width, it.Height = res.Width, res.Height
		if processErr = s.putVariants(ctx, hash, res); processErr == nil {
			it.State = media.Ready
			it.Variants = variantsOf(res)
		}
	}
	if processErr != nil {
		it.Error = processErr.Error()
		s.logger.Error("make image variants", "file", it.Filename, "hash", hash, "err", processErr)
	}
	it.Attempts = 1
	if created, err = s.store.AddMedia(ctx, it); err != nil {
		return nil, false, err
	}
	if created {
		s.audit(ctx, actor, "uploaded image", it.Filename, fmt.Sprintf("image %d, %d×%d %s", it.ID, it.Width, it.Height, it.Format))
	}
	return it, created, nil
}

func variantsOf(res *media.Result) []media.Variant {
	vs := make([]media.Variant, len(res.Variants))
	for i, e := range res.Variants {
		vs[i] = e.Variant
		vs[i].Size = int64(len(e.Data))
	}
	return vs
}

func (s *Service) putVariants(ctx context.Context, hash string, res *media.Result) error {
	for _, e := range res.Variants {
		if err := s.library.Files.Put(ctx, media.Key(hash, e.Variant.File()), e.Data); err != nil {
			return fmt.Errorf("store variant %s: %w", e.Variant.File(), err)
		}
	}
	return nil
}

// Queue adds an image to the library as Upload does, but leaves making
// its variants to MakeSizes, in the background: the upload is checked
// (its header against the limits) and kept, and the item stored pending.
// Pages show it once its sizes are made. For bulk loads that must not
// wait, such as the demo's pictures.
func (s *Service) Queue(ctx context.Context, actor Actor, filename string, data []byte, info media.Info) (*media.Item, error) {
	if err := s.mayMedia(actor, user.UploadImages, "upload images"); err != nil {
		return nil, err
	}
	if err := info.Validate(); err != nil {
		return nil, err
	}
	h, err := s.library.Processor.Limits().Check(data)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	it := &media.Item{Hash: hex.EncodeToString(sum[:]), Filename: media.CleanFilename(filename), Size: int64(len(data)), Info: info,
		Format: h.Format, Width: h.Width, Height: h.Height, State: media.Pending}
	if err := s.library.Files.Put(ctx, media.Key(it.Hash, media.OriginalFile), data); err != nil {
		return nil, fmt.Errorf("keep the upload: %w", err)
	}
	if _, err := s.store.AddMedia(ctx, it); err != nil {
		return nil, err
	}
	return it, nil
}

// MakeSizes makes the variants of items queued (Queue) or failed before,
// up to MaxMediaAttempts tries each, and reports how many are ready now.
// The serve command runs it in the background; a failure is recorded on
// the item and logged.
func (s *Service) MakeSizes(ctx context.Context) (ready int, err error) {
	if s.library == nil {
		return 0, nil
	}
	var items []*media.Item
	for _, state := range []media.State{media.Pending, media.Failed} {
		found, err := s.store.MediaItems(ctx, store.MediaQuery{State: state})
		if err != nil {
			return 0, err
		}
		items = append(items, found...)
	}
	for _, it := range items {
		if it.Attempts >= MaxMediaAttempts {
			continue
		}
		data, err := s.library.Files.Get(ctx, media.Key(it.Hash, media.OriginalFile))
		var res *media.Result
		if err == nil {
			res, err = s.library.Processor.Process(ctx, data)
		}
		if err == nil {
			err = s.putVariants(ctx, it.Hash, res)
		}
		if ctx.Err() != nil {
			return ready, ctx.Err()
		}
		if err != nil {
			s.logger.Error("make image variants again", "image", it.ID, "attempt", it.Attempts+1, "err", err)
			if err := s.store.SetMediaVariants(ctx, it.ID, nil, media.Failed, err.Error()); err != nil {
				return ready, err
			}
			continue
		}
		if err := s.store.SetMediaVariants(ctx, it.ID, variantsOf(res), media.Ready, ""); err != nil {
			return ready, err
		}
		ready++
	}
	return ready, nil
}

// DescribeMedia replaces an image's alt text, caption and credit.
func (s *Service) DescribeMedia(ctx context.Context, actor Actor, id int64, info media.Info) error {
	if err := s.mayMedia(actor, user.UploadImages, "describe images"); err != nil {
		return err
	}
	return s.store.UpdateMediaInfo(ctx, id, info)
}

// DeleteMedia deletes an image no article uses, with its files; editors
// and administrators only. One in use wraps store.ErrConflict and names
// the articles that use it.
func (s *Service) DeleteMedia(ctx context.Context, actor Actor, id int64) error {
	if err := s.mayMedia(actor, user.DeleteImages, "delete images: ask an editor"); err != nil {
		return err
	}
	it, err := s.store.MediaItem(ctx, id)
	if err != nil {
		return err
	}
	if err := s.store.DeleteMedia(ctx, id); err != nil {
		return err
	}
	// The item is gone; files left behind by a failure here are only
	// space, never served (nothing names them).
	for _, file := range append(filesOf(it), media.OriginalFile) {
		if err := s.library.Files.Delete(ctx, media.Key(it.Hash, file)); err != nil {
			s.logger.Error("delete image file", "image", id, "file", file, "err", err)
		}
	}
	s.audit(ctx, actor, "deleted image", it.Filename, fmt.Sprintf("image %d", id))
	return nil
}

// checkFeatured refuses, as a field error, a featured image (0 is none)
// that is not in the library or whose sizes could not be made. One whose
// sizes are still being made is shown once they are.
func (s *Service) checkFeatured(ctx context.Context, id int64) error {
	if id == 0 {
		return nil
	}
	it, err := s.store.MediaItem(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return &article.FieldError{Field: "featured_image", Msg: fmt.Sprintf("image %d is not in the library", id)}
	}
	if err != nil {
		return err
	}
	if it.State == media.Failed {
		return &article.FieldError{Field: "featured_image", Msg: fmt.Sprintf("image %d (%s) failed: %s", id, it.Filename, it.Error)}
	}
	return nil
}

func filesOf(it *media.Item) []string {
	files := make([]string, len(it.Variants))
	for i, v := range it.Variants {
		files[i] = v.File()
	}
	return files
}

// SetFeaturedImage makes image id (0 for none) the featured image of
// article a, as a new version. The image must be in the library and
// ready.
func (s *Service) SetFeaturedImage(ctx context.Context, actor Actor, a *article.Article, id int64) error {
	next := *a
	next.FeaturedMediaID = id
	what := "featured image"
	if id == 0 {
		what = "no featured image"
	}
	return s.Save(ctx, actor, a, &next, what)
}
