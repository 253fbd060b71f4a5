// Package dbcopy copies a whole site from one database to another, SQLite
// to PostgreSQL or back: 'dateline db copy'. It copies table by table,
// every table the two schemas share, rather than entity by entity, so
// that a table a migration adds is copied without a change here; the
// stores only read and write their own representation of each value (see
// store.Tables), and this package decides what goes where and checks that
// it arrived.
//
// The copy runs in one transaction on the target: interrupted or failed,
// it leaves the target as it was, never half a site that looks whole.
package dbcopy

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/store"
)

// Side is one end of a copy.
type Side struct {
	// Name names the database in messages (a DSN without its password).
	Name   string
	Tables store.Tables
	// MediaDir is the folder of the photo library's files where the
	// store keeps them in files (SQLite): "" where it keeps them in its
	// database (PostgreSQL's table media_files).
	MediaDir string
}

// Options tune a copy.
type Options struct {
	// Sessions copies the users' sessions too, which keeps them signed
	// in; left out, everyone signs in again on the new database.
	Sessions bool
	// BatchRows is how many rows are read and written at a time
	// (DefaultBatchRows when 0).
	BatchRows int
	// Now is the clock, for Summary.Elapsed.
	Now func() time.Time
	// Progress, when set, is told how many rows (and photo files) are
	// copied of how many, as the copy goes.
	Progress func(done, total int64)
}

// DefaultBatchRows is how many rows are read and written at a time.
const DefaultBatchRows = 500

// notCopied are the tables left out of every copy, with the reason.
var notCopied = map[string]string{
	"schema_version": "migration bookkeeping: the target's own migrations set it",
	"change_journal": "a log of recent changes, which the target starts afresh",
}

// sessionsTable holds the users' sign-ins, copied only when asked.
const sessionsTable = "sessions"

// mediaFilesTable is where a store that keeps the photo library's files
// in its database (PostgreSQL) keeps them: as files they are copied to or
// from the other side's folder.
const mediaFilesTable = "media_files"

// contentTables are those a target must not hold rows of: a copy goes
// only into an empty site. What else a new database may hold (settings
// such as the site's secret, which serve makes at its first start) is
// replaced.
var contentTables = []struct{ table, one, many string }{
	{"articles", "article", "articles"},
	{"comments", "comment", "comments"},
	{"users", "user", "users"},
	{"media", "photo", "photos"},
}

// ErrNotEmpty is wrapped by Copy's error for a target that holds a site
// already; nothing was written.
var ErrNotEmpty = errors.New("the target is not empty")

// ErrMismatch is wrapped by Copy's error when what the target holds after
// the copy is not what the source held; the copy was rolled back.
var ErrMismatch = errors.New("the copy differs from the source")

// TableResult is how one table was copied.
type TableResult struct {
	Name string
	// Rows is how many rows the source held; TargetRows how many the
	// target holds after the copy.
	Rows, TargetRows int64
	// Source and Target are the checksums of the rows on each side (see
	// Checksum).
	Source, Target Checksum
}

// OK reports whether the target holds what the source held.
func (r TableResult) OK() bool { return r.Rows == r.TargetRows && r.Source == r.Target }

// Skipped is a table that was not copied.
type Skipped struct {
	Name, Reason string
}

// Summary is what a copy did.
type Summary struct {
	// Tables are the tables copied, in the order they were, then the
	// photo files where they moved between a folder and a database
	// (named FilesName).
	Tables  []TableResult
	Skipped []Skipped
	Elapsed time.Duration
}

// FilesName names the photo files in a Summary, when they moved between
// a folder and a database.
const FilesName = "photo files"

// Rows is how many rows (and photo files) were copied.
func (s Summary) Rows() int64 {
	var n int64
	for _, t := range s.Tables {
		n += t.Rows
	}
	return n
}

