#!/bin/sh
# replication.sh: figures for docs/PERFORMANCE.md, not pass/fail.
# A site alone and a pair on loopback (acknowledgement policy quorum, which
# for a pair means both): the time of one change made from the command
# line, changes per second with four writers, and how long the replica
# takes to hold everything once the writers stop.
#
# Then a second pair through a slow link, when $SLOWLINK (the relay,
# tests/bench/slowlink) and $NETSHIM (tests/bench/netshim.so) are given:
# every process of both sites runs with netshim.so preloaded, which sends
# its connections to the other site's address to the relay instead; the
# relay carries them at 8,000 bytes/s each way (64 kbit/s) with 150 ms
# each way (300 ms round trip).  The same figures, plus a replica that
# was away while the master made changes, and what the relay carried.
set -u
# English messages: the slow part tells a change saved at the master only
# by its sentence.
LANG=C.UTF-8 LC_ALL=
export LANG LC_ALL
unset LANGUAGE
: "${DOSSIER:?DOSSIER must name the dossier binary}"
N=${BENCH_REP_CHANGES:-20}
SLOW_N=${BENCH_SLOW_CHANGES:-10}
SLOW_BURST=${BENCH_SLOW_BURST:-20}
AWAY_N=${BENCH_SLOW_AWAY:-100}
SLOW_RATE=${BENCH_SLOW_RATE:-8000}
SLOW_DELAY=${BENCH_SLOW_DELAY_MS:-150}
SLOW_WAIT=${BENCH_SLOW_WAIT:-600}	# seconds, at most, for each wait
SLOW_JOIN_WAIT=${BENCH_SLOW_JOIN_WAIT:-300}	# ... and for a join
SLOW_HEARTBEAT=${BENCH_SLOW_HEARTBEAT:-}	# site.conf's heartbeat, if given
SLOW_BULK=${BENCH_SLOW_BULK:-no}	# site.conf's bulk (REPLICATION.md)
W=$(mktemp -d "${TMPDIR:-/tmp}/dossier-bench-rep-XXXXXX")
chmod 700 "$W"
# Eight ports a run: the loopback pair, the slow pair and the relay.
# 28000-31999: away from the tests' ports, below the ephemeral range
# (see tests/e2e/replication.sh).
P=$((28000 + ($$ % 500) * 8))
trap 'for f in "$W"/*.pid; do [ -s "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null; done; rm -rf "$W"' EXIT
trap 'exit 1' INT TERM HUP

