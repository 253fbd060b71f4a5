// Package importer brings existing articles into Dateline. Each format has
// its own subpackage that turns one file's content into an article.Article
// (importer/text for text taken off a web page, importer/markdown for
// Markdown with Hugo or Jekyll front matter); this package finds the files,
// checks that they are an article's text (not binary, nor a document of
// another kind such as XML, an HTML page or JSON, whatever its name),
// detects their format, parses them on every core, and stores the articles
// in batches, one transaction each with every article in a savepoint of its
// own, so a file that fails leaves nothing behind while the rest of the run
// goes on. A directory walk picks up only the extensions of the formats; a
// file named with another extension is refused unless a format is forced.
//
// An imported article remembers the absolute path of its file. Importing
// that file again updates the article (keeping its published address and
// date), or leaves it alone when the file has not changed. Only that file
// updates it: a file from another source with the same title gets the
// title's slug numbered (-2, -3, …), as newsrooms reuse headlines such as
// "Letters to the editor". A slug given in a file's front matter is used as
// given, and the file fails, naming both, when another article has it.
package importer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/importer/markdown"
	"github.com/datelinehq/dateline/internal/importer/ssg"
	"github.com/datelinehq/dateline/internal/importer/text"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/store"
)

// Format names an input format.
type Format string

// The formats Dateline imports.
const (
	Text     Format = "text"
	Markdown Format = "markdown"
	// Hugo is Markdown in a Hugo or Jekyll site, whose configuration
	// gives the old addresses (see package ssg).
	Hugo Format = "hugo"
)

// ParseFormat checks a format given on the command line; "" means detect.
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case "", Text, Markdown, WXR, Ghost, Hugo:
		return f, nil
	case "jekyll":
		return Hugo, nil // one reader knows both
	}
	return "", fmt.Errorf("unknown format %q (want wxr, ghost, hugo, text or markdown)", s)
}

// ParseStatus checks a status given on the command line; "" keeps what
// each file says.
func ParseStatus(s string) (article.Status, error) {
	switch st := article.Status(s); st {
	case "", article.Draft, article.Published:
		return st, nil
	}
	return "", fmt.Errorf("unknown status %q (want draft or published)", s)
}

// MaxFileSize bounds one imported file; no article is this long, so a
// larger file is a mistake (a database dump, a video) rather than writing.
const MaxFileSize = article.MaxBodyBytes

// extensions maps the file name endings that a directory walk picks up to
// their format.
var extensions = map[string]Format{
	".md": Markdown, ".markdown": Markdown, ".mdown": Markdown,
	".txt": Text, ".text": Text,
}

// Options tune a run.
type Options struct {
	// Format forces every file to be read as this format; empty detects
	// it from the extension and content.
	Format Format
	// Author is credited on articles whose file names none.
	Author *article.Author
	// Section, a section's name, is the section of new articles whose file
	// names none (plain text never does); the service creates it when the
	// site lacks it. An article imported before stays where it is, as an
	// editor may have moved it.
	Section string
	// DryRun reads and checks every file as the run would store it and
	// reports what it would do, writing nothing.
	DryRun bool
	// Status, when set (Draft or Published), is the status of every
	// article the run stores, whatever its file says; a published article
	// dated in the future is scheduled. Empty keeps what each file says,
	// and a file that says nothing is published.
	Status article.Status
	// Actor is who the run imports for; the zero value is the system,
	// named "import" in the audit log.
	Actor newsroom.Actor
	// Progress, when set, is called after each stored batch with the
	// number of files done and the total.
	Progress func(done, total int)
}

// Outcome is what happened to one file.
type Outcome string

// The outcomes of a file.
const (
	Created   Outcome = "imported"
	Updated   Outcome = "updated"
	Unchanged Outcome = "unchanged"
	Failed    Outcome = "failed"
)

// Result is the fate of one file.
type Result struct {
	Path    string
	Slug    string
	Outcome Outcome
	// Status is the stored article's status when it was created or
	// updated.
	Status article.Status
	Err    error
	// Notes say what of the file could not be converted, such as a
	// template tag with no equivalent in Dateline.
	Notes []string
}

// Summary counts the results of a run.
type Summary struct {
	Results []Result
	Counts  map[Outcome]int
	// Redirects counts the old addresses (aliases) the run redirected.
	Redirects int
	// Statuses counts the articles created or updated by status.
	Statuses map[article.Status]int
}

// Failed lists the results that failed.
func (s Summary) Failed() []Result {
	var out []Result
	for _, r := range s.Results {
		if r.Outcome == Failed {
			out = append(out, r)
		}
	}
	return out
}

