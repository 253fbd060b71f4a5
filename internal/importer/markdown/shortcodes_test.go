package markdown

import (
	"strings"
	"testing"
)

func TestHugoShortcodes(t *testing.T) {
	body := "Intro.\n\n" +
		`{{< figure src="/images/quay.jpg" alt="The quay" caption="Work starts on Monday." >}}` + "\n\n" +
		"{{< youtube aBcDeFgHiJk >}}\n\n" +
		`{{< vimeo id="76979871" >}}` + "\n\n" +
		`{{< tweet user="harbourmaster" id="1234567890" >}}` + "\n\n" +
		"{{< highlight go >}}\nfmt.Println(\"tide\")\n{{< /highlight >}}\n\n" +
		`See [the timetable]({{< relref "posts/timetable.md" >}}).` + "\n\n" +
		"{{% notice warning %}}Mind the gap.{{% /notice %}}\n\n" +
		"{{< newsletter-signup >}}\n\n" +
		"```\n{{< figure src=\"kept.jpg\" >}}\n```\n"
	got, notes := Shortcodes(body, Hugo, nil)
	for _, want := range []string{
		"![The quay](/images/quay.jpg)\n\n*Work starts on Monday.*",
		`<iframe src="https://www.youtube-nocookie.com/embed/aBcDeFgHiJk"`,
		`<iframe src="https://player.vimeo.com/video/76979871"`,
		"> [Post by @harbourmaster on X](https://x.com/harbourmaster/status/1234567890)",
		"```go\nfmt.Println(\"tide\")\n```",
		"[the timetable](/posts/timetable/)",
		"Mind the gap.",
		"```\n{{< figure src=\"kept.jpg\" >}}\n```",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("converted body lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "notice") || strings.Contains(got, "newsletter-signup") {
		t.Errorf("unknown shortcodes' tags were kept:\n%s", got)
	}
	joined := strings.Join(notes, "\n")
	for _, want := range []string{`"notice" has no equivalent in Dateline: its tags were dropped and its text kept`, `"newsletter-signup" has no equivalent in Dateline and was dropped`, "relref to posts/timetable.md"} {
		if !strings.Contains(joined, want) {
			t.Errorf("notes lack %q:\n%s", want, joined)
		}
	}
}

func TestLiquidTags(t *testing.T) {
	body := "Read [the opening]({% post_url 2025-11-03-harbour-opens %}) and [about]({% link about.md %}).\n\n" +
		"{% highlight ruby %}\nputs 'tide'\n{% endhighlight %}\n\n" +
		"{% raw %}Use {{ page.title }} in templates.{% endraw %}\n\n" +
		"![map]({{ site.baseurl }}/assets/map.png)\n\n" +
		"{% include signup.html %}\n"
	got, notes := Shortcodes(body, Jekyll, func(file string) string { return "/" + strings.TrimSuffix(file, ".md") + "/" })
	for _, want := range []string{"[the opening](/harbour-opens/)", "[about](/about/)", "```ruby\nputs 'tide'\n```", "Use {{ page.title }} in templates.", "![map](/assets/map.png)"} {
		if !strings.Contains(got, want) {
			t.Errorf("converted body lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "include") || len(notes) != 1 || !strings.Contains(notes[0], "{% include %}") {
		t.Errorf("the include: %q, notes %q", got, notes)
	}
}
