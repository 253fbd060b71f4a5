package store

import "context"

// ColumnKind is what a column holds, whatever type its backend stores it
// as: SQLite keeps times as text and booleans as integers, where
// PostgreSQL has timestamptz and boolean. Moving rows between the two
// (dateline db copy) goes through these kinds.
type ColumnKind int

// The kinds of column, and the Go value a TableReader gives for each
// (nil for NULL).
const (
	KindText ColumnKind = iota // string
	KindInt                    // int64
	KindReal                   // float64
	KindBool                   // bool
	KindTime                   // time.Time, in UTC
	KindDate                   // string, 2006-01-02
	KindBlob                   // []byte
	KindJSON                   // string, the JSON text
)

func (k ColumnKind) String() string {
	switch k {
	case KindText:
		return "text"
	case KindInt:
		return "integer"
	case KindReal:
		return "real"
	case KindBool:
		return "boolean"
	case KindTime:
		return "time"
	case KindDate:
		return "date"
	case KindBlob:
		return "blob"
	case KindJSON:
		return "json"
	}
	return "unknown"
}

// Column is one column of a Table.
type Column struct {
	Name string
	// Kind is what the backend's own type says: SQLite's types say only
	// text, integer, real or blob, so a copy takes the finer kind of the
	// two sides (see dbcopy).
	Kind ColumnKind
}

// Table is a table as a backend's catalog describes it.
type Table struct {
	Name    string
	Columns []Column
	// Key is the primary key's columns, in order; none for a table
	// without one.
	Key []string
	// References names the tables the table's foreign keys point to (the
	// table itself for a thread, such as comments' parent_id).
	References []string
	// Identity says the table numbers its rows in its id column, with IDs
	// never given again (see TableWriter.SetIDHighs).
	Identity bool
}

// Tables is raw access to a store's tables, which copying a whole site
// from one database to another needs (dateline db copy): the service
// decides what goes where, the backend reads and writes its own
// representation of each kind of value.
type Tables interface {
	// Tables lists the tables that hold the site's data, and their
	// columns, leaving out what the database derives itself (its
	// full-text indexes, the marks of the IDs it gave), which a copy
	// rebuilds by the target's own mechanism.
	Tables(ctx context.Context) ([]Table, error)
	// ReadTables runs fn with a reader over one consistent snapshot of
	// the database, which others may go on writing meanwhile.
	ReadTables(ctx context.Context, fn func(TableReader) error) error
	// WriteTables runs fn in one write transaction, committed when fn
	// returns nil and rolled back otherwise, so that the database has
	// all of fn's writes or none.
	WriteTables(ctx context.Context, fn func(TableWriter) error) error
}

// TableReader reads tables; see Tables.
type TableReader interface {
	// Scan reads the rows of table (in the order of orderBy's columns,
	// when given), each as the values of cols in the Go types their kinds
	// give, and calls fn with batches of at most batch rows. fn must not
	// keep the slices past its return.
	Scan(ctx context.Context, table string, cols []Column, orderBy []string, batch int, fn func(rows [][]any) error) error
	// Count counts table's rows.
	Count(ctx context.Context, table string) (int64, error)
	// IDHighs is the highest ID each Identity table ever gave, by table:
	// at least its highest row's, more when the newest rows were deleted.
	IDHighs(ctx context.Context) (map[string]int64, error)
}

// TableWriter writes tables, inside the transaction of WriteTables; it
// reads what the transaction wrote too.
type TableWriter interface {
	TableReader
	// Insert adds rows to table, each the values of cols in the Go types
	// of their kinds (see TableReader.Scan), keeping the IDs they carry.
	// Foreign keys may point to rows inserted later in the transaction
	// where the backend can check them at commit (SQLite); elsewhere
	// (PostgreSQL) rows must come after those they point to.
	Insert(ctx context.Context, table string, cols []Column, rows [][]any) error
	// Clear deletes every row of table.
	Clear(ctx context.Context, table string) error
	// SetIDHighs makes every Identity table give new rows IDs above both
	// its highest row's and highs[table], so that an ID the source gave
	// and took back is not given again.
	SetIDHighs(ctx context.Context, highs map[string]int64) error
}
