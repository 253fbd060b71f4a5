package cli

import (
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"
)

// Version is set at build time with -ldflags "-X .../internal/cli.Version=v1.2.3".
var Version = "dev"

func versionCommand() *command {
	return &command{
		name:    "version",
		summary: "print Dateline's version",
		noDB:    true,
		run: func(e *env, fs *flag.FlagSet) int {
			v := Version
			if info, ok := debug.ReadBuildInfo(); ok {
				for _, s := range info.Settings {
					if s.Key == "vcs.revision" && len(s.Value) >= 12 {
						v += "+" + s.Value[:12]
					}
				}
			}
			fmt.Fprintf(e.stdout, "dateline %s (%s, %s/%s)\n", v, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return exitOK
		},
	}
}
