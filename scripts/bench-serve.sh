#!/usr/bin/env bash
# bench-serve.sh measures how fast `dateline serve` delivers the reference
# article, and the front page, next to nginx serving the same HTML as a
# static file, on the same machine with the same wrk load. The targets
# are Dateline at >= 70% of nginx's requests/s with a p99 no worse than
# nginx's, and the front page (one cached page, however many stories it
# gathers) within 10% of the article's requests/s. It is a measurement:
# it exits 0 whether or not the targets are met, and non-zero only when
# something failed.
#
# Environment: DURATION (10s), CONNECTIONS (64), THREADS (2), WARMUP (2s),
# CACHE (Dateline's --cache, 5s), REFERENCE (the article to import, default
# ../shared/fixtures/reference-article.txt from the repository root),
# RUNS (1): rounds of measurements, each server once per round, in turn,
# ENCODING (identity): gzip sends Accept-Encoding: gzip, as browsers do
# (not GZIP=1: gzip(1) reads that variable); nginx then
# serves Dateline's gzipped page with gzip_static (compressed once, its
# best case), BASELINE (unset): a git revision of Dateline to build and
# measure in each round as well, before the work tree's build, for
# before/after figures from the same run.
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
runs=${RUNS:-1}
encoding=${ENCODING:-identity}
[[ $encoding == identity || $encoding == gzip ]] || die "ENCODING is identity or gzip, not $encoding"
baseline=${BASELINE:-}
wrk_headers=()
if [[ $encoding == gzip ]]; then
	wrk_headers=(-H 'Accept-Encoding: gzip')
fi

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
wait_pictures "http://$dateline_addr/" 4

servers=(dateline nginx)
if [[ -n $baseline ]]; then
	log "building dateline at $baseline"
	mkdir "$tmp/baseline"
	git archive "$baseline" | tar -x -C "$tmp/baseline"
	(cd "$tmp/baseline" && build_dateline "$tmp/baseline")
	# Its own database: an older binary may not open a newer schema.
	seed_db "$tmp/baseline/dateline" "$tmp/baseline/site.db" "$reference"
	[[ "/$SLUG/" == "$path" ]] || die "the baseline gave the article another address: /$SLUG/"
	baseline_addr=127.0.0.1:$(free_port 18082)
	start_dateline "$tmp/baseline/dateline" "$tmp/baseline/site.db" "$baseline_addr" "$tmp/baseline.log" --quiet --cache "$cache"
	servers=(baseline dateline nginx)
fi

# nginx serves the very bytes Dateline rendered, at the same paths: the
# article's and the front page's. Its workers run as nobody when started
# by root, hence the readable modes.
chmod 755 "$tmp"
for page in "$path" /; do
	mkdir -p "$tmp/www$page"
	curl -fsS -o "$tmp/www${page}index.html" "http://$dateline_addr$page"
	# gzip_static's copy: the bytes Dateline sends a browser, not decoded.
	curl -fsS -H 'Accept-Encoding: gzip' -o "$tmp/www${page}index.html.gz" "http://$dateline_addr$page"
	gzip -t "$tmp/www${page}index.html.gz" || die "Dateline's gzipped page $page is not gzip"
done
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
	gzip_static on;
	gzip_vary on;
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
	wrk -t"$threads" -c"$connections" -d"$duration" --latency "${wrk_headers[@]}" "$url" >"$out"
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

addr_of() {
	case $1 in
	dateline) echo "$dateline_addr" ;;
	baseline) echo "$baseline_addr" ;;
	nginx) echo "$nginx_addr" ;;
	esac
}

if [[ $encoding == gzip ]]; then
	for server in "${servers[@]}"; do
		curl -fsS -H 'Accept-Encoding: gzip' -D - -o /dev/null "http://$(addr_of "$server")$path" |
			grep -qi '^content-encoding: gzip' || die "$server does not answer gzipped"
	done
fi

# Warm-up: fills Dateline's page cache and the servers' connection paths.
for page in "$path" /; do
	for server in "${servers[@]}"; do
		wrk -t"$threads" -c"$connections" -d"$warmup" "${wrk_headers[@]}" "http://$(addr_of "$server")$page" >/dev/null
	done
