package user

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters for new hashes: OWASP's Password Storage Cheat Sheet
// recommends m=19 MiB, t=2, p=1 as the smallest setting it deems safe,
// which keeps one hash near 20 ms and 19 MiB so a small server can take a
// burst of sign-ins. Stored hashes carry their own parameters, so these can
// rise later; NeedsRehash tells which hashes are older.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonSaltLen = 16
	argonKeyLen  = 32
)

// Bounds on the parameters VerifyPassword accepts from a stored hash, so a
// corrupted or planted hash cannot make one sign-in take gigabytes.
const (
	maxArgonMemory  = 1024 * 1024 // 1 GiB in KiB
	maxArgonTime    = 64
	minArgonSaltLen = 8 // the argon2 specification's minimum
	minArgonKeyLen  = 16
	maxArgonKeyLen  = 1024
)

// b64 is the PHC string format's Base64: the standard alphabet without
// padding.
var b64 = base64.RawStdEncoding

// HashPassword checks password against CheckPasswordPolicy and returns its
// argon2id hash, with a fresh random salt, as a PHC string:
//
//	$argon2id$v=19$m=19456,t=2,p=1$SALT$HASH
func HashPassword(password string) (string, error) {
	if err := CheckPasswordPolicy(password); err != nil {
		return "", err
	}
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	p := argonParams{memory: argonMemory, time: argonTime, threads: argonThreads, salt: salt}
	p.key = argon2.IDKey([]byte(password), salt, p.time, p.memory, p.threads, argonKeyLen)
	return p.String(), nil
}

// VerifyPassword reports whether password matches hash, using the
// parameters written in the hash. A wrong password is (false, nil); a hash
// that cannot be read is an error saying which part is wrong.
func VerifyPassword(hash, password string) (bool, error) {
	p, err := parseHash(hash)
	if err != nil {
		return false, err
	}
	if len(password) > MaxPasswordLength {
		// No such password can have been set; don't spend work on it.
		return false, nil
	}
	key := argon2.IDKey([]byte(password), p.salt, p.time, p.memory, p.threads, uint32(len(p.key)))
	return subtle.ConstantTimeCompare(key, p.key) == 1, nil
}

// NeedsRehash reports whether hash was made with other parameters than
// HashPassword uses now (or cannot be read), so that it should be replaced
// by a new hash of the password the next time the user signs in.
func NeedsRehash(hash string) bool {
	p, err := parseHash(hash)
	if err != nil {
		return true
	}
	return p.memory != argonMemory || p.time != argonTime || p.threads != argonThreads ||
		len(p.salt) != argonSaltLen || len(p.key) != argonKeyLen
}

// argonParams is a parsed argon2id PHC string.
type argonParams struct {
	memory  uint32 // KiB
	time    uint32
	threads uint8
	salt    []byte
	key     []byte
}

func (p argonParams) String() string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.memory, p.time, p.threads, b64.EncodeToString(p.salt), b64.EncodeToString(p.key))
}

// parseHash reads an argon2id PHC string. Its errors name the part that is
// wrong but never quote the hash.
func parseHash(hash string) (argonParams, error) {
	var p argonParams
	bad := func(format string, args ...any) (argonParams, error) {
		return argonParams{}, fmt.Errorf("password hash: "+format, args...)
	}
	// "$argon2id$v=19$m=...,t=...,p=...$salt$key" splits into an empty
	// first field and five more.
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" {
		return bad("not a PHC string of six $-separated fields")
	}
	if parts[1] != "argon2id" {
		return bad("algorithm %q is not argon2id", parts[1])
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return bad("version %q is not v=%d", parts[2], argon2.Version)
	}
	params := map[string]uint64{}
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || (k != "m" && k != "t" && k != "p") {
			return bad("parameter %q is not m=, t= or p=", kv)
		}
		if _, dup := params[k]; dup {
			return bad("parameter %s is given twice", k)
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return bad("parameter %s=%q is not a whole number", k, v)
		}
		params[k] = n
	}
	for _, k := range []string{"m", "t", "p"} {
		if _, ok := params[k]; !ok {
			return bad("parameter %s= is missing", k)
		}
	}
	switch m, t, th := params["m"], params["t"], params["p"]; {
	case th < 1 || th > 255:
		return bad("parallelism p=%d is outside 1 to 255", th)
	case m < 8*th || m > maxArgonMemory:
		return bad("memory m=%d KiB is outside %d to %d", m, 8*th, maxArgonMemory)
	case t < 1 || t > maxArgonTime:
		return bad("time t=%d is outside 1 to %d", t, maxArgonTime)
	default:
		p.memory, p.time, p.threads = uint32(m), uint32(t), uint8(th)
	}
	var err error
	if p.salt, err = b64.DecodeString(parts[4]); err != nil {
		return bad("salt is not Base64: %v", err)
	}
	if len(p.salt) < minArgonSaltLen {
		return bad("salt is %d bytes; want at least %d", len(p.salt), minArgonSaltLen)
	}
	if p.key, err = b64.DecodeString(parts[5]); err != nil {
		return bad("hash is not Base64: %v", err)
	}
	if len(p.key) < minArgonKeyLen || len(p.key) > maxArgonKeyLen {
		return bad("hash is %d bytes; want %d to %d", len(p.key), minArgonKeyLen, maxArgonKeyLen)
	}
	return p, nil
}
