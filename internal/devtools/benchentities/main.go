// Command benchentities measures entity extraction on a generated archive
// (scripts/bench-entities.sh): `dateline entities rebuild` over the whole
// archive, and what finding an article's entities adds to an editor's
// save. The articles are the linking benchmark's invented words, with
// real places, people after their titles and organisations with their
// initials written into their sentences, so that every rule has work.
package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/devtools/devstore"
	"github.com/datelinehq/dateline/internal/linking/linkingtest"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
)

func main() {
	n := flag.Int("n", 10000, "articles")
	words := flag.Int("words", 1500, "words per article")
	saves := flag.Int("saves", 200, "editor saves to time")
	backend := flag.String("backend", "sqlite", "sqlite or postgres")
	pg := flag.String("postgres", os.Getenv("DATELINE_TEST_POSTGRES"), "the PostgreSQL database to measure in a schema of its own")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the rebuild to this file")
	keep := flag.Bool("keep", false, "keep the archive (benchentities_N in the temporary directory or as a PostgreSQL schema) and rebuild a kept one again without storing it")
	flag.Parse()
	if err := run(context.Background(), *backend, *pg, *n, *words, *saves, *cpuprofile, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "benchentities:", err)
		os.Exit(1)
	}
}

// Names written into the articles: real places, people after titles,
// organisations with initials (each article picks a few).
var (
	places = []string{"Pakistan", "Islamabad", "Karachi", "Afghanistan", "Kabul", "Qatar", "Doha", "Turkey", "Istanbul",
		"Germany", "Berlin", "Hamburg", "France", "Lyon", "Kenya", "Nairobi", "Brazil", "São Paulo", "Japan", "Osaka",
		"Canada", "Toronto", "Mexico", "Chile", "Peru", "Norway", "Bergen", "Egypt", "Cairo", "India", "Mumbai", "Chad"}
	titles = []string{"Minister", "President", "Governor", "Senator", "General", "Mayor"}
	orgs   = []string{"Harbour Workers Union", "Coastal Energy Company", "National Grain Board", "River Transport Authority",
		"Federal Statistics Office", "Northern Farmers Party"}
)

