package user

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"testing"
)

func TestNewSessionToken(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 100 {
		token, hash, err := NewSessionToken()
		if err != nil {
			t.Fatal(err)
		}
		raw, err := base64.RawURLEncoding.DecodeString(token)
		if err != nil || len(raw) != 32 {
			t.Fatalf("token %q is not 32 bytes of unpadded base64url: %d bytes, %v", token, len(raw), err)
		}
		if want := sha256.Sum256([]byte(token)); !bytes.Equal(hash, want[:]) {
			t.Fatalf("hash of %q is not its SHA-256", token)
		}
		if !bytes.Equal(HashToken(token), hash) {
			t.Fatalf("HashToken(%q) differs from the hash NewSessionToken returned", token)
		}
		if seen[token] {
			t.Fatalf("token %q came twice", token)
		}
		seen[token] = true
	}
	if bytes.Equal(HashToken("a"), HashToken("b")) {
		t.Error("two tokens hash alike")
	}
}