PRELOAD=
now() { date +%s.%N; }
# The dossier binary, with netshim.so preloaded when $PRELOAD is set.
run() {
	if [ -n "$PRELOAD" ]; then
		LD_PRELOAD=$PRELOAD "$DOSSIER" "$@"
	else
		"$DOSSIER" "$@"
	fi
}
# new_case SITE [ERRFILE]: one change from the command line
new_case() {
	run --data "$W/$1" --user awa --passphrase-file "$W/awa.pw" \
	    case new --set channel=letter --set filed_by=victim \
	    --set facts_date=2026-11-18 --set region=mopti --set force=police \
	    --set "summary=Bench" --set categories=liberty.arbitrary \
	    >/dev/null 2>"${2:-/dev/null}"
}
# one SITE [COUNT]: COUNT (N) changes one after the other; prints ms per change
one_by_one() {
	t0=$(now)
	i=0
	while [ $i -lt "${2:-$N}" ]; do
		new_case "$1" || echo x >>"$W/failed"
		i=$((i + 1))
	done
	echo "$(now) $t0 ${2:-$N}" | awk '{ printf "%.0f", ($1 - $2) * 1000 / $3 }'
}
# burst SITE SECONDS: four writers; prints changes per second
burst() {
	: >"$W/burst"
	end=$(($(date +%s) + $2))
	for k in 1 2 3 4; do
		(while [ "$(date +%s)" -lt $end ]; do
			if new_case "$1"; then echo x >>"$W/burst"
			else echo x >>"$W/failed"; fi
		done) &
		echo $! >"$W/burst$k.pid"
	done
	wait
	echo "$(wc -l <"$W/burst") $2" | awk '{ printf "%.1f", $1 / $2 }'
}
logpos() {
	run --data "$W/$1" site status 2>/dev/null |
	    sed -n 's/^Log position: *//p'
}
# until_status SITE TEXT SECONDS: wait until 'site status' says TEXT
until_status() {
	end=$(($(date +%s) + $3))
	until run --data "$W/$1" site status 2>/dev/null | grep -q "$2"; do
		[ "$(date +%s)" -lt $end ] || return 1
		sleep 0.2
	done
}
# caught_up SITE MASTER SECONDS: wait until SITE's log reaches where
# MASTER's ends now; prints the seconds it took, or "more than SECONDS".
# Opening the store at the master logs its files' registration, so the
# master's log end is read once, and the replica's until it gets there.
caught_up() {
	t0=$(now)
	target=$(logpos "$2")
	end=$(($(date +%s) + $3))
	while ! echo "$(logpos "$1") $target" | tr / ' ' |
	    awk 'NF == 4 { exit !($1 > $3 || ($1 == $3 && $2 >= $4)) }
		NF != 4 { exit 1 }'; do
		if [ "$(date +%s)" -ge $end ]; then
			echo "more than $3"
			return 1
		fi
		sleep 0.1
	done
	echo "$(now) $t0" | awk '{ printf "%.1f", $1 - $2 }'
}
# serve SITE: start 'dossier serve' at SITE
# heartbeat SITE: site.conf's heartbeat to $SLOW_HEARTBEAT, when given,
# and its bulk to $SLOW_BULK
heartbeat() {
	hb=${SLOW_HEARTBEAT:-'&'}
	[ -n "$SLOW_HEARTBEAT" ] && hb="heartbeat $SLOW_HEARTBEAT"
	sed -e "s/^bulk .*/bulk $SLOW_BULK/" -e "s/^heartbeat .*/$hb/" \
	    "$W/$1/site.conf" >"$W/site.conf.tmp" &&
	    cat "$W/site.conf.tmp" >"$W/$1/site.conf"
}
# (not through run(): $! must be the server's own process)
serve() {
	if [ -n "$PRELOAD" ]; then
		LD_PRELOAD=$PRELOAD "$DOSSIER" --data "$W/$1" serve \
		    >>"$W/$1.log" 2>&1 &
	else
		"$DOSSIER" --data "$W/$1" serve >>"$W/$1.log" 2>&1 &
	fi
	echo $! >"$W/$1.pid"
}
# unserve SITE: stop it (SIGTERM, then SIGKILL after 60 s)
unserve() {
	pid=$(cat "$W/$1.pid")
	kill "$pid" 2>/dev/null
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	: >"$W/$1.pid"
}

"$DOSSIER" --data "$W/alone" demo --seed 1 --cases 1 >/dev/null 2>&1
awk '$1 == "awa" { print $3 }' "$W/alone/demo-users.txt" >"$W/awa.pw"
chmod 600 "$W/awa.pw"
alone=$(one_by_one alone)
alone_burst=$(burst alone 10)

"$DOSSIER" --data "$W/a" demo --seed 1 --cases 1 >/dev/null 2>&1
# Each demo store has its own passphrases: the pair's writers sign in
# with the pair's (signing in with another store's failed every change,
# slowly, and once made these figures look like a replication defect).
awk '$1 == "awa" { print $3 }' "$W/a/demo-users.txt" >"$W/awa.pw"
"$DOSSIER" --data "$W/a" site init --listen "127.0.0.1:$P" >/dev/null
"$DOSSIER" --data "$W/a" serve >"$W/a.log" 2>&1 &
echo $! >"$W/a.pid"
i=0
until "$DOSSIER" --data "$W/a" site status 2>/dev/null | grep -q '(master)'; do
	sleep 0.2; i=$((i + 1)); [ $i -lt 150 ] || break
done
t0=$(now)
"$DOSSIER" --data "$W/b" site join --listen "127.0.0.1:$((P + 1))" \
    --peer "127.0.0.1:$P" --group-key "$W/a/site.key" >/dev/null 2>&1
join=$(echo "$(now) $t0" | awk '{ printf "%.1f", $1 - $2 }')
"$DOSSIER" --data "$W/b" serve >"$W/b.log" 2>&1 &
echo $! >"$W/b.pid"
i=0
until "$DOSSIER" --data "$W/b" site status 2>/dev/null | grep -q 'up to date'; do
	sleep 0.2; i=$((i + 1)); [ $i -lt 150 ] || break
done
pair=$(one_by_one a)
pair_burst=$(burst a 10)
lag=$(caught_up b a 60)
size=$(du -sk "$W/a" | cut -f1)

