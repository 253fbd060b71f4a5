package comment

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash"
	"strings"
	"sync"
	"time"
)

// Errors of form tokens; their messages are shown to the reader.
var (
	ErrTokenInvalid = errors.New("the form is damaged or from another page; please reload the page and post again")
	ErrTooFast      = errors.New("that was too quick: please take a moment to read over your comment, then post it again")
	ErrTokenExpired = errors.New("the form has expired; please post again")
)

// tokenLen is the signed part of a form token: the article, the moment
// the form was served, and a random nonce that makes every form unique.
const tokenLen = 8 + 8 + 16

// Signer signs and checks form tokens and commenter cookies with the
// site's secret. A form token is made for every reader of a cached page,
// so its keyed HMAC states are pooled rather than set up each time.
type Signer struct {
	macs sync.Pool // of *mac
}

type mac struct {
	hash.Hash
	sum [sha256.Size]byte
}

// NewSigner returns a Signer for secret.
func NewSigner(secret []byte) *Signer {
	key := bytes.Clone(secret)
	return &Signer{macs: sync.Pool{New: func() any { return &mac{Hash: hmac.New(sha256.New, key)} }}}
}

// appendSignature appends the base64 HMAC of data to dst.
func (s *Signer) appendSignature(dst, data []byte) []byte {
	m := s.macs.Get().(*mac)
	m.Reset()
	m.Write(data)
	dst = base64.RawURLEncoding.AppendEncode(dst, m.Sum(m.sum[:0]))
	s.macs.Put(m)
	return dst
}

func (s *Signer) signature(data []byte) string {
	var buf [base64RawLen]byte
	return string(s.appendSignature(buf[:0], data))
}

// base64RawLen is the length of an HMAC-SHA256 in unpadded base64.
const base64RawLen = (sha256.Size*8 + 5) / 6

// NewToken returns a signed form token for a comment form on the article,
// served at now.
func (s *Signer) NewToken(articleID int64, now time.Time) string {
	var raw [tokenLen]byte
	binary.BigEndian.PutUint64(raw[0:8], uint64(articleID))
	binary.BigEndian.PutUint64(raw[8:16], uint64(now.Unix()))
	rand.Read(raw[16:])
	var buf [(tokenLen*8+5)/6 + 1 + base64RawLen]byte
	b := base64.RawURLEncoding.AppendEncode(buf[:0], raw[:])
	b = append(b, '.')
	return string(s.appendSignature(b, raw[:]))
}

// VerifyToken checks a posted form token for the article at time now: it
// must be signed with the secret, be for this article, and be at least
// minAge and at most maxAge old. It returns the token's nonce, which the
// caller records so that the token cannot be used twice.
func (s *Signer) VerifyToken(token string, articleID int64, now time.Time, minAge, maxAge time.Duration) (nonce string, err error) {
	body, sig, ok := strings.Cut(token, ".")
	raw, err := base64.RawURLEncoding.DecodeString(body)
	if !ok || err != nil || len(raw) != tokenLen || !hmac.Equal([]byte(sig), []byte(s.signature(raw))) {
		return "", ErrTokenInvalid
	}
	if int64(binary.BigEndian.Uint64(raw[0:8])) != articleID {
		return "", ErrTokenInvalid
	}
	issued := time.Unix(int64(binary.BigEndian.Uint64(raw[8:16])), 0)
	switch age := now.Sub(issued); {
	case age < minAge:
		return "", ErrTooFast
	case age > maxAge:
		return "", ErrTokenExpired
	}
	return hex.EncodeToString(raw[16:]), nil
}

// NewCommenterKey returns a random key for a commenter's cookie. It says
// nothing about the commenter; the store keeps only its hash.
func NewCommenterKey() string {
	var b [18]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// SignCookie and VerifyCookie wrap a commenter key in a signed cookie
// value, so that a made-up key is refused without a lookup.
func (s *Signer) SignCookie(key string) string {
	return key + "." + s.signature([]byte("commenter:"+key))
}

// VerifyCookie returns the commenter key of a cookie value signed by
// SignCookie.
func (s *Signer) VerifyCookie(value string) (string, bool) {
	key, sig, ok := strings.Cut(value, ".")
	if !ok || key == "" || !hmac.Equal([]byte(sig), []byte(s.signature([]byte("commenter:"+key)))) {
		return "", false
	}
	return key, true
}

// HashKey is what the store keeps of a commenter key.
func HashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}