// Importer imports files through the newsroom service, which stores
// them; it reads the store only to find what was imported before.
type Importer struct {
	store   store.ArticleStore
	service *newsroom.Service
	opts    Options
	// sites caches the Hugo or Jekyll site of each folder files are in
	// (a *siteOf), as files are parsed in parallel.
	sites sync.Map
}

// New returns an importer storing through svc and looking up earlier
// imports in s.
func New(s store.ArticleStore, svc *newsroom.Service, opts Options) *Importer {
	if opts.Actor.User == nil && opts.Actor.Name == "" {
		opts.Actor = newsroom.System("import")
	}
	return &Importer{store: s, service: svc, opts: opts}
}

// parsed is a file read and turned into an article, or the reason it could
// not be.
type parsed struct {
	path    string
	article *article.Article
	// images are the image files beside the file that it names, for the
	// photo library; nil for none.
	images *markdown.Images
	// oldPaths are the article's addresses on the old site (aliases, a
	// Hugo site's default address), redirected to it once it is public.
	oldPaths []string
	// site is the Hugo or Jekyll site of a Markdown file, or nil.
	site *ssg.Site
	// notes say what of the file could not be converted (a template tag
	// with no equivalent), for the summary.
	notes []string
	// numbered lets the article's slug be numbered (-2, -3, …) when
	// another article holds it, as for a slug from the title: an export
	// of a whole site may give two items one slug.
	numbered bool
	err      error
}

// batchSize is how many articles one transaction stores: enough that a
// commit and the batch's lookups cost little per article, few enough that
// a batch holds little memory.
const batchSize = 128

// window bounds how many files may be parsed and not yet stored, and so
// memory: two batches, so that parsing goes on while a batch is stored.
const window = 2 * batchSize

// Run imports the files and directories (walked recursively) named by
// paths. Files are parsed in parallel and stored in batches in a stable
// order, so which of two clashing files fails does not depend on timing.
// The error is only for a run that could not go on (a cancelled context);
// failures of single files are in the summary.
func (im *Importer) Run(ctx context.Context, paths []string) (Summary, error) {
	sum := Summary{Counts: map[Outcome]int{}, Statuses: map[article.Status]int{}}
	files, missing := collect(paths)
	for _, r := range missing {
		sum.add(r)
	}
	total := len(files)

	ready := make([]chan parsed, total)
	for i := range ready {
		ready[i] = make(chan parsed, 1)
	}
	jobs := make(chan int)
	tokens := make(chan struct{}, window)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer close(jobs)
		for i := range files {
			select {
			case tokens <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	for range max(runtime.GOMAXPROCS(0), 1) {
		go func() {
			for i := range jobs {
				ready[i] <- im.parseFile(files[i])
			}
		}()
	}
	w := im.writer()
	batch := make([]parsed, 0, batchSize)
	for i := range files {
		var p parsed
		select {
		case p = <-ready[i]:
		case <-ctx.Done():
			return sum, ctx.Err()
		}
		batch = append(batch, p)
		if len(batch) < batchSize && i < total-1 {
			continue
		}
		write := w.write
		if im.opts.DryRun {
			write = w.check
		}
		results, err := write(ctx, batch)
		if ctx.Err() != nil {
			return sum, ctx.Err()
		}
		if err != nil {
			// The batch was not stored: none of its files was.
			results = make([]Result, len(batch))
			for j, p := range batch {
				results[j] = Result{Path: p.path, Outcome: Failed, Err: err}
			}
		}
		for _, r := range results {
			sum.add(r)
			<-tokens
		}
		if im.opts.Progress != nil {
			im.opts.Progress(i+1, total)
		}
		batch = batch[:0]
	}
	sum.Redirects = w.redirects
	return sum, ctx.Err()
}

func (s *Summary) add(r Result) {
	s.Results = append(s.Results, r)
	s.Counts[r.Outcome]++
	if r.Outcome == Created || r.Outcome == Updated {
		s.Statuses[r.Status]++
	}
}

// file is a file to import. named is set for a file named on the command
// line rather than found in a directory: only such a file can have an
// extension the importers do not know.
type file struct {
	path  string
	named bool
}

// collect expands paths into the files to import, sorted within each
// directory, each once. Paths that cannot be read are returned as failures.
func collect(paths []string) (files []file, failures []Result) {
	seen := map[string]bool{}
	addFile := func(p string, named bool) {
		abs, err := filepath.Abs(p)
		if err != nil {
			failures = append(failures, Result{Path: p, Outcome: Failed, Err: err})
			return
		}
		if !seen[abs] {
			seen[abs] = true
			files = append(files, file{path: abs, named: named})
		}
	}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			failures = append(failures, Result{Path: p, Outcome: Failed, Err: describeFSError(err)})
			continue
		}
		if !fi.IsDir() {
			addFile(p, true)
			continue
		}
		var found []string
		roots := []string{p}
		if site, err := ssg.Find(p); err == nil && site != nil && sameFile(site.Root, p) {
			// A site's root: its articles are in its content folders,
			// not in its theme, its archetypes or its README.
			var rootPages bool
			roots, rootPages = site.ArticleDirs()
			if rootPages {
				found = append(found, rootPageFiles(p)...)
			}
		}
		for _, root := range roots {
			found = append(found, walkArticles(root, &failures)...)
		}
		sort.Strings(found)
		for _, f := range found {
			addFile(f, false)
		}
	}
	return files, failures
}