echo "replication on loopback (quorum: both sites of a pair)"
printf '  %-44s %s\n' "site join, a new replica of $size KiB:" "$join s"
printf '  %-44s %s\n' "one change from the command line, alone:" "$alone ms"
printf '  %-44s %s\n' "... at the master of a pair:" "$pair ms"
printf '  %-44s %s\n' "four writers, alone:" "$alone_burst changes/s"
printf '  %-44s %s\n' "... at the master of a pair:" "$pair_burst changes/s"
printf '  %-44s %s\n' "replica holds everything, after the burst:" "$lag s"
[ -s "$W/failed" ] && echo "  changes that failed (not counted above): $(wc -l <"$W/failed")"

# --- The same through a slow link ----------------------------------------
kbit=$((SLOW_RATE * 8 / 1000))
rtt=$((SLOW_DELAY * 2))
if [ -z "${SLOWLINK:-}" ] || [ -z "${NETSHIM:-}" ] ||
    [ ! -x "$SLOWLINK" ] || [ ! -f "$NETSHIM" ]; then
	echo "  (a link throttled to $kbit kbit/s with $rtt ms: not measured;"
	echo "  give SLOWLINK and NETSHIM, as 'make bench' does)"
	exit 0
fi
: >"$W/failed"
# Sites c (master) and d listen at P+2 and P+3; the relay at P+4 and P+5.
SC=$((P + 2)) SD=$((P + 3)) RC=$((P + 4)) RD=$((P + 5))
DOSSIER_BENCH_REDIRECT="127.0.0.1:$SC=127.0.0.1:$RC,127.0.0.1:$SD=127.0.0.1:$RD"
export DOSSIER_BENCH_REDIRECT
# carried SITE: bytes the relay has delivered toward SITE (c or d)
carried() {
	rm -f "$W/link"
	kill -USR1 "$(cat "$W/slowlink.pid")" 2>/dev/null
	i=0
	while [ ! -s "$W/link" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if [ "$1" = c ]; then port=$SC; else port=$SD; fi
	n=$(awk -v l="to:127.0.0.1:$port" '$1 == l { print $2 }' "$W/link" \
	    2>/dev/null)
	echo "${n:-0}"
}
# rate BYTES SECONDS: "N KiB, R bytes/s"
rate() {
	echo "$1 $2" | awk '{ printf "%.0f KiB, %.0f bytes/s", $1 / 1024,
	    ($2 > 0 ? $1 / $2 : 0) }'
}
slow_line() { printf '  %-44s %s\n' "$1" "$2"; }

# slowlink RATE: (re)start the relay at RATE bytes/s
slowlink() {
	[ -s "$W/slowlink.pid" ] && kill "$(cat "$W/slowlink.pid")" 2>/dev/null &&
	    wait "$(cat "$W/slowlink.pid")" 2>/dev/null
	"$SLOWLINK" --pair --rate "$1" --delay-ms "$SLOW_DELAY" \
	    --stats "$W/link" "$RC=127.0.0.1:$SC" "$RD=127.0.0.1:$SD" \
	    2>>"$W/slowlink.log" &
	echo $! >"$W/slowlink.pid"
	sleep 0.2
}
# join: 'site join' for d, at most SLOW_JOIN_WAIT seconds
join() {
	timeout "$SLOW_JOIN_WAIT" env LD_PRELOAD="$PRELOAD" "$DOSSIER" \
	    --data "$W/d" site join --listen "127.0.0.1:$SD" \
	    --peer "127.0.0.1:$SC" --group-key "$W/c/site.key" \
	    >"$W/join.out" 2>&1
}
PRELOAD=$NETSHIM
slowlink "$SLOW_RATE"
echo "replication through a relay at $kbit kbit/s, $rtt ms round trip" \
    "(quorum: both sites; bulk $SLOW_BULK${SLOW_HEARTBEAT:+; heartbeat $SLOW_HEARTBEAT s})"
run --data "$W/c" demo --seed 1 --cases 1 >/dev/null 2>&1
awk '$1 == "awa" { print $3 }' "$W/c/demo-users.txt" >"$W/awa.pw"
run --data "$W/c" site init --listen "127.0.0.1:$SC" >/dev/null
heartbeat c
serve c
until_status c '(master)' 60 || echo "  (c did not become master in 60 s)"
size=$(du -sk "$W/c" | cut -f1)
b0=$(carried d)
t0=$(now)
join
rc=$?
t=$(echo "$(now) $t0" | awk '{ printf "%.1f", $1 - $2 }')
b1=$(carried d)
if [ $rc -eq 0 ]; then
	slow_line "site join, a new replica of $size KiB:" "$t s"
else
	slow_line "site join, a new replica of $size KiB:" "FAILED after $t s"