// Copy copies the whole site in from to the empty database to, which it
// writes in one transaction; the photo files go with it (see Side). Both
// stores must have been opened, and so migrated, by this binary. A target
// that holds articles, comments, users or photos is refused, wrapping
// ErrNotEmpty, and one that after the copy differs from the source in any
// table's row count or checksum is rolled back, wrapping ErrMismatch; in
// both cases, and when ctx ends first, the target is left as it was.
func Copy(ctx context.Context, from, to Side, opts Options) (Summary, error) {
	if opts.BatchRows <= 0 {
		opts.BatchRows = DefaultBatchRows
	}
	if opts.Now == nil {
		return Summary{}, errors.New("dbcopy: no clock (Options.Now)")
	}
	start := opts.Now()
	c := &copier{from: from, to: to, opts: opts}
	if err := c.plan(ctx); err != nil {
		return Summary{}, fmt.Errorf("copy %s to %s: %w", from.Name, to.Name, err)
	}
	err := to.Tables.WriteTables(ctx, func(w store.TableWriter) error {
		if err := c.checkTargetEmpty(ctx, w); err != nil {
			return err
		}
		if err := c.checkTargetFolder(); err != nil {
			return err
		}
		return from.Tables.ReadTables(ctx, func(r store.TableReader) error {
			return c.copy(ctx, r, w)
		})
	})
	if err != nil {
		c.removeWrittenFiles()
		if errors.Is(err, ErrNotEmpty) {
			return Summary{}, err
		}
		return c.summary, fmt.Errorf("copy %s to %s: %w (the target was left as it was)", from.Name, to.Name, err)
	}
	c.summary.Elapsed = opts.Now().Sub(start)
	return c.summary, nil
}

// copier is one copy under way.
type copier struct {
	from, to Side
	opts     Options
	// tables are those to copy, in an order in which a row comes after
	// the rows it points to.
	tables []tablePlan
	// files says how the photo files move, when not as a table.
	files fileMove
	// targetHas lists the target's tables.
	targetHas map[string]store.Table
	summary   Summary
	done      int64
	total     int64
	// written are the photo files written into the target's folder, to
	// remove if the copy fails; createdDir is that folder when the copy
	// made it.
	written    []string
	createdDir string
}

// tablePlan is how one table is copied.
type tablePlan struct {
	name    string
	cols    []store.Column
	orderBy []string
}

// fileMove is how the photo files go, when they change form: from a
// table to a folder, from a folder to a table, or folder to folder.
type fileMove struct {
	fromTable, toTable bool
	fromDir, toDir     string
}

func (m fileMove) none() bool {
	return !m.fromTable && !m.toTable && (m.fromDir == "" || m.toDir == "")
}

// plan decides which tables are copied, in which order, with which
// columns of which kinds.
func (c *copier) plan(ctx context.Context) error {
	src, err := c.from.Tables.Tables(ctx)
	if err != nil {
		return err
	}
	dst, err := c.to.Tables.Tables(ctx)
	if err != nil {
		return err
	}
	c.targetHas = map[string]store.Table{}
	for _, t := range dst {
		c.targetHas[t.Name] = t
	}
	sourceHas := map[string]store.Table{}
	for _, t := range src {
		sourceHas[t.Name] = t
	}
	// The photo files are a table like any other when both sides keep
	// them in their database; otherwise they move as files, to or from a
	// folder.
	srcTable, dstTable := sourceHas[mediaFilesTable], c.targetHas[mediaFilesTable]
	fromTable := c.from.MediaDir == "" && srcTable.Name != ""
	toTable := c.to.MediaDir == "" && dstTable.Name != ""
	switch {
	case fromTable && toTable:
	case fromTable && c.to.MediaDir == "":
		return errors.New("the source keeps its photo files in its database, and the target has no folder for them (name one with --to-media)")
	case fromTable:
		c.files = fileMove{fromTable: true, toDir: c.to.MediaDir}
	case toTable:
		c.files = fileMove{fromDir: c.from.MediaDir, toTable: true}
	default:
		c.files = fileMove{fromDir: c.from.MediaDir, toDir: c.to.MediaDir}
	}

	var plans []tablePlan
	refs := map[string][]string{}
	for _, t := range src {
		target, inTarget := c.targetHas[t.Name]
		if reason, ok := notCopied[t.Name]; ok {
			c.summary.Skipped = append(c.summary.Skipped, Skipped{t.Name, reason})
			continue
		}
		if t.Name == sessionsTable && !c.opts.Sessions {
			c.summary.Skipped = append(c.summary.Skipped, Skipped{t.Name, "sign-ins: copied with --sessions"})
			continue
		}
		if t.Name == mediaFilesTable && !(fromTable && toTable) {
			continue // moved as files (FilesName)
		}
		if !inTarget {
			c.summary.Skipped = append(c.summary.Skipped, Skipped{t.Name, "the target has no such table"})
			continue
		}
		cols, err := columns(t, target)
		if err != nil {
			return err
		}
		p := tablePlan{name: t.Name, cols: cols}
		if slices.Contains(t.References, t.Name) {
			// A thread (comments' parent_id): in key order, a row comes
			// after the one it answers, which was made before it.
			p.orderBy = t.Key
		}
		plans = append(plans, p)
		refs[t.Name] = t.References
	}
	c.tables = order(plans, refs)
	if c.files.fromDir != "" && c.files.toDir != "" && sameDir(c.files.fromDir, c.files.toDir) {
		return fmt.Errorf("the source and the target keep their photo files in the same folder, %s", c.files.fromDir)
	}
	return nil
}

