package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/store"
)

func settingsCommand() *command {
	return &command{
		name:    "settings",
		summary: "show and change the site's settings (the comment policy)",
		subs: []*command{
			{
				name:     "show",
				readOnly: true,
				summary:  "print the settings as JSON",
				run: func(e *env, fs *flag.FlagSet) int {
					return withStore(e, fs, func(s store.Store) error {
						cs, err := s.CommentSettings(e.ctx)
						if err != nil {
							return err
						}
						return writeJSON(e.stdout, map[string]any{"comments": cs})
					})
				},
			},
			{
				name:    "set",
				args:    "comments.KEY VALUE",
				summary: "change one setting; lists are comma-separated (run 'settings show' for the keys)",
				run: func(e *env, fs *flag.FlagSet) int {
					if fs.NArg() != 2 {
						return usage(e, fs, "give a key and a value, such as: comments.max_links 3")
					}
					return withStore(e, fs, func(s store.Store) error {
						cs, err := s.CommentSettings(e.ctx)
						if err != nil {
							return err
						}
						if err := setCommentSetting(&cs, fs.Arg(0), fs.Arg(1)); err != nil {
							return err
						}
						err = newsroomOf(e, s).SaveSettings(e.ctx, cliAs, nil, &cs)
						var invalid *newsroom.SettingsError
						if errors.As(err, &invalid) {
							// The same words as the admin's, after the key.
							return errors.New("comments." + strings.ReplaceAll(invalid.Error(), "; ", "; comments."))
						}
						if err != nil {
							return err
						}
						fmt.Fprintf(e.stdout, "%s = %s\n", fs.Arg(0), fs.Arg(1))
						return nil
					})
				},
			},
		},
	}
}

// setCommentSetting sets one field of the comment policy by its JSON name,
// parsing value by the field's type.
func setCommentSetting(cs *comment.Settings, key, value string) error {
	name, ok := strings.CutPrefix(key, "comments.")
	raw, err := json.Marshal(cs)
	if err != nil {
		return err
	}
	var fields map[string]any
	if err := json.Unmarshal(raw, &fields); err != nil {
		return err
	}
	current, known := fields[name]
	if !ok || !known {
		var keys []string
		for k := range fields {
			keys = append(keys, "comments."+k)
		}
		sort.Strings(keys)
		return fmt.Errorf("unknown setting %q; the settings are %s", key, strings.Join(keys, ", "))
	}
	switch current.(type) {
	case bool:
		b, err := strconv.ParseBool(value)
		if err != nil {
			return fmt.Errorf("%s takes true or false, not %q", key, value)
		}
		fields[name] = b
	case float64:
		n, err := strconv.Atoi(value)
		if err != nil {
			return fmt.Errorf("%s takes a whole number, not %q", key, value)
		}
		fields[name] = n
	default: // a list, or null for an empty one
		var list []string
		for _, item := range strings.Split(value, ",") {
			if item = strings.TrimSpace(item); item != "" {
				list = append(list, item)
			}
		}
		fields[name] = list
	}
	raw, err = json.Marshal(fields)
	if err != nil {
		return err
	}
	*cs = comment.Settings{}
	return json.Unmarshal(raw, cs)
}
