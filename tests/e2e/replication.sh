#!/bin/sh
# replication.sh: three sites on loopback and a pair, as issue 15 asks.
# - three sites: writes at the master, the master SIGKILLed in the middle
#   of a load, a new master elected, every write reported saved present
#   at every site, the old master back as a replica and caught up,
#   'dossier check' clean at each site;
# - a replica refuses a change in one sentence naming the master;
# - two sites: the survivor stays a replica until a person promotes it;
#   a change the other site could not confirm is not reported saved;
# - the witness canary is nowhere in a replica's directory or its logs.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

# Ports of our own, so that runs side by side do not meet.
P=$((20000 + ($$ % 5000) * 8))

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
	kill -9 "$(cat "$T/$1.pid")" 2>/dev/null
	: >"$T/$1.pid"
}
status_has() {	# status_has SITE TEXT
	"$DOSSIER" --data "$T/$1" site status >"$T/status" 2>&1 &&
	    grep -q -- "$2" "$T/status"
}
# until SECONDS CMD...: poll CMD until it succeeds (0) or time is up (1).
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
refs() {	# the case references in a site's tables (serve stopped)
	db5.3_dump -p "$T/$1/meta.db" | grep -o 'ref:[A-Z0-9-]*' | sort
}
cleanup_sites() {
	for x in a b c x y; do
		[ -s "$T/$x.pid" ] && kill -9 "$(cat "$T/$x.pid")" 2>/dev/null
	done
}
trap 'cleanup_sites; tmux -L "dossier$$" kill-server 2>/dev/null; rm -rf "$T"' EXIT

# --- Three sites ---------------------------------------------------------
run "$DOSSIER" --data "$T/a" demo --seed "$DEMO_SEED" --cases 3
check "a demo store for the first site" rc_is 0
for u in awa ibrahim oumar; do
	awk -v u=$u '$1 == u { print $3 }' "$T/a/demo-users.txt" >"$T/$u.pw"
done
run "$DOSSIER" --data "$T/a" site init --listen "127.0.0.1:$P"
check "site init makes it the first site" rc_is 0
quick a
serve_start a
check "the first site becomes master" \
    until_ok 30 status_has a "(master)"
if [ $fails -gt 0 ]; then	# nothing after can work
	sed 's/^/#   /' "$T/status" "$T/a.serve.log"
	finish
	exit 1
fi

run "$DOSSIER" --data "$T/b" site join --listen "127.0.0.1:$((P + 1))" \
    --peer "127.0.0.1:$P"
check "a second site joins into an empty directory" rc_is 0
quick b
serve_start b
run "$DOSSIER" --data "$T/c" site join --listen "127.0.0.1:$((P + 2))" \
    --peer "127.0.0.1:$P"
check "a third site joins" rc_is 0
quick c
serve_start c
check "the master sees both replicas connected" \
    until_ok 30 sh -c "'$DOSSIER' --data '$T/a' site status |
    grep -c ' connected\$' | grep -qx 2"
check "a replica knows the master and has caught up" \
    until_ok 30 status_has b "replica, up to date"
status_has b "Master: *127.0.0.1:$P\$"
check "... and names it" [ $? -eq 0 ]

new_case b "Plainte a une replique"
check "a change at a replica is refused" rc_is 1
check "... in one sentence naming the master" \
    err_has "This site is a replica: changes are made at the master, 127.0.0.1:$P"

# The canary: a witness whose name must never reach a replica in clear.
CANARY="Zeinabou Canari-Replique"
new_case a "Avec un temoin"
check "a change at the master is saved" rc_is 0
REF=$(cat "$T/out")
as_at a oumar case assign "$REF" ibrahim
check "the supervisor assigns it at the master" rc_is 0
as_at a ibrahim case add "$REF" witness --set "full_name=$CANARY" \
    --set "phone=+223 70 00 00 01" --set "location=Sevare" --set role=direct
check "a witness is recorded at the master" rc_is 0

# A load at the master, killed in the middle with its replication process.
: >"$T/saved"
(
	i=0
	while [ $i -lt 400 ]; do
		if r=$("$DOSSIER" --data "$T/a" --user awa --passphrase-file \
		    "$T/awa.pw" case new --set "received=2026-11-20 09:30" \
		    --set channel=letter --set filed_by=victim \
		    --set facts_date=2026-11-18 --set region=mopti \
		    --set force=police --set "summary=Charge $i" \
		    --set categories=liberty.arbitrary 2>/dev/null); then
			echo "$r" >>"$T/saved"
		fi
		i=$((i + 1))
	done
) &
LOAD=$!
until_ok 60 sh -c "[ \$(wc -l <'$T/saved') -ge 5 ]"
serve_kill a
kill -9 $LOAD 2>/dev/null
pkill -9 -f -- "--data $T/a " 2>/dev/null
wait $LOAD 2>/dev/null
check "the load saved changes before the master was killed" \
    [ "$(wc -l <"$T/saved")" -ge 5 ]