func sameDir(a, b string) bool {
	a, errA := filepath.Abs(a)
	b, errB := filepath.Abs(b)
	return errA == nil && errB == nil && a == b
}

// columns is the source table's columns, each with the finer of the two
// sides' kinds. A column the target lacks would be lost: it is refused.
// One only the target has takes its default.
func columns(src, dst store.Table) ([]store.Column, error) {
	kinds := map[string]store.ColumnKind{}
	for _, c := range dst.Columns {
		kinds[c.Name] = c.Kind
	}
	var cols []store.Column
	for _, c := range src.Columns {
		k, ok := kinds[c.Name]
		if !ok {
			return nil, fmt.Errorf("column %s.%s is in the source but not in the target: the two schemas differ", src.Name, c.Name)
		}
		kind, ok := finer(c.Kind, k)
		if !ok {
			return nil, fmt.Errorf("column %s.%s holds %s in the source but %s in the target", src.Name, c.Name, c.Kind, k)
		}
		cols = append(cols, store.Column{Name: c.Name, Kind: kind})
	}
	return cols, nil
}

// finer is the kind of a column that one side stores as a and the other
// as b: SQLite's TEXT is a time, a day or JSON where PostgreSQL says so,
// its INTEGER a boolean.
func finer(a, b store.ColumnKind) (store.ColumnKind, bool) {
	if a == b {
		return a, true
	}
	for _, p := range []struct{ coarse, fine store.ColumnKind }{
		{store.KindText, store.KindTime}, {store.KindText, store.KindDate}, {store.KindText, store.KindJSON},
		{store.KindInt, store.KindBool}, {store.KindInt, store.KindReal},
	} {
		if (a == p.coarse && b == p.fine) || (a == p.fine && b == p.coarse) {
			return p.fine, true
		}
	}
	return 0, false
}

// order sorts the tables so that each comes after those it references
// (by name where that leaves a choice, for a stable order); tables in a
// cycle, if a migration ever made one, follow in name order.
func order(plans []tablePlan, refs map[string][]string) []tablePlan {
	sort.Slice(plans, func(i, j int) bool { return plans[i].name < plans[j].name })
	placed := map[string]bool{}
	planned := map[string]bool{}
	for _, p := range plans {
		planned[p.name] = true
	}
	var out []tablePlan
	for len(out) < len(plans) {
		progress := false
		for _, p := range plans {
			if placed[p.name] {
				continue
			}
			ready := true
			for _, r := range refs[p.name] {
				if r != p.name && planned[r] && !placed[r] {
					ready = false
				}
			}
			if ready {
				out = append(out, p)
				placed[p.name] = true
				progress = true
			}
		}
		if !progress {
			for _, p := range plans {
				if !placed[p.name] {
					out = append(out, p)
					placed[p.name] = true
				}
			}
		}
	}
	return out
}

// checkTargetFolder refuses a target folder that holds photo files.
func (c *copier) checkTargetFolder() error {
	if c.files.toDir == "" {
		return nil
	}
	n := 0
	err := walkFiles(c.files.toDir, func(string, string) error {
		n++
		return nil
	})
	if err != nil {
		return fmt.Errorf("read the photo folder %s: %w", c.files.toDir, err)
	}
	if n > 0 {
		return fmt.Errorf("%w: the photo folder %s holds %d files: db copy writes only into an empty site; name a new database, or a new folder with --to-media", ErrNotEmpty, c.files.toDir, n)
	}
	return nil
}

