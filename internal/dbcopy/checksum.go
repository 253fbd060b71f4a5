package dbcopy

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/datelinehq/dateline/internal/store"
)

// Checksum sums the SHA-256 of each row's canonical rendering (see
// render), so that it does not depend on the order rows are read in:
// SQLite and PostgreSQL sort text differently, and a table without a key
// has no order. A value converted wrongly on its way (a time, a boolean,
// a blob) changes its row's rendering, and so the sum.
type Checksum struct{ hi, lo uint64 }

// Add adds a row, the values of cols.
func (c *Checksum) Add(cols []store.Column, row []any) {
	sum := sha256.Sum256(render(cols, row))
	// Two 64-bit lanes added separately: a duplicated row (a table without
	// a key may hold one) counts twice, where XOR would cancel it out.
	c.hi += binary.BigEndian.Uint64(sum[0:8])
	c.lo += binary.BigEndian.Uint64(sum[8:16])
}

func (c Checksum) String() string { return fmt.Sprintf("%016x%016x", c.hi, c.lo) }

// render writes a row so that equal values render alike whichever
// backend they came from: each value tagged with its type and, for
// strings and bytes, its length, so that no two rows render alike.
func render(cols []store.Column, row []any) []byte {
	var b []byte
	for i, v := range row {
		switch v := v.(type) {
		case nil:
			b = append(b, 'N')
		case int64:
			b = append(b, 'i')
			b = strconv.AppendInt(b, v, 10)
		case float64:
			b = append(b, 'f')
			b = binary.BigEndian.AppendUint64(b, math.Float64bits(v))
		case bool:
			b = append(b, 'b')
			b = strconv.AppendBool(b, v)
		case time.Time:
			b = append(b, 't')
			b = v.UTC().AppendFormat(b, time.RFC3339Nano)
		case string:
			if cols[i].Kind == store.KindJSON {
				v = canonicalJSON(v)
			}
			b = append(b, 's')
			b = strconv.AppendInt(b, int64(len(v)), 10)
			b = append(b, ':')
			b = append(b, v...)
		case []byte:
			b = append(b, 'x')
			b = strconv.AppendInt(b, int64(len(v)), 10)
			b = append(b, ':')
			b = append(b, v...)
		default:
			// Not a kind's Go type: a store bug, which the sums then show.
			b = fmt.Appendf(b, "?%T:%v", v, v)
		}
		b = append(b, 0)
	}
	return b
}

// canonicalJSON is JSON text in one form, whatever form it was stored in:
// PostgreSQL's jsonb gives objects' keys in its own order and puts spaces
// after commas. Text that is not JSON is left as it is.
func canonicalJSON(s string) string {
	d := json.NewDecoder(bytes.NewReader([]byte(s)))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return s
	}
	var buf bytes.Buffer
	e := json.NewEncoder(&buf)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		return s
	}
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

// normalize puts a row's JSON values in compact form, as Dateline
// writes them, before they are written to the target: jsonb gives them
// with spaces, which the SQLite side would otherwise keep.
func normalize(cols []store.Column, row []any) error {
	for i, c := range cols {
		s, ok := row[i].(string)
		if c.Kind != store.KindJSON || !ok {
			continue
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, []byte(s)); err != nil {
			return fmt.Errorf("column %s: not JSON: %w", c.Name, err)
		}
		row[i] = buf.String()
	}
	return nil
}
