#!/bin/sh
# replication.sh: figures for docs/PERFORMANCE.md, not pass/fail.
# A site alone and a pair on loopback (acknowledgement policy quorum, which
# for a pair means both): the time of one change made from the command
# line, changes per second with four writers, and how long the replica
# takes to hold everything once the writers stop.
set -u
: "${DOSSIER:?DOSSIER must name the dossier binary}"
N=${BENCH_REP_CHANGES:-20}
W=$(mktemp -d "${TMPDIR:-/tmp}/dossier-bench-rep-XXXXXX")
chmod 700 "$W"
P=$((30000 + ($$ % 4000) * 4))
trap 'for f in "$W"/*.pid; do [ -s "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null; done; rm -rf "$W"' EXIT

now() { date +%s.%N; }
new_case() {
	"$DOSSIER" --data "$W/$1" --user awa --passphrase-file "$W/awa.pw" \
	    case new --set channel=letter --set filed_by=victim \
	    --set facts_date=2026-11-18 --set region=mopti --set force=police \
	    --set "summary=Bench" --set categories=liberty.arbitrary \
	    >/dev/null 2>&1
}
# one SITE: N changes one after the other; prints ms per change
one_by_one() {
	t0=$(now)
	i=0
	while [ $i -lt "$N" ]; do
		new_case "$1"
		i=$((i + 1))
	done
	echo "$(now) $t0 $N" | awk '{ printf "%.0f", ($1 - $2) * 1000 / $3 }'
}
# burst SITE SECONDS: four writers; prints changes per second
burst() {
	: >"$W/burst"
	end=$(($(date +%s) + $2))
	for k in 1 2 3 4; do
		(while [ "$(date +%s)" -lt $end ]; do
			new_case "$1" && echo x >>"$W/burst"
		done) &
	done
	wait
	echo "$(wc -l <"$W/burst") $2" | awk '{ printf "%.1f", $1 / $2 }'
}
logpos() {
	"$DOSSIER" --data "$W/$1" site status 2>/dev/null |
	    sed -n 's/^Log position: *//p'
}

"$DOSSIER" --data "$W/alone" demo --seed 1 --cases 1 >/dev/null 2>&1
awk '$1 == "awa" { print $3 }' "$W/alone/demo-users.txt" >"$W/awa.pw"
chmod 600 "$W/awa.pw"
alone=$(one_by_one alone)
alone_burst=$(burst alone 10)

"$DOSSIER" --data "$W/a" demo --seed 1 --cases 1 >/dev/null 2>&1
"$DOSSIER" --data "$W/a" site init --listen "127.0.0.1:$P" >/dev/null
"$DOSSIER" --data "$W/a" serve >"$W/a.log" 2>&1 &
echo $! >"$W/a.pid"
i=0
until "$DOSSIER" --data "$W/a" site status 2>/dev/null | grep -q '(master)'; do
	sleep 0.2; i=$((i + 1)); [ $i -lt 150 ] || break
done
t0=$(now)
"$DOSSIER" --data "$W/b" site join --listen "127.0.0.1:$((P + 1))" \
    --peer "127.0.0.1:$P" >/dev/null 2>&1
join=$(echo "$(now) $t0" | awk '{ printf "%.1f", $1 - $2 }')
"$DOSSIER" --data "$W/b" serve >"$W/b.log" 2>&1 &
echo $! >"$W/b.pid"
i=0
until "$DOSSIER" --data "$W/b" site status 2>/dev/null | grep -q 'up to date'; do
	sleep 0.2; i=$((i + 1)); [ $i -lt 150 ] || break
done
pair=$(one_by_one a)
pair_burst=$(burst a 10)
# Opening the store at the master logs its files' registration, so the
# master's log end is read once, and the replica's until it gets there.
t0=$(now)
target=$(logpos a)
i=0
while ! echo "$(logpos b) $target" | tr / ' ' |
    awk '{ exit !($1 > $3 || ($1 == $3 && $2 >= $4)) }' && [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
lag=$(echo "$(now) $t0" | awk '{ printf "%.1f", $1 - $2 }')
size=$(du -sk "$W/a" | cut -f1)

echo "replication on loopback (quorum: both sites of a pair)"
printf '  %-44s %s\n' "site join, a new replica of $size KiB:" "$join s"
printf '  %-44s %s\n' "one change from the command line, alone:" "$alone ms"
printf '  %-44s %s\n' "... at the master of a pair:" "$pair ms"
printf '  %-44s %s\n' "four writers, alone:" "$alone_burst changes/s"
printf '  %-44s %s\n' "... at the master of a pair:" "$pair_burst changes/s"
printf '  %-44s %s\n' "replica holds everything, after the burst:" "$lag s"
echo "  (a link throttled to 64 kbit/s with 300 ms: not measured; needs netem)"