// checkTargetEmpty refuses, before anything is written, a target that
// holds a site.
func (c *copier) checkTargetEmpty(ctx context.Context, w store.TableWriter) error {
	var held []string
	for _, ct := range contentTables {
		if _, ok := c.targetHas[ct.table]; !ok {
			continue
		}
		n, err := w.Count(ctx, ct.table)
		if err != nil {
			return err
		}
		switch {
		case n == 1:
			held = append(held, "1 "+ct.one)
		case n > 1:
			held = append(held, fmt.Sprintf("%d %s", n, ct.many))
		}
	}
	if len(held) == 0 {
		return nil
	}
	what := strings.Join(held, ", ")
	if len(held) > 1 {
		what = strings.Join(held[:len(held)-1], ", ") + " and " + held[len(held)-1]
	}
	return fmt.Errorf("%w: %s holds %s: db copy writes only into an empty database; name a new one", ErrNotEmpty, c.to.Name, what)
}

// copy copies every table, then the photo files, and checks the result,
// within the target's transaction.
func (c *copier) copy(ctx context.Context, r store.TableReader, w store.TableWriter) error {
	counts := map[string]int64{}
	for _, t := range c.tables {
		n, err := r.Count(ctx, t.name)
		if err != nil {
			return err
		}
		counts[t.name] = n
		c.total += n
	}
	files, err := c.countFiles(ctx, r)
	if err != nil {
		return err
	}
	c.total += files
	c.report()

	// What a new database may hold besides content (see contentTables),
	// last table first, for its foreign keys.
	for i := len(c.tables) - 1; i >= 0; i-- {
		if err := w.Clear(ctx, c.tables[i].name); err != nil {
			return err
		}
	}
	if c.files.toTable {
		if err := w.Clear(ctx, mediaFilesTable); err != nil {
			return err
		}
	}

	for _, t := range c.tables {
		res := TableResult{Name: t.name}
		err := r.Scan(ctx, t.name, t.cols, t.orderBy, c.opts.BatchRows, func(rows [][]any) error {
			for _, row := range rows {
				if err := normalize(t.cols, row); err != nil {
					return fmt.Errorf("%s: %w", t.name, err)
				}
				res.Source.Add(t.cols, row)
			}
			res.Rows += int64(len(rows))
			if err := w.Insert(ctx, t.name, t.cols, rows); err != nil {
				return err
			}
			c.done += int64(len(rows))
			c.report()
			return nil
		})
		if err != nil {
			return err
		}
		c.summary.Tables = append(c.summary.Tables, res)
	}
	if err := c.copyFiles(ctx, r, w); err != nil {
		return err
	}

	highs, err := r.IDHighs(ctx)
	if err != nil {
		return err
	}
	if err := w.SetIDHighs(ctx, highs); err != nil {
		return err
	}
	return c.verify(ctx, w)
}

// report tells the progress.
func (c *copier) report() {
	if c.opts.Progress != nil {
		c.opts.Progress(c.done, c.total)
	}
}