// walkArticles lists the article files below root.
func walkArticles(p string, failures *[]Result) []string {
	var found []string
	err := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			*failures = append(*failures, Result{Path: path, Outcome: Failed, Err: describeFSError(err)})
			return nil
		}
		hidden := strings.HasPrefix(d.Name(), ".") && path != p
		if d.IsDir() {
			if hidden {
				return filepath.SkipDir
			}
			return nil
		}
		// Hugo's _index.md introduces a section's list page: no article.
		listPage := strings.HasPrefix(d.Name(), "_index.")
		if _, ok := extensions[strings.ToLower(filepath.Ext(path))]; ok && !hidden && !listPage && d.Type().IsRegular() {
			found = append(found, path)
		}
		return nil
	})
	if err != nil {
		*failures = append(*failures, Result{Path: p, Outcome: Failed, Err: err})
	}
	return found
}

// rootPageFiles lists the pages at the top of a Jekyll site (about.md),
// leaving out its README and its home page.
func rootPageFiles(root string) []string {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil
	}
	var found []string
	for _, e := range entries {
		name := e.Name()
		_, known := extensions[strings.ToLower(filepath.Ext(name))]
		base := strings.TrimSuffix(name, filepath.Ext(name))
		if known && e.Type().IsRegular() && !strings.HasPrefix(name, ".") && base != "index" && !ssg.NotAPage(name) {
			found = append(found, filepath.Join(root, name))
		}
	}
	return found
}

func sameFile(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

func describeFSError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// parseFile reads one file, checks it is an article's text, and parses it
// in its format.
func (im *Importer) parseFile(f file) parsed {
	content, err := readFile(f.path)
	if err != nil {
		return parsed{path: f.path, err: err}
	}
	return im.parse(f, content)
}

// Import imports one file's content given in memory, such as an embedded
// file; source names it, and re-importing the same source updates the
// article it created.
func (im *Importer) Import(ctx context.Context, source string, content []byte) Result {
	results, batchErr := im.writer().write(ctx, []parsed{im.parse(file{path: source, named: true}, content)})
	if batchErr != nil {
		return Result{Path: source, Outcome: Failed, Err: batchErr}
	}
	return results[0]
}

// parse checks content and parses it in the format of its file.
func (im *Importer) parse(f file, content []byte) parsed {
	p := parsed{path: f.path}
	p.article, p.images, p.err = im.parseArticle(f, content)
	if p.err != nil || p.images == nil { // not a Markdown file
		return p
	}
	site, err := im.siteOf(f.path)
	if err != nil {
		p.err = err
		return p
	}
	if site == nil && im.opts.Format == Hugo {
		p.err = errors.New("not in a Hugo or Jekyll site: no hugo.toml, config.toml or _config.yml in its folder or above")
		return p
	}
	p.site = site
	a := p.article
	if site != nil && site.Kind == ssg.Jekyll {
		jekyllPost(f.path, a, im.opts.Status)
	}
	if site != nil {
		// The site's template tags become what they show; the images
		// a figure shortcode names go to the library like any other.
		address := func(file string) string {
			return site.Address(ssg.Page{File: filepath.Join(site.Root, filepath.FromSlash(file))})
		}
		a.Body, p.notes = markdown.Shortcodes(a.Body, markdown.Generator(site.Kind), address)
		if p.images, p.err = markdown.ImagesOf(content, a); p.err != nil {
			return p
		}
		im.service.CountWords(a)
	}
	own, aliases, _ := markdown.OldAddresses(content) // Parse vetted the front matter
	if own == "" && site != nil {
		own = site.Address(ssg.Page{File: f.path, Title: a.Title, Slug: a.Slug, Date: a.PublishedAt, Categories: markdown.Categories(content)})
	}
	if own != "" {
		p.oldPaths = append(p.oldPaths, own)
	}
	p.oldPaths = append(p.oldPaths, aliases...)
	return p
}

// siteOf is the Hugo or Jekyll site a file is in, or nil.
func (im *Importer) siteOf(path string) (*ssg.Site, error) {
	dir := filepath.Dir(path)
	type found struct {
		site *ssg.Site
		err  error
	}
	if v, ok := im.sites.Load(dir); ok {
		return v.(found).site, v.(found).err
	}
	site, err := ssg.Find(dir)
	im.sites.Store(dir, found{site, err})
	return site, err
}

// jekyllPost completes a Jekyll post from its file name
// (_posts/2024-01-15-harbour-opens.md): the date and the slug when its
// front matter gives none; a file in _drafts is a draft.
func jekyllPost(path string, a *article.Article, forced article.Status) {
	slashed := filepath.ToSlash(path)
	if strings.Contains(slashed, "/_drafts/") && forced == "" {
		a.Status = article.Draft
	}
	date, name, ok := ssg.JekyllPost(path)
	if !ok || !strings.Contains(slashed, "/_posts/") {
		return
	}
	if a.PublishedAt.IsZero() {
		a.PublishedAt = date
	}
	if a.Slug == "" && article.ValidateSlug(name) == nil {
		a.Slug = name
	}
}

func (im *Importer) parseArticle(f file, content []byte) (*article.Article, *markdown.Images, error) {
	if err := checkText(content); err != nil {
		return nil, nil, err
	}
	format := im.opts.Format
	if format == "" {
		ext := strings.ToLower(filepath.Ext(f.path))
		var known bool
		if format, known = extensions[ext]; !known {
			format = detect(content)
			if f.named && ext != "" {
				return nil, nil, fmt.Errorf("%s is not an extension Dateline imports (the file looks like %s); name Markdown files .md and text files .txt, or give --format text or --format markdown", ext, format.looks())
			}
		}
	}
	var a *article.Article
	var images *markdown.Images
	var err error
	switch format {
	case Markdown, Hugo:
		if a, err = markdown.Parse(content); err == nil {
			images, err = markdown.ImagesOf(content, a)
		}
	default:
		a, err = text.Parse(content)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", format, err)
	}
	if im.opts.Status != "" {
		a.Status = im.opts.Status
	}
	sum := sha256.Sum256(content)
	a.Source, a.SourceHash = f.path, hex.EncodeToString(sum[:])
	im.service.CountWords(a)
	if a.Author == nil && im.opts.Author != nil {
		au := *im.opts.Author
		a.Author = &au
	}
	return a, images, nil
}

// readFile reads a file of at most MaxFileSize bytes.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, describeFSError(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, describeFSError(err)
	}
	if fi.Size() > MaxFileSize {
		return nil, fmt.Errorf("file is %s, larger than the %s an article may have", humanSize(fi.Size()), humanSize(MaxFileSize))
	}
	content, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, describeFSError(err)
	}
	return content, nil
}

