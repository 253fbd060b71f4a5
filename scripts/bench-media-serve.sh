#!/usr/bin/env bash
# bench-media-serve.sh measures how fast `dateline serve` delivers a
# library image (a cached variant: a demo picture's 640 px JPEG) next to
# nginx serving the same file from disk, on the same machine with the same
# wrk load. The target (issue 13) is Dateline at >= 50% of nginx's
# requests/s. It is a measurement: it exits 0 whether or not the target is
# met, and non-zero only when something failed.
#
# Environment: DURATION (10s), CONNECTIONS (64), THREADS (2), RUNS (3):
# rounds, each server once per round, in turn.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=SCRIPTDIR/lib.sh
source scripts/lib.sh

duration=${DURATION:-10s}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}
runs=${RUNS:-3}

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
dateline_addr=127.0.0.1:$(free_port 18080)
# The demo's pictures are made in the background as serve starts.
start_dateline "$tmp/dateline" "$tmp/site.db" "$dateline_addr" "$tmp/dateline.log" --quiet
path=
for ((i = 0; i < 120; i++)); do
	path=$(curl -fsS "http://$dateline_addr/" | grep -o '/media/[0-9a-f]\{64\}/w640\.jpg' | head -n 1 || true)
	[[ -n $path ]] && break
	sleep 0.5
done
[[ -n $path ]] || die "no demo picture was made within 60s"
log "serving $path"

chmod 755 "$tmp"
mkdir -p "$tmp/www$(dirname "$path")"
curl -fsS -o "$tmp/www$path" "http://$dateline_addr$path"
chmod -R a+rX "$tmp/www"
nginx_addr=127.0.0.1:$(free_port 18081)
cat >"$tmp/nginx.conf" <<CONF
daemon off;
worker_processes auto;
pid nginx.pid;
error_log nginx-error.log warn;
events {
	worker_connections 1024;
}
http {
	types {
		image/jpeg jpg;
	}
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
		add_header Cache-Control "public, max-age=31536000, immutable";
		etag on;
	}
}
CONF
mkdir -p "$tmp/temp"
nginx -p "$tmp" -c "$tmp/nginx.conf" -e "$tmp/nginx-error.log" >"$tmp/nginx.log" 2>&1 &
PIDS+=("$!")
wait_http "http://$nginx_addr$path" "$!" "$tmp/nginx-error.log"
cmp -s "$tmp/www$path" <(curl -fsS "http://$nginx_addr$path") || die "nginx does not serve the file Dateline served"

results=$tmp/results.txt
for server in dateline nginx; do
	addr=$dateline_addr
	[[ $server == nginx ]] && addr=$nginx_addr
	wrk -t"$threads" -c"$connections" -d2s "http://$addr$path" >/dev/null
done
for ((run = 1; run <= runs; run++)); do
	for server in dateline nginx; do
		addr=$dateline_addr
		[[ $server == nginx ]] && addr=$nginx_addr
		out=$tmp/wrk-$server.txt
		wrk -t"$threads" -c"$connections" -d"$duration" --latency "http://$addr$path" >"$out"
		grep -q 'Non-2xx or 3xx responses' "$out" && die "$server answered with errors under load"
		rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
		p99=$(awk '$1 == "99%" { print $2 }' "$out")
		echo "$run $server $rps $p99" >>"$results"
		log "round $run $server: $rps req/s, p99 $p99"
	done
done
awk -v bytes="$(wc -c <"$tmp/www$path")" -v run="wrk -t$threads -c$connections -d$duration" '
{ rps[$1, $2] = $3; p99[$1, $2] = $4; if ($1 > n) n = $1 }
END {
	printf "\nA demo picture at 640 px (%d bytes of JPEG), %s\n  round  dateline req/s    p99     nginx req/s    p99    dateline/nginx\n", bytes, run
	for (r = 1; r <= n; r++) {
		ratio[r] = 100 * rps[r, "dateline"] / rps[r, "nginx"]
		printf "  %-5d %14.0f %8s %14.0f %8s %12.1f%%\n", r, rps[r, "dateline"], p99[r, "dateline"], rps[r, "nginx"], p99[r, "nginx"], ratio[r]
	}
	# the median round by ratio
	for (i = 2; i <= n; i++) for (j = i; j > 1 && ratio[j-1] > ratio[j]; j--) { t = ratio[j]; ratio[j] = ratio[j-1]; ratio[j-1] = t }
	m = n % 2 ? ratio[(n+1)/2] : (ratio[n/2] + ratio[n/2+1]) / 2
	printf "  Dateline/nginx: median %.1f%% (target >= 50%%: %s)\n", m, m >= 50 ? "met" : "NOT met"
}' "$results"
