#!/usr/bin/env bash
# bench-serve.sh measures how fast `dateline serve` delivers the reference
# article next to nginx serving the same HTML as a static file, on the same
# machine with the same wrk load. The target is Dateline at >= 50% of
# nginx's requests/s. It is a measurement: it exits 0 whether or not the
# target is met, and non-zero only when something failed.
#
# Environment: DURATION (10s), CONNECTIONS (64), THREADS (2), WARMUP (2s),
# CACHE (Dateline's --cache, 5s), REFERENCE (the article to import, default
# ../shared/fixtures/reference-article.txt from the repository root).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Resolved before cd so that a relative REFERENCE means the caller's cwd.
reference=$(realpath -e -- "${REFERENCE:-$root/../shared/fixtures/reference-article.txt}")
cd "$root"
# shellcheck source=SCRIPTDIR/lib.sh
source scripts/lib.sh

duration=${DURATION:-10s}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}
warmup=${WARMUP:-2s}
cache=${CACHE:-5s}

ensure_packages wrk=wrk nginx=nginx curl=curl

tmp=$(mktemp -d)
cleanup() {
	stop_all
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "building dateline"
build_dateline "$tmp"
seed_db "$tmp/dateline" "$tmp/site.db" "$reference"
path="/$SLUG/"

dateline_addr=127.0.0.1:$(free_port 18080)
start_dateline "$tmp/dateline" "$tmp/site.db" "$dateline_addr" "$tmp/dateline.log" --quiet --cache "$cache"

# nginx serves the very bytes Dateline rendered, at the same path. Its
# workers run as nobody when started by root, hence the readable modes.
chmod 755 "$tmp"
mkdir -p "$tmp/www$path"
curl -fsS -o "$tmp/www${path}index.html" "http://$dateline_addr$path"
chmod -R a+rX "$tmp/www"

nginx_addr=127.0.0.1:$(free_port 18081)
# keepalive_requests is raised from nginx's default of 1000 so that, like
# Go's server, it keeps each wrk connection open for the whole run.
cat >"$tmp/nginx.conf" <<EOF
daemon off;
worker_processes auto;
pid nginx.pid;
error_log nginx-error.log warn;
events {
	worker_connections 1024;
}
http {
	types {
		text/html html;
	}
	default_type application/octet-stream;
	charset utf-8;
	access_log off;
	sendfile on;
	tcp_nopush on;
	keepalive_timeout 65;
	keepalive_requests 1000000;
	client_body_temp_path temp/body;
	proxy_temp_path temp/proxy;
	fastcgi_temp_path temp/fastcgi;
	uwsgi_temp_path temp/uwsgi;
	scgi_temp_path temp/scgi;
	server {
		listen $nginx_addr;
		root www;
		index index.html;
	}
}
EOF
mkdir -p "$tmp/temp"
# -e keeps nginx away from /var/log/nginx, which it opens before the config.
nginx -p "$tmp" -c "$tmp/nginx.conf" -e "$tmp/nginx-error.log" >"$tmp/nginx.log" 2>&1 &
PIDS+=("$!")
wait_http "http://$nginx_addr$path" "$!" "$tmp/nginx-error.log"
cmp -s "$tmp/www${path}index.html" <(curl -fsS "http://$nginx_addr$path") ||
	die "nginx does not serve the page Dateline rendered"

# run_wrk NAME URL loads URL, prints wrk's report and sets RPS and P99 (ms).
run_wrk() {
	local name=$1 url=$2 out=$tmp/wrk-$1.txt
	log "wrk -t$threads -c$connections -d$duration --latency $name"
	wrk -t"$threads" -c"$connections" -d"$duration" --latency "$url" >"$out"
	sed 's/^/  /' "$out"
	# A fast stream of errors would look like a fast server.
	if grep -q 'Non-2xx or 3xx responses' "$out"; then
		die "$name answered with errors under load"
	fi
	RPS=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
	P99=$(awk '$1 == "99%" {
		v = $2 + 0
		if ($2 ~ /us$/) v /= 1000
		else if ($2 ~ /[0-9]s$/) v *= 1000
		else if ($2 ~ /m$/) v *= 60000
		printf "%.2f", v
	}' "$out")
	[[ -n $RPS && -n $P99 ]] || die "could not read requests/s and p99 from wrk's report for $name"
}

# Warm-up: fills Dateline's page cache and both servers' connection paths.
wrk -t"$threads" -c"$connections" -d"$warmup" "http://$dateline_addr$path" >/dev/null
wrk -t"$threads" -c"$connections" -d"$warmup" "http://$nginx_addr$path" >/dev/null

run_wrk dateline "http://$dateline_addr$path"
dateline_rps=$RPS dateline_p99=$P99
run_wrk nginx "http://$nginx_addr$path"
nginx_rps=$RPS nginx_p99=$P99

awk -v d="$dateline_rps" -v dp="$dateline_p99" -v n="$nginx_rps" -v np="$nginx_p99" \
	-v run="wrk -t$threads -c$connections -d$duration" -v path="$path" -v cache="$cache" \
	-v bytes="$(wc -c <"$tmp/www${path}index.html")" 'BEGIN {
	ratio = 100 * d / n
	printf "\nReference article %s (%d bytes of HTML), %s, Dateline --cache %s\n", path, bytes, run, cache
	printf "  %-9s %10.0f req/s   p99 %8.2f ms\n", "Dateline", d, dp
	printf "  %-9s %10.0f req/s   p99 %8.2f ms\n", "nginx", n, np
	printf "  Dateline/nginx: %.1f%% of nginx'\''s req/s, target >= 50%%: %s\n", ratio, ratio >= 50 ? "met" : "NOT met"
}'
