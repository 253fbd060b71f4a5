package user

import (
	"encoding/base64"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"
)

const goodPassword = "correct horse battery"

func TestPasswordRoundTrip(t *testing.T) {
	t.Parallel()
	hash, err := HashPassword(goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q does not carry the argon2id PHC prefix with OWASP's parameters", hash)
	}
	if strings.Contains(hash, goodPassword) {
		t.Fatal("the hash contains the password")
	}
	parts := strings.Split(hash, "$")
	if salt, _ := base64.RawStdEncoding.DecodeString(parts[4]); len(salt) != 16 {
		t.Errorf("salt is %d bytes, want 16", len(salt))
	}
	if key, _ := base64.RawStdEncoding.DecodeString(parts[5]); len(key) != 32 {
		t.Errorf("key is %d bytes, want 32", len(key))
	}
	for _, test := range []struct {
		password string
		want     bool
	}{
		{goodPassword, true},
		{"correct horse battery ", false},
		{"Correct horse battery", false},
		{"", false},
		{strings.Repeat("x", MaxPasswordLength+1), false},
	} {
		ok, err := VerifyPassword(hash, test.password)
		if err != nil || ok != test.want {
			t.Errorf("VerifyPassword(%q) = %v, %v; want %v, nil", test.password, ok, err, test.want)
		}
	}
	if NeedsRehash(hash) {
		t.Error("a fresh hash needs a rehash")
	}
}

func TestHashPasswordSaltsEachHash(t *testing.T) {
	t.Parallel()
	a, err := HashPassword(goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	b, err := HashPassword(goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
}

func TestHashPasswordEnforcesPolicy(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		password, want string
	}{
		{"short", "password is 5 characters; use at least 12"},
		{"", "password is 0 characters"},
		{strings.Repeat(" ", 20), "password is only spaces"},
		{strings.Repeat("x", MaxPasswordLength+1), "longer than 1024 bytes"},
	} {
		hash, err := HashPassword(test.password)
		if err == nil || !strings.Contains(err.Error(), test.want) || hash != "" {
			t.Errorf("HashPassword(%.20q) = %q, %v; want an error containing %q", test.password, hash, err, test.want)
		}
	}
	// Length counts characters, not bytes: twelve accented letters pass.
	if _, err := HashPassword(strings.Repeat("é", 12)); err != nil {
		t.Errorf("twelve two-byte letters: %v", err)
	}
}

// phc builds a PHC string with chosen parameters, as an older Dateline or
// another program would have written it.
func phc(password string, m, tm uint32, p uint8, salt []byte, keyLen uint32) string {
	key := argon2.IDKey([]byte(password), salt, tm, m, p, keyLen)
	return argonParams{memory: m, time: tm, threads: p, salt: salt, key: key}.String()
}

func TestVerifyPasswordReadsOtherParameters(t *testing.T) {
	t.Parallel()
	salt := []byte("0123456789abcdefXYZ")
	for _, hash := range []string{
		phc(goodPassword, 8*1024, 3, 1, salt[:16], 32),
		phc(goodPassword, 64, 1, 2, salt[:8], 16),
		phc(goodPassword, 19*1024, 2, 1, salt, 64),
	} {
		ok, err := VerifyPassword(hash, goodPassword)
		if err != nil || !ok {
			t.Errorf("VerifyPassword(%s) = %v, %v; want true", hash, ok, err)
		}
		if ok, _ := VerifyPassword(hash, "wrong password!"); ok {
			t.Errorf("VerifyPassword(%s) accepts a wrong password", hash)
		}
		if !NeedsRehash(hash) {
			t.Errorf("NeedsRehash(%s) = false for older parameters", hash)
		}
	}
	// A hash written by the reference encoder (the argon2 CLI) verifies.
	ok, err := VerifyPassword("$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", "password")
	if err != nil || !ok {
		t.Errorf("reference vector: %v, %v", ok, err)
	}
}

func TestVerifyPasswordRejectsTamperedHashes(t *testing.T) {
	t.Parallel()
	hash, err := HashPassword(goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(hash, "$")
	join := func(i int, v string) string {
		p := append([]string(nil), parts...)
		p[i] = v
		return strings.Join(p, "$")
	}
	// Changed data that still parses must not verify.
	otherKey := make([]byte, 32)
	otherSalt := []byte("another salt!!!!")
	for name, tampered := range map[string]string{
		"key":    join(5, base64.RawStdEncoding.EncodeToString(otherKey)),
		"salt":   join(4, base64.RawStdEncoding.EncodeToString(otherSalt)),
		"time":   join(3, "m=19456,t=3,p=1"),
		"memory": join(3, "m=19455,t=2,p=1"),
	} {
		ok, err := VerifyPassword(tampered, goodPassword)
		if err != nil || ok {
			t.Errorf("tampered %s: VerifyPassword = %v, %v; want false, nil", name, ok, err)
		}
	}
	// Hashes that cannot be read are errors naming the bad part.
	for _, test := range []struct {
		name, hash, want string
	}{
		{"empty", "", "not a PHC string"},
		{"bcrypt", "$2a$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW", "not a PHC string"},
		{"argon2i", join(1, "argon2i"), `algorithm "argon2i" is not argon2id`},
		{"version", join(2, "v=16"), `version "v=16" is not v=19`},
		{"unknown parameter", join(3, "m=19456,t=2,x=1"), `parameter "x=1" is not m=, t= or p=`},
		{"duplicate parameter", join(3, "m=19456,m=2,p=1"), "parameter m is given twice"},
		{"missing parameter", join(3, "m=19456,p=1"), "parameter t= is missing"},
		{"non-number", join(3, "m=lots,t=2,p=1"), `parameter m="lots" is not a whole number`},
		{"huge memory", join(3, "m=4194304,t=2,p=1"), "memory m=4194304 KiB is outside"},
		{"zero time", join(3, "m=19456,t=0,p=1"), "time t=0 is outside"},
		{"zero threads", join(3, "m=19456,t=2,p=0"), "parallelism p=0 is outside"},
		{"salt not base64", join(4, "!!!"), "salt is not Base64"},
		{"short salt", join(4, "YWJj"), "salt is 3 bytes"},
		{"key not base64", join(5, "%%%"), "hash is not Base64"},
		{"short key", join(5, "YWJj"), "hash is 3 bytes"},
		{"extra field", hash + "$x", "not a PHC string"},
	} {
		ok, err := VerifyPassword(test.hash, goodPassword)
		if ok || err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("%s: VerifyPassword = %v, %v; want an error containing %q", test.name, ok, err, test.want)
			continue
		}
		if parts[5] != "" && strings.Contains(err.Error(), parts[5]) {
			t.Errorf("%s: the error quotes the stored hash: %v", test.name, err)
		}
		if !NeedsRehash(test.hash) {
			t.Errorf("%s: NeedsRehash = false for a hash that cannot be read", test.name)
		}
	}
}
