#!/usr/bin/env bash
# multinode.sh measures how long a change takes to reach every node of a
# site served by several 'dateline serve' nodes on one PostgreSQL database,
# and Varnish in front of them (issue 19: the change feed and the purges,
# target p99 at most 1 s with 3 nodes). It makes a fresh database on the
# server of DATELINE_TEST_POSTGRES (default
# postgres://postgres@127.0.0.1:5432/postgres), imports the example
# articles, starts N nodes with a page cache of a minute (so that only the
# change feed can bring a change in time), each purging Varnish, and
# Varnish with deploy/varnish.vcl in front of them (pages kept an hour:
# only a purge brings a change in time). Then CHANGES times it adds a note
# to one of the articles in turn with 'dateline article note' (another
# process, as an editor on another node would) and polls the article's
# page on every node and through Varnish until each shows it. It prints
# p50, p99 and the worst, for the first node, the last node, and Varnish
# to show each change, measured from the moment the note command
# returned. With THROUGHPUT=1 it then measures, with wrk, the cached
# article pages through Varnish and the comment posts, with N nodes and
# with one. The database is dropped at the end.
# Usage: [NODES=3] [CHANGES=100] [THROUGHPUT=1] scripts/multinode.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
nodes=${NODES:-3}
changes=${CHANGES:-100}
server=${DATELINE_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
[[ $nodes =~ ^[1-9][0-9]*$ && $changes =~ ^[1-9][0-9]*$ ]] || die "NODES and CHANGES are whole numbers"
ensure_packages curl=curl psql=postgresql-client varnishd=varnish

tmp=$(mktemp -d)
dbname=dateline_multinode_$$
admin_url=$server
db=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$server" "$dbname")
cleanup() {
	stop_all
	psql -q "$admin_url" -c "DROP DATABASE IF EXISTS $dbname" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
psql -q "$admin_url" -c "CREATE DATABASE $dbname" >/dev/null || die "cannot create a database on $server"

build_dateline "$tmp"
bin=$tmp/dateline
"$bin" import --quiet --db "$db" examples/articles >/dev/null
# The notes go to each article in turn: an article takes at most 50.
mapfile -t slugs < <("$bin" article list --db "$db" --status published | awk 'NR > 1 { print $1 }')
((${#slugs[@]})) || die "no published article to change"
varnish_port=$(free_port 18290)
varnish=http://127.0.0.1:$varnish_port

# start_site N starts N nodes, each purging Varnish, and Varnish with the
# shipped VCL in front of them; bases are the nodes' addresses.
start_site() {
	local count=$1 n port
	bases=()
	for ((n = 0; n < count; n++)); do
		port=$(free_port $((18300 + n * 10)))
		"$bin" serve --db "$db" --addr "127.0.0.1:$port" --cache 1m --quiet --purge "varnish:$varnish" >"$tmp/node$n.log" 2>&1 &
		PIDS+=("$!")
		wait_http "http://127.0.0.1:$port/readyz" "$!" "$tmp/node$n.log"
		bases+=("http://127.0.0.1:$port")
	done
	local backends="" adds=""
	for ((n = 1; n <= count; n++)); do
		local hostport=${bases[n - 1]#http://}
		backends+="backend node$n { .host = \"${hostport%:*}\"; .port = \"${hostport##*:}\"; .probe = ready; }"$'\n'
		adds+="    nodes.add_backend(node$n);"$'\n'
	done
	awk -v backends="$backends" -v adds="$adds" '
		/^# BEGIN BACKENDS/ { print backends "sub vcl_init {\n    new nodes = directors.round_robin();\n" adds "}"; skip = 1; next }
		/^# END BACKENDS/ { skip = 0; next }
		!skip' deploy/varnish.vcl >"$tmp/dateline.vcl"
	rm -rf "$tmp/varnish"
	varnishd -F -j none -a "127.0.0.1:$varnish_port" -f "$tmp/dateline.vcl" -n "$tmp/varnish" -s malloc,256m >"$tmp/varnish.log" 2>&1 &
	PIDS+=("$!")
	local i
	for i in $(seq 1 100); do
		curl -fsS -o /dev/null "$varnish/robots.txt" 2>/dev/null && break
		((i < 100)) || die "varnishd did not serve the nodes: $(tail -5 "$tmp/varnish.log")"
		sleep 0.1
	done
	for slug in "${slugs[@]}"; do
		for b in "${bases[@]}"; do
			curl -fsS -o /dev/null "$b/$slug/" # cached now, for a minute
		done
		curl -fsS -o /dev/null "$varnish/$slug/" # cached now, for an hour
	done
}
start_site "$nodes"
log "$nodes nodes on the database $dbname behind Varnish; $changes changes"

now() { date +%s.%N; }
first=() last=() cached=()
for ((i = 1; i <= changes; i++)); do
	slug=${slugs[i % ${#slugs[@]}]}
	"$bin" article note --db "$db" "$slug" "Correction $i-$$: the date was wrong." >/dev/null
	start=$(now)
	pending=("$varnish/$slug/")
	for b in "${bases[@]}"; do pending+=("$b/$slug/"); done
	seen_first= seen_last= seen_varnish=
	while ((${#pending[@]})); do
		left=()
		for u in "${pending[@]}"; do
			body=$(curl -fsS "$u")
			if [[ $body == *"Correction $i-$$"* ]]; then
				if [[ $u == "$varnish"/* ]]; then
					seen_varnish=$(now)
				else
					[[ -n $seen_first ]] || seen_first=$(now)
					seen_last=$(now)
				fi
			else
				left+=("$u")
			fi
		done
		pending=("${left[@]+"${left[@]}"}")
		if ((${#pending[@]})) && awk -v s="$start" -v n="$(now)" 'BEGIN { exit !(n - s > 30) }'; then
			die "change $i not on every node and Varnish after 30 s"
		fi
	done
	first+=("$(awk -v s="$start" -v e="$seen_first" 'BEGIN { printf "%.4f", e - s }')")
	last+=("$(awk -v s="$start" -v e="$seen_last" 'BEGIN { printf "%.4f", e - s }')")
	cached+=("$(awk -v s="$start" -v e="$seen_varnish" 'BEGIN { printf "%.4f", e - s }')")
done

stats() {
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
		p50 = v[int((NR - 1) * 0.50) + 1]; p99 = v[int((NR - 1) * 0.99) + 1]
		printf "p50 %.0f ms, p99 %.0f ms, worst %.0f ms", p50 * 1000, p99 * 1000, v[NR] * 1000 }'
}
echo "multinode.sh: $nodes nodes, $changes changes, $(nproc) cores; dateline $(git rev-parse --short HEAD)"
echo "  first node to show a change: $(stats "${first[@]}")"
echo "  every node shows it:         $(stats "${last[@]}")"
echo "  Varnish serves it:           $(stats "${cached[@]}")"

[[ ${THROUGHPUT:-} == 1 ]] || exit 0
ensure_packages wrk=wrk
# Comments as fast as they come: no wait before posting, no rate limit.
"$bin" settings set --db "$db" comments.min_form_seconds 0 >/dev/null
"$bin" settings set --db "$db" comments.per_ip_per_minute 10000 >/dev/null
"$bin" settings set --db "$db" comments.per_article_per_minute 10000 >/dev/null
comment_slug=${slugs[0]}
count_comments() { psql -Atq "$db" -c "SELECT count(*) FROM comments"; }
echo "throughput through Varnish ($(nproc) cores, wrk -t2 -c32 -d10s):"
for count in "$nodes" 1; do
	stop_all
	start_site "$count"
	pages=$(wrk -t2 -c32 -d10s --latency "$varnish/$comment_slug/" | awk '/Requests\/sec/ { rps = $2 } / 99%/ { p99 = $2 } END { print rps, p99 }')
	before=$(count_comments)
	posts=$(POST_PATH="/$comment_slug/comments" wrk -t2 -c32 -d10s --latency -s scripts/comment-post.lua "$varnish" 2>&1)
	after=$(count_comments)
	stored=$(awk '/^stored/ { print $2 }' <<<"$posts")
	# Posts under way when wrk stops are stored without wrk counting
	# them: the database may hold more than were acknowledged, never
	# fewer.
	lost=$((stored > after - before ? stored - (after - before) : 0))
	echo "  $count node(s): cached article page ${pages% *} requests/s (p99 ${pages#* }); comments stored $(awk -v n="$stored" 'BEGIN { printf "%.0f", n / 10 }')/s ($stored acknowledged in 10 s, each after a post for a token; $((after - before)) in the database; $lost acknowledged and lost)"
done
