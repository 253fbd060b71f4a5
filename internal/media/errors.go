package media

import "errors"

var (
	// ErrInvalid is wrapped by every refusal of an upload's bytes or of an
	// item's metadata.
	ErrInvalid = errors.New("invalid image")
	// ErrTooLarge is wrapped when an upload is over the size limit; its
	// message names the limit.
	ErrTooLarge = errors.New("image too large")
)
