package comment

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"strings"
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

// NewToken returns a signed form token for a comment form on the article,
// served at now.
func NewToken(secret []byte, articleID int64, now time.Time) string {
	var raw [tokenLen]byte
	binary.BigEndian.PutUint64(raw[0:8], uint64(articleID))
	binary.BigEndian.PutUint64(raw[8:16], uint64(now.Unix()))
	rand.Read(raw[16:])
	return base64.RawURLEncoding.EncodeToString(raw[:]) + "." + sign(secret, raw[:])
}

// VerifyToken checks a posted form token for the article at time now: it
// must be signed with secret, be for this article, and be at least minAge
// and at most maxAge old. It returns the token's nonce, which the caller
// records so that the token cannot be used twice.
func VerifyToken(secret []byte, token string, articleID int64, now time.Time, minAge, maxAge time.Duration) (nonce string, err error) {
	body, sig, ok := strings.Cut(token, ".")
	raw, err := base64.RawURLEncoding.DecodeString(body)
	if !ok || err != nil || len(raw) != tokenLen || !hmac.Equal([]byte(sig), []byte(sign(secret, raw))) {
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

func sign(secret, data []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(data)
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
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
func SignCookie(secret []byte, key string) string {
	return key + "." + sign(secret, []byte("commenter:"+key))
}

// VerifyCookie returns the commenter key of a cookie value signed by
// SignCookie.
func VerifyCookie(secret []byte, value string) (string, bool) {
	key, sig, ok := strings.Cut(value, ".")
	if !ok || key == "" || !hmac.Equal([]byte(sig), []byte(sign(secret, []byte("commenter:"+key)))) {
		return "", false
	}
	return key, true
}

// HashKey is what the store keeps of a commenter key.
func HashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}
