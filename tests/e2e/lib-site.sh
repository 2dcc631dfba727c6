# lib-site.sh: what the replication tests (replication.sh, stranger.sh)
# share, sourced after lib.sh: sites are data directories $T/NAME, each
# with its 'dossier serve' (pid in $T/NAME.pid, log in $T/NAME.serve.log).

as_at() {	# as_at SITE USER ARGS...
	s=$1
	u=$2
	shift 2
	run "$DOSSIER" --data "$T/$s" --user "$u" --passphrase-file "$T/$u.pw" "$@"
}
new_case() {	# new_case SITE SUMMARY: a complaint, its reference in $T/out
	as_at "$1" awa case new --set "received=2026-11-20 09:30" \
	    --set channel=letter --set filed_by=victim \
	    --set facts_date=2026-11-18 --set region=mopti --set force=police \
	    --set "summary=$2" --set categories=liberty.arbitrary
}
quick() {	# shorter timeouts than a real link needs, for the test
	sed -i 's/^heartbeat .*/heartbeat 1/; s/^ack-timeout .*/ack-timeout 5000/' \
	    "$T/$1/site.conf"
}
serve_start() {
	"$DOSSIER" --data "$T/$1" serve >>"$T/$1.serve.log" 2>&1 &
	echo $! >"$T/$1.pid"
}
serve_stop() {	# SIGTERM, and wait until it is gone
	[ -s "$T/$1.pid" ] || return 0
	kill "$(cat "$T/$1.pid")" 2>/dev/null
	i=0
	while kill -0 "$(cat "$T/$1.pid")" 2>/dev/null && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	: >"$T/$1.pid"
}
serve_kill() {
	[ -s "$T/$1.pid" ] && kill -9 "$(cat "$T/$1.pid")" 2>/dev/null
	: >"$T/$1.pid"
}
status_has() {	# status_has SITE TEXT
	"$DOSSIER" --data "$T/$1" site status >"$T/status" 2>&1 &&
	    grep -q -- "$2" "$T/status"
}
# until_ok SECONDS CMD...: poll CMD until it succeeds (0) or time is up (1).
until_ok() {
	lim=$(($1 * 5))
	shift
	i=0
	while [ $i -lt $lim ]; do
		"$@" && return 0
		sleep 0.2
		i=$((i + 1))
	done
	return 1
}