func run(ctx context.Context, backend, pg string, n, words, saves int, cpuprofile string, keep bool) error {
	archive := linkingtest.NewArchive(words, 1)
	now := archive.Doc(n - 1).Published.Add(time.Hour)
	open := devstore.Open
	if keep {
		open = devstore.Keep
	}
	s, err := open(ctx, backend, pg, fmt.Sprintf("benchentities_%d", n), now)
	if err != nil {
		return err
	}
	defer s.Close()
	news := newsroom.New(s, render.New(), func() time.Time { return now }, nil)
	held, err := s.CountArticles(ctx, store.ArticleQuery{})
	if err != nil {
		return err
	}
	if held != 0 && held != n {
		return fmt.Errorf("the kept archive holds %d articles, not %d: remove it", held, n)
	}
	kept := held == n

	start := time.Now()
	if !kept {
		if err := devstore.SaveArchive(ctx, news, n, "benchentities", func(i int) *article.Article { return withNames(archive, i) }); err != nil {
			return err
		}
	}
	stored := time.Since(start)
	if kept {
		fmt.Println("kept archive    stored by an earlier run: the rebuild finds the entities it stored again")
	}

	var rss0 runtime.MemStats
	runtime.ReadMemStats(&rss0)
	if cpuprofile != "" {
		f, err := os.Create(cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	start = time.Now()
	rep, err := news.RebuildEntities(ctx, nil)
	took := time.Since(start)
	pprof.StopCPUProfile()
	if err != nil {
		return err
	}
	var rss1 runtime.MemStats
	runtime.ReadMemStats(&rss1)

	// An editor's save, through the service: the edit stored, then its
	// entities found and stored and its story placed; and that second
	// part alone.
	r := rand.New(rand.NewPCG(3, 5))
	var save, with []time.Duration
	for range saves {
		a, err := s.ArticleByID(ctx, int64(1+r.IntN(n)))
		if err != nil {
			return err
		}
		next := *a
		next.Body += "\n\nAn editor's line, added."
		t := time.Now()
		if err := news.Save(ctx, newsroom.System("benchentities"), a, &next, "edit"); err != nil {
			return err
		}
		save = append(save, time.Since(t))
		t = time.Now()
		if err := news.FindEntities(ctx, &next); err != nil {
			return err
		}
		with = append(with, time.Since(t))
	}
	slices.Sort(with)
	slices.Sort(save)

	fmt.Printf("backend         %s, %d cores\n", backend, runtime.GOMAXPROCS(0))
	fmt.Printf("articles        %d of about %d words (stored in %v)\n", n, words, stored.Round(time.Millisecond))
	fmt.Printf("rebuild         %v (%.0f articles/s): %d entities named %d times, %d stories of several articles\n",
		took.Round(time.Millisecond), float64(rep.Articles)/took.Seconds(), rep.Entities, rep.Links, rep.Stories)
	fmt.Printf("rebuild memory  %.0f MB allocated in all, %.0f MB heap after\n", float64(rss1.TotalAlloc-rss0.TotalAlloc)/1e6, float64(rss1.HeapAlloc)/1e6)
	fmt.Printf("save            p50 %v  p99 %v  (an edit saved through the service, its entities and story included)\n", save[len(save)/2].Round(10*time.Microsecond), save[len(save)*99/100].Round(10*time.Microsecond))
	fmt.Printf("of which        p50 %v  p99 %v  (finding and storing its entities and story, %d saves)\n",
		with[len(with)/2].Round(10*time.Microsecond), with[len(with)*99/100].Round(10*time.Microsecond), saves)
	return nil
}

// withNames is generated article i with names written into its
// sentences: two or three places, a person after a title and an
// organisation with its initials, each named again later.
func withNames(archive *linkingtest.Archive, i int) *article.Article {
	d := archive.Doc(i)
	r := rand.New(rand.NewPCG(uint64(i), 99))
	sentences := strings.SplitAfter(d.Text, ". ")
	person := fmt.Sprintf("%s %s", capital(word(r)), capital(word(r)))
	org := orgs[r.IntN(len(orgs))]
	var initials strings.Builder
	for _, w := range strings.Fields(org) {
		initials.WriteByte(w[0])
	}
	inserts := []string{
		fmt.Sprintf("Officials in %s said so. ", places[r.IntN(len(places))]),
		fmt.Sprintf("%s %s said the plan would stand. ", titles[r.IntN(len(titles))], person),
		fmt.Sprintf("The %s (%s) disagreed. ", org, initials.String()),
		fmt.Sprintf("Talks in %s went on. ", places[r.IntN(len(places))]),
		fmt.Sprintf("%s said the %s would answer. ", person[strings.Index(person, " ")+1:], initials.String()),
		fmt.Sprintf("Traders from %s waited. ", places[r.IntN(len(places))]),
	}
	for k, ins := range inserts {
		at := (k + 1) * len(sentences) / (len(inserts) + 1)
		sentences[at] = ins + sentences[at]
	}
	body := strings.Join(sentences, "")
	standfirst, _, _ := strings.Cut(body, ". ")
	return &article.Article{Kind: article.Story, Slug: d.Slug, Title: d.Title + " in " + places[r.IntN(len(places))],
		Description: standfirst + ".", Body: body, Tags: []article.Tag{{Name: d.Tags[0]}},
		Status: article.Published, PublishedAt: d.Published}
}

func word(r *rand.Rand) string {
	syll := []string{"ka", "lo", "mi", "ran", "te", "sul", "vo", "ne", "dar", "pi"}
	return syll[r.IntN(len(syll))] + syll[r.IntN(len(syll))] + syll[r.IntN(len(syll))]
}

func capital(w string) string { return strings.ToUpper(w[:1]) + w[1:] }