fi
slow_line "... the relay carried to it:" "$(rate $((b1 - b0)) "$t")"
jlog=$(cat "$W/d/__db.rep.diag0"* 2>/dev/null |
    grep -a -o 'heartbeat monitor timeout expired' | wc -l)
slow_line "... the master's heartbeats missed (15 s):" "${jlog:-?} times"
if [ $rc -ne 0 ]; then
	# The rest is measured all the same: the replica is made again
	# through the relay without its throttle, which is then put back.
	tail -1 "$W/join.out" | sed 's/^/    /'
	rm -rf "$W/d"
	slowlink 1000000000
	if ! join; then
		echo "  (a join without the throttle failed too; stopping here)"
		exit 0
	fi
	slowlink "$SLOW_RATE"
	echo "  (the replica was then made without the throttle; the relay's" \
	    "totals start again below)"
fi
heartbeat d
t0=$(now)
serve d
if until_status d 'up to date' "$SLOW_WAIT"; then
	slow_line "... up to date, once its serve started:" \
	    "$(echo "$(now) $t0" | awk '{ printf "%.1f", $1 - $2 }') s"
else
	slow_line "... up to date, once its serve started:" \
	    "NOT within $SLOW_WAIT s"
fi
slow_line "one change from the command line, master:" \
    "$(one_by_one c "$SLOW_N") ms"
slow_line "four writers at the master, $SLOW_BURST s:" \
    "$(burst c "$SLOW_BURST") changes/s"
slow_line "replica holds everything, after the burst:" \
    "$(caught_up d c "$SLOW_WAIT") s"
[ -s "$W/failed" ] &&
    slow_line "changes that failed (not counted above):" "$(wc -l <"$W/failed")"

# A replica away: its serve stopped while the master makes AWAY_N changes
# with four writers.  At a pair's master under quorum nothing can be
# confirmed then: the change is saved at the master and reported "saved
# at this site only" (the sign-in itself works: a reading's audit entry
# may stay at the master alone); the bench shows it with one attempt,
# then lets the writers go on without
# acknowledgements ('acks none' in the master's site.conf, put back
# afterwards), as a pair's administrator would while a site is away.
t0=$(now)
unserve d
slow_line "stopping the replica's serve:" \
    "$(echo "$(now) $t0" | awk '{ printf "%.1f", $1 - $2 }') s"
if new_case c "$W/away.0"; then
	why="made"
elif grep -q 'saved at this site only' "$W/away.0"; then
	why="saved at the master only, reported not confirmed"
else
	why="refused: $(head -c 60 "$W/away.0")"
fi
slow_line "a change with the replica away, quorum:" "$why"
cp "$W/c/site.conf" "$W/site.conf.c"
sed 's/^acks .*/acks none/' "$W/site.conf.c" >"$W/c/site.conf"
grep -q '^acks none' "$W/c/site.conf" || echo 'acks none' >>"$W/c/site.conf"
: >"$W/made"
: >"$W/unmade"
t0=$(now)
for k in 1 2 3 4; do
	(j=$k
	while [ $j -le "$AWAY_N" ]; do
		if new_case c; then echo x >>"$W/made"
		else echo x >>"$W/unmade"; fi
		j=$((j + 4))
	done) &
	echo $! >"$W/away$k.pid"
	writers="${writers:-} $!"
done
# Not a bare wait: the servers and the relay are children too.
wait $writers
t=$(echo "$(now) $t0" | awk '{ printf "%.1f", $1 - $2 }')
cp "$W/site.conf.c" "$W/c/site.conf"
slow_line "$AWAY_N changes at the master (acks none):" \
    "$(wc -l <"$W/made") made in $t s, $(wc -l <"$W/unmade") failed"
b0=$(carried d)
t0=$(now)
serve d
t=$(caught_up d c "$SLOW_WAIT")
b1=$(carried d)
slow_line "... replica back: holds everything after:" "$t s"
case $t in
more*)	t=${t#more than } ;;
esac
slow_line "... the relay carried to it:" "$(rate $((b1 - b0)) "$t")"
# The relay's own account: all it carried, and its busiest second.
carried d >/dev/null
awk -v sc="to:127.0.0.1:$SC" -v rate="$SLOW_RATE" '
	$1 == sc { who = "toward the master" }
	$1 != sc && $1 !~ /^#/ { who = "toward the replica" }
	$1 !~ /^#/ { printf "  relay, %-18s %8.0f KiB, %d connections, " \
	    "busiest second %d bytes (line: %d)\n", who ":", $2 / 1024, $3,
	    $5, rate }' "$W/link"