done

# Each round loads every server with the article, then with the front
# page; article.txt and front.txt get a line "round server rps p99" per
# run.
for ((run = 1; run <= runs; run++)); do
	for page in article front; do
		url_path=$path
		[[ $page == front ]] && url_path=/
		for server in "${servers[@]}"; do
			run_wrk "$server-$page" "http://$(addr_of "$server")$url_path"
			echo "$run $server $RPS $P99" >>"$tmp/$page.txt"
		done
	done
done

# One table per page: a line per round, then the medians; ratios are to
# nginx serving the same page in the same round.
summary() {
	local page=$1 page_path=$2 label=$3
	awk -v run="wrk -t$threads -c$connections -d$duration" -v path="$page_path" -v cache="$cache" -v enc="$encoding" \
	-v bytes="$(wc -c <"$tmp/www${page_path}index.html")" -v gzbytes="$(wc -c <"$tmp/www${page_path}index.html.gz")" \
	-v servers="${servers[*]}" -v label="$label" '
function median(a, n,   i, j, t) {
	for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
	return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
}
{ rps[$1, $2] = $3; p99[$1, $2] = $4; if ($1 > rounds) rounds = $1 }
END {
	ns = split(servers, name, " ")
	printf "\n%s %s (%d bytes of HTML, %d gzipped), %s, Accept-Encoding %s, Dateline --cache %s\n", label, path, bytes, gzbytes, run, enc, cache
	printf "  %-5s", "round"
	for (i = 1; i <= ns; i++) printf " %10s req/s %9s p99", name[i], ""
	for (i = 1; i < ns; i++) printf " %9s/nginx", name[i]
	printf "\n"
	for (r = 1; r <= rounds; r++) {
		printf "  %-5d", r
		for (i = 1; i <= ns; i++) printf " %16.0f %10.2f ms", rps[r, name[i]], p99[r, name[i]]
		for (i = 1; i < ns; i++) {
			ratio[i, r] = 100 * rps[r, name[i]] / rps[r, "nginx"]
			printf " %14.1f%%", ratio[i, r]
		}
		printf "\n"
	}
	printf "  %-5s", "median"
	for (i = 1; i <= ns; i++) {
		for (r = 1; r <= rounds; r++) { a[r] = rps[r, name[i]]; b[r] = p99[r, name[i]] }
		mr[i] = median(a, rounds); mp[i] = median(b, rounds)
		printf " %16.0f %10.2f ms", mr[i], mp[i]
	}
	for (i = 1; i < ns; i++) {
		for (r = 1; r <= rounds; r++) c[r] = ratio[i, r]
		mratio[i] = median(c, rounds)
		printf " %14.1f%%", mratio[i]
	}
	printf "\n"
	for (i = 1; i < ns; i++)
		if (name[i] == "dateline")
			printf "  Dateline/nginx: median %.1f%% of nginx'\''s req/s (target >= 70%%: %s), median p99 %.2f ms vs nginx %.2f ms (target no worse: %s)\n", mratio[i], mratio[i] >= 70 ? "met" : "NOT met", mp[i], mp[ns], mp[i] <= mp[ns] ? "met" : "NOT met"
}' "$tmp/$page.txt"
}
summary article "$path" "Reference article"
summary front / "Front page"

# The front page against the article, Dateline's requests/s in the same
# round.
join <(awk '$2 == "dateline" { print $1, $3 }' "$tmp/article.txt") <(awk '$2 == "dateline" { print $1, $3 }' "$tmp/front.txt") |
	awk '
function median(a, n,   i, j, t) {
	for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
	return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
}
{ n++; r[n] = 100 * $3 / $2; printf "  round %d: front page %.0f req/s, article %.0f req/s: %.1f%%\n", $1, $3, $2, r[n] }
END {
	m = median(r, n)
	printf "  Front page/article (Dateline): median %.1f%% (target >= 90%%: %s)\n", m, m >= 90 ? "met" : "NOT met"
}'
