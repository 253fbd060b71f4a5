package staticsite

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// An export stages each file it writes under .dateline/staging, all in
// that one folder, named by a digest of the file's path (see stagedName):
// making a staging folder for each of a site's thousands of folders took
// a tenth of a full export, and renaming a file into place needs none.
// Once every file is staged it writes the next manifest, flushes both to
// the disk, and writes the commit record (.dateline/commit.json, the
// files to move into place and those to remove); from then on the export
// is done, and finishCommit moves the files. An export interrupted before
// the record leaves the previous site as it was (the next one clears the
// staging); one interrupted after it is finished by the next, before
// anything else.

const (
	commitFile       = "commit.json"
	nextManifestFile = "manifest.next.gob"
)

type commitRecord struct {
	Written []string `json:"written"`
	Removed []string `json:"removed"`
}

// stage writes body as file (relative, with slashes) in the staging
// directory.
func (x *export) stage(file string, body []byte) error {
	if err := os.WriteFile(filepath.Join(x.staging, stagedName(file)), body, 0o644); err != nil {
		return stageError(file, err)
	}
	return nil
}

// stagedName is the name file is staged under.
func stagedName(file string) string {
	sum := sha256.Sum256([]byte(file))
	return hex.EncodeToString(sum[:16])
}

func stageError(file string, err error) error {
	reason := unwrapPath(err)
	if errors.Is(reason, syscall.ENOSPC) {
		return fmt.Errorf("write %s: the disk is full; nothing was changed in the export directory, which still holds the previous site", file)
	}
	return fmt.Errorf("write %s: %w; nothing was changed in the export directory", file, reason)
}

// makeDir makes the folder d unless it is there. Most of a commit's
// folders are new and their parent is there already: one mkdir, where
// os.MkdirAll would look for the folder and its parent first.
func makeDir(d string) error {
	err := os.Mkdir(d, 0o755)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, os.ErrExist):
		if fi, serr := os.Stat(d); serr == nil && fi.IsDir() {
			return nil
		}
		return err
	case errors.Is(err, os.ErrNotExist):
		return os.MkdirAll(d, 0o755)
	}
	return err
}

// recordCommit writes the next manifest and the commit record: once it
// returns, the export is done, whatever interrupts the rest. flush
// (flushToDisk but in tests) puts the staged files and the manifest on
// the disk first: after a power cut, a record that reached the disk
// before them would have finishCommit move into place files that were
// never written, empty pages served as the site.
func recordCommit(dir string, written, removed []string, next *manifest, flush func(string) error) error {
	state := filepath.Join(dir, stateDir)
	if err := writeManifest(state, nextManifestFile, next); err != nil {
		return err
	}
	if err := flush(state); err != nil {
		os.Remove(filepath.Join(state, nextManifestFile))
		return fmt.Errorf("flush the exported files to the disk: %w; nothing was changed in the export directory", unwrapPath(err))
	}
	rec, err := json.Marshal(commitRecord{Written: written, Removed: removed})
	if err != nil {
		return err
	}
	tmp := filepath.Join(state, commitFile+".tmp")
	if err := writeSynced(tmp, rec); err != nil {
		return fmt.Errorf("record the export's commit: %w", unwrapPath(err))
	}
	if err := os.Rename(tmp, filepath.Join(state, commitFile)); err != nil {
		return fmt.Errorf("record the export's commit: %w", unwrapPath(err))
	}
	return nil
}

// finishCommit carries out the commit recorded in dir, if there is one:
// what it moves into place or removes twice is no harm.
func finishCommit(dir string) error {
	state := filepath.Join(dir, stateDir)
	raw, err := os.ReadFile(filepath.Join(state, commitFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var rec commitRecord
	if err := json.Unmarshal(raw, &rec); err != nil {
		return fmt.Errorf("the commit record %s is damaged: %w", filepath.Join(state, commitFile), err)
	}
	staging := filepath.Join(state, "staging")
	// The folders made so far, each made once (a page and its feeds share
	// some): this loop's system calls are the commit's time.
	made := map[string]bool{}
	for _, f := range rec.Written {
		dst := filepath.Join(dir, filepath.FromSlash(f))
		if d := filepath.Dir(dst); !made[d] {
			if err := makeDir(d); err != nil {
				return fmt.Errorf("move %s into place: %w", f, unwrapPath(err))
			}
			made[d] = true
		}
		err := os.Rename(filepath.Join(staging, stagedName(f)), dst)
		if errors.Is(err, os.ErrNotExist) {
			// Earlier builds staged in the site's own layout; neither
			// name is there when it was moved before an interruption.
			err = os.Rename(filepath.Join(staging, filepath.FromSlash(f)), dst)
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
		}
		if err != nil {
			return fmt.Errorf("move %s into place: %w", f, unwrapPath(err))
		}
	}
	for _, f := range rec.Removed {
		dst := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.Remove(dst); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove %s: %w", f, unwrapPath(err))
		}
		pruneEmpty(dir, filepath.Dir(dst))
	}
	if err := os.Rename(filepath.Join(state, nextManifestFile), filepath.Join(state, manifestFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("put the export's manifest in place: %w", unwrapPath(err))
	}
	if err := os.Remove(filepath.Join(state, legacyManifestFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove the manifest of an earlier format: %w", unwrapPath(err))
	}
	if err := os.Remove(filepath.Join(state, commitFile)); err != nil {
		return fmt.Errorf("close the export's commit: %w", unwrapPath(err))
	}
	return os.RemoveAll(staging)
}

// pruneEmpty removes d and its parents up to dir while they are empty.
func pruneEmpty(dir, d string) {
	for d != dir && strings.HasPrefix(d, dir+string(filepath.Separator)) {
		if os.Remove(d) != nil {
			return
		}
		d = filepath.Dir(d)
	}
}

// writeSynced writes body to name and flushes it to the disk.
func writeSynced(name string, body []byte) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	_, err = f.Write(body)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
