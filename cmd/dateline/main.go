// Command dateline runs a Dateline news site and manages its content.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/datelinehq/dateline/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