// checkText refuses content that is not an article's text: too large,
// empty, binary, not UTF-8, or a document or data format of another kind
// (XML, an HTML page, JSON), whatever its file is called.
func checkText(content []byte) error {
	if len(content) > MaxFileSize {
		return fmt.Errorf("file is larger than the %s an article may have", humanSize(MaxFileSize))
	}
	if len(bytes.TrimSpace(content)) == 0 {
		return errors.New("file is empty")
	}
	if kind := sniffBinary(content); kind != "" {
		return fmt.Errorf("binary file, not text: it looks like %s", kind)
	}
	if i := bytes.IndexByte(content, 0); i >= 0 {
		return fmt.Errorf("binary file, not text (NUL byte at offset %d)", i)
	}
	if !utf8.Valid(content) {
		line, offset := invalidUTF8(content)
		return fmt.Errorf("not valid UTF-8 text: invalid byte 0x%02x on line %d (offset %d); convert the file to UTF-8", content[offset], line, offset)
	}
	if kind := sniffText(content); kind != "" {
		return fmt.Errorf("the file looks like %s, not a text or Markdown article", kind)
	}
	return nil
}

func invalidUTF8(b []byte) (line, offset int) {
	line = 1
	for offset < len(b) {
		r, size := utf8.DecodeRune(b[offset:])
		if r == utf8.RuneError && size <= 1 {
			return line, offset
		}
		if r == '\n' {
			line++
		}
		offset += size
	}
	return line, offset
}

func humanSize(n int64) string {
	const mb = 1 << 20
	if n >= mb {
		return fmt.Sprintf("%.1f MiB", float64(n)/mb)
	}
	return fmt.Sprintf("%d bytes", n)
}

// detect picks a format by content: YAML front matter or a leading "# "
// heading means Markdown; anything else is plain text.
func detect(content []byte) Format {
	c := bytes.TrimPrefix(content, []byte("\ufeff"))
	if bytes.HasPrefix(c, []byte("---\n")) || bytes.HasPrefix(c, []byte("---\r\n")) || bytes.HasPrefix(c, []byte("# ")) {
		return Markdown
	}
	return Text
}

// looks says what content in the format looks like, for messages.
func (f Format) looks() string {
	if f == Markdown {
		return "Markdown"
	}
	return "plain text"
}
