package user

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
)

// sessionTokenBytes is the randomness in a session token: 256 bits, far
// beyond guessing.
const sessionTokenBytes = 32

// NewSessionToken returns a new random session token, for the cookie, and
// its hash, for the store (see HashToken).
func NewSessionToken() (token string, hash []byte, err error) {
	b := make([]byte, sessionTokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("new session token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// HashToken returns the SHA-256 of a session token, the form in which the
// store keeps it. A plain hash suffices (no salt, no argon2): the token is
// 256 random bits, not a guessable password.
func HashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}