check "a new master is elected among the two left" \
    until_ok 60 sh -c "'$DOSSIER' --data '$T/b' site status |
    grep -q '(master)' || '$DOSSIER' --data '$T/c' site status |
    grep -q '(master)'"
if status_has b "(master)"; then NEW=b OTHER=c; else NEW=c OTHER=b; fi
new_case $NEW "Apres la bascule"
check "the new master takes changes" rc_is 0
cat "$T/out" >>"$T/saved"

serve_start a
check "the old master comes back as a replica" \
    until_ok 60 status_has a "replica, up to date"
status_has a "Master: .*$([ $NEW = b ] && echo $((P + 1)) || echo $((P + 2)))"
check "... of the new master" [ $? -eq 0 ]
new_case $NEW "Apres le retour"
check "the new master takes a change with everyone back" rc_is 0
LAST=$(cat "$T/out")
cat "$T/out" >>"$T/saved"
# Every site holds the last change once the master's next beat is there.
sleep_beat() { status_has "$1" "s ago"; }
until_ok 30 sleep_beat a

serve_stop a
serve_stop $OTHER
serve_stop $NEW
sort "$T/saved" | sed 's/^/ref:/' >"$T/saved.refs"
for x in a b c; do
	run "$DOSSIER" --data "$T/$x" check
	check "dossier check is clean at site $x" rc_is 0
	refs $x >"$T/$x.refs"
	check "every change reported saved is at site $x" \
	    sh -c "comm -23 '$T/saved.refs' '$T/$x.refs' | grep -q . && exit 1 || exit 0"
done
check "the three sites hold the same cases" \
    sh -c "cmp -s '$T/a.refs' '$T/b.refs' && cmp -s '$T/b.refs' '$T/c.refs'"
check "... the last one included" grep -q "ref:$LAST" "$T/a.refs"
check "the witness canary is nowhere in a replica's files or logs" \
    sh -c "! grep -r -a -q -F '$CANARY' '$T/b' '$T/c'"
check "... nor its phone number" \
    sh -c "! grep -r -a -q -F '+223 70 00 00 01' '$T/b' '$T/c'"

# --- Two sites: a person decides ---------------------------------------
run "$DOSSIER" --data "$T/x" demo --seed "$DEMO_SEED" --cases 1
awk '$1 == "awa" { print $3 }' "$T/x/demo-users.txt" >"$T/awa.pw"
run "$DOSSIER" --data "$T/x" site init --listen "127.0.0.1:$((P + 4))"
quick x
serve_start x
until_ok 30 status_has x "(master)"
run "$DOSSIER" --data "$T/y" site join --listen "127.0.0.1:$((P + 5))" \
    --peer "127.0.0.1:$((P + 4))"
check "a pair: the second site joins" rc_is 0
quick y
serve_start y
check "... and catches up" until_ok 30 status_has y "replica, up to date"

serve_stop y
new_case x "Sans confirmation"
check "with its only replica down, a change is not reported saved" rc_is 1
check "... and says why" err_has "saved at this site only"
serve_start y
until_ok 30 status_has y "replica, up to date"

serve_kill x
pkill -9 -f -- "--data $T/x " 2>/dev/null
sleep_elect() { status_has y "(master)"; }
if until_ok 8 sleep_elect; then r=1; else r=0; fi
check "the survivor of a pair does not make itself master" [ $r -eq 0 ]
new_case y "Sans maitre"
check "... so it takes no change" rc_is 1
run "$DOSSIER" --data "$T/y" site promote
check "site promote makes it master on a person's decision" rc_is 0
new_case y "Apres la promotion"
check "the promoted site keeps a change but says no other site holds it" \
    err_has "saved at this site only"
serve_start x
check "the old master rejoins as a replica of the promoted one" \
    until_ok 60 status_has x "replica, up to date"
new_case y "La paire reformee"
check "with the pair whole again, a change is confirmed" rc_is 0
PROMOTED=$(cat "$T/out")
until_ok 30 sleep_beat x
serve_stop x
serve_stop y
run "$DOSSIER" --data "$T/x" check
check "dossier check is clean at the old master" rc_is 0
refs x >"$T/x.refs"
refs y >"$T/y.refs"
check "... which holds the change confirmed after the promotion" \
    grep -qx "ref:$PROMOTED" "$T/x.refs"
check "... and the one made while it was away" cmp -s "$T/x.refs" "$T/y.refs"
finish