// verify reads every table back from the target, in its transaction,
// and compares its rows with the source's.
func (c *copier) verify(ctx context.Context, w store.TableWriter) error {
	var bad []string
	for i, t := range c.tables {
		res := &c.summary.Tables[i]
		err := w.Scan(ctx, t.name, t.cols, nil, c.opts.BatchRows, func(rows [][]any) error {
			for _, row := range rows {
				if err := normalize(t.cols, row); err != nil {
					return fmt.Errorf("%s: %w", t.name, err)
				}
				res.Target.Add(t.cols, row)
			}
			res.TargetRows += int64(len(rows))
			return nil
		})
		if err != nil {
			return err
		}
		if !res.OK() {
			bad = append(bad, fmt.Sprintf("%s (%d rows, %d copied, checksums %s and %s)", t.name, res.Rows, res.TargetRows, res.Source, res.Target))
		}
	}
	if !c.files.none() {
		res := &c.summary.Tables[len(c.summary.Tables)-1]
		err := c.eachTargetFile(ctx, w, func(key string, data []byte) error {
			res.Target.Add(fileCols, []any{key, data})
			res.TargetRows++
			return nil
		})
		if err != nil {
			return err
		}
		if !res.OK() {
			bad = append(bad, fmt.Sprintf("%s (%d files, %d copied)", FilesName, res.Rows, res.TargetRows))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("%w: %s", ErrMismatch, strings.Join(bad, "; "))
	}
	return nil
}

// fileCols are a photo file's fields as a checksum reads them.
var fileCols = []store.Column{{Name: "key", Kind: store.KindText}, {Name: "data", Kind: store.KindBlob}}

// countFiles counts the photo files to move.
func (c *copier) countFiles(ctx context.Context, r store.TableReader) (int64, error) {
	switch {
	case c.files.none():
		return 0, nil
	case c.files.fromTable:
		return r.Count(ctx, mediaFilesTable)
	}
	var n int64
	err := walkFiles(c.files.fromDir, func(string, string) error {
		n++
		return nil
	})
	return n, err
}

// copyFiles moves the photo files from the source's folder or table to
// the target's.
func (c *copier) copyFiles(ctx context.Context, r store.TableReader, w store.TableWriter) error {
	if c.files.none() {
		return nil
	}
	res := TableResult{Name: FilesName}
	var dir *media.Dir
	if c.files.toDir != "" {
		if _, err := os.Stat(c.files.toDir); errors.Is(err, fs.ErrNotExist) {
			c.createdDir = c.files.toDir
		}
		d, err := media.NewDir(c.files.toDir)
		if err != nil {
			return err
		}
		dir = d
	}
	// Batched by size too: a batch of large photos is held in memory.
	const batchBytes = 32 << 20
	var batch [][]any
	size := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := w.Insert(ctx, mediaFilesTable, fileCols, batch); err != nil {
			return err
		}
		c.done += int64(len(batch))
		c.report()
		batch, size = nil, 0
		return nil
	}
	put := func(key string, data []byte) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		res.Rows++
		res.Source.Add(fileCols, []any{key, data})
		if dir != nil {
			c.written = append(c.written, key)
			if err := dir.Put(ctx, key, data); err != nil {
				return fmt.Errorf("write photo file %s: %w", key, err)
			}
			c.done++
			c.report()
			return nil
		}
		batch = append(batch, []any{key, data})
		if size += len(data); len(batch) >= c.opts.BatchRows || size >= batchBytes {
			return flush()
		}
		return nil
	}
	var err error
	if c.files.fromTable {
		err = r.Scan(ctx, mediaFilesTable, fileCols, nil, 16, func(rows [][]any) error {
			for _, row := range rows {
				key, _ := row[0].(string)
				data, _ := row[1].([]byte)
				if err := put(key, data); err != nil {
					return err
				}
			}
			return nil
		})
	} else {
		err = walkFiles(c.files.fromDir, func(key, path string) error {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			return put(key, data)
		})
	}
	if err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	c.summary.Tables = append(c.summary.Tables, res)
	return nil
}

// eachTargetFile reads back the photo files the copy wrote.
func (c *copier) eachTargetFile(ctx context.Context, w store.TableWriter, fn func(key string, data []byte) error) error {
	if c.files.toTable {
		return w.Scan(ctx, mediaFilesTable, fileCols, nil, 16, func(rows [][]any) error {
			for _, row := range rows {
				key, _ := row[0].(string)
				data, _ := row[1].([]byte)
				if err := fn(key, data); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return walkFiles(c.files.toDir, func(key, path string) error {
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return fn(key, data)
	})
}

// removeWrittenFiles takes back the photo files a failed copy wrote: the
// folder was empty before (checkTargetFolder).
func (c *copier) removeWrittenFiles() {
	if c.createdDir != "" {
		os.RemoveAll(c.createdDir)
		return
	}
	if len(c.written) == 0 {
		return
	}
	if d, err := media.NewDir(c.files.toDir); err == nil {
		for _, key := range c.written {
			_ = d.Delete(context.Background(), key)
		}
	}
}

// walkFiles calls fn with the key and path of every photo file under dir
// (as media.Dir lays them out: dir/ab/abcd.../file), none when dir does
// not exist. Other files (a media.Dir's temporary files) are left out.
func walkFiles(dir string, fn func(key, path string) error) error {
	if dir == "" {
		return nil
	}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && path == dir {
				return fs.SkipAll
			}
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		_, key, ok := strings.Cut(filepath.ToSlash(rel), "/")
		if !ok || media.CheckKey(key) != nil {
			return nil
		}
		return fn(key, path)
	})
	return err
}
