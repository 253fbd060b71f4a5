# shellcheck shell=bash
# Helpers shared by bench-serve.sh and screenshot.sh: install tools, build
# Dateline, seed a database and run the server. Source it; it defines
# functions only. Callers keep their background processes in PIDS and call
# stop_all from an EXIT trap, so no server outlives a script.

PIDS=()

log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ensure_packages CMD=PACKAGE... installs the Debian packages whose command
# is missing. apt-get update only runs when the first install fails, so a
# machine with fresh lists never waits for it.
ensure_packages() {
	local spec missing=()
	for spec in "$@"; do
		command -v "${spec%%=*}" >/dev/null 2>&1 || missing+=("${spec#*=}")
	done
	((${#missing[@]})) || return 0
	command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and no apt-get to install them"
	log "installing ${missing[*]}"
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null; then
		apt-get update -q >/dev/null
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
	fi
	for spec in "$@"; do
		command -v "${spec%%=*}" >/dev/null 2>&1 || die "${spec#*=} installed but ${spec%%=*} is not on PATH"
	done
}

# free_port N prints the first port from N up that nothing on 127.0.0.1
# listens on. Racy by nature, but good enough on a dev machine.
free_port() {
	local port=$1
	while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
		((port++))
	done
	echo "$port"
}

# stop_pid PID ends a process this script started, waits for it and
# forgets it, so a later stop_all cannot signal a reused pid.
stop_pid() {
	local pid keep=()
	if kill -TERM "$1" 2>/dev/null; then
		wait "$1" 2>/dev/null || true
	fi
	for pid in "${PIDS[@]}"; do
		[[ $pid == "$1" ]] || keep+=("$pid")
	done
	PIDS=("${keep[@]}")
}

stop_all() {
	while ((${#PIDS[@]})); do stop_pid "${PIDS[0]}"; done
}

# wait_http URL PID LOG waits until URL answers 200, failing early (with the
# server's log) if PID dies first.
wait_http() {
	local url=$1 pid=$2 logfile=$3 i
	for ((i = 0; i < 100; i++)); do
		if ! kill -0 "$pid" 2>/dev/null; then
			cat "$logfile" >&2 || true
			die "server for $url exited before answering"
		fi
		curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
		sleep 0.1
	done
	cat "$logfile" >&2 || true
	die "$url did not answer within 10s"
}

# wait_pictures URL N waits (up to a minute) until the page at URL shows
# N pictures: serve makes the demo's pictures in the background as it
# starts, and a page measured before would not be the page readers get.
wait_pictures() {
	local url=$1 n=$2 i
	for ((i = 0; i < 120; i++)); do
		[[ $(curl -fsS "$url" | grep -c '<picture>') -ge $n ]] && return 0
		sleep 0.5
	done
	die "$url does not show $n pictures after a minute"
}

# build_dateline DIR builds the binary to DIR/dateline from the work tree.
build_dateline() {
	go build -o "$1/dateline" ./cmd/dateline
}

# seed_db BIN DB REFERENCE loads the demo newsroom and then imports
# REFERENCE, setting SLUG to the slug the import gave it (a global, not
# printed: in a $(...) subshell a failure could leave the server running). The demo goes first
# because `serve --demo` skips a database that already has articles, so
# importing first would leave the site with a single article.
seed_db() {
	local bin=$1 db=$2 reference=$3 dir port pid before after
	dir=$(dirname "$db")
	port=$(free_port 18090)
	"$bin" serve --db "sqlite:$db" --addr "127.0.0.1:$port" --demo --quiet >"$dir/demo.log" 2>&1 &
	pid=$!
	PIDS+=("$pid")
	wait_http "http://127.0.0.1:$port/" "$pid" "$dir/demo.log"
	stop_pid "$pid"

	before=$("$bin" article list --db "sqlite:$db" | awk 'NR > 1 { print $1 }' | sort)
	"$bin" import --db "sqlite:$db" "$reference" >&2
	after=$("$bin" article list --db "sqlite:$db" | awk 'NR > 1 { print $1 }' | sort)
	SLUG=$(comm -13 <(echo "$before") <(echo "$after"))
	[[ -n $SLUG && $SLUG != *$'\n'* ]] || die "could not tell the slug of $reference"
}

# start_dateline BIN DB ADDR LOG [FLAG...] serves DB on ADDR in the
# background and returns once the home page answers.
start_dateline() {
	local bin=$1 db=$2 addr=$3 logfile=$4
	shift 4
	"$bin" serve --db "sqlite:$db" --addr "$addr" --demo "$@" >"$logfile" 2>&1 &
	PIDS+=("$!")
	wait_http "http://$addr/" "$!" "$logfile"
}
