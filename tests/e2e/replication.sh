#!/bin/sh
# replication.sh: three sites on loopback and a pair, as issue 15 asks.
# - three sites: writes at the master, the master SIGKILLed in the middle
#   of a load, a new master elected, every write reported saved present
#   at every site, the old master back as a replica and caught up,
#   'dossier check' clean at each site;
# - a replica refuses a change in one sentence naming the master, and
#   lets users sign in and read once the master recorded it in its log;
# - two sites: the survivor stays a replica until a person promotes it;
#   a change the other site could not confirm is not reported saved;
# - the witness canary is nowhere in a replica's directory or its logs.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
. "${top_srcdir:-.}/tests/e2e/lib-site.sh"

# Ports of our own, so that runs side by side do not meet, and below
# Linux's ephemeral range (32768-60999), where an outgoing connection's
# port could already hold one: 12000-19999 here, ssh.sh takes
# 10000-11999, stranger.sh 20000-27999, the replication bench 28000-31999.
P=$((12000 + ($$ % 1000) * 8))

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

# A stranger who reaches the port, with a key that is not the group's.
printf 'dossier-group-key-1 %s\n' \
    "$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')" >"$T/stranger.key"
run "$DOSSIER" --data "$T/s" site join --listen "127.0.0.1:$((P + 6))" \
    --peer "127.0.0.1:$P" --group-key "$T/stranger.key"
check "a site without the group key is refused" rc_is 1
check "... and told why" err_has "could not prove"
check "... and the master removes it from the group" \
    until_ok 40 grep -q "127.0.0.1:$((P + 6)) could not prove" "$T/a.serve.log"
# Berkeley DB's own files (__db.*, the group's addresses in __db.rep.db)
# are made by any site that connects; no table of the store may be.
check "... so it copied nothing" \
    sh -c "! ls '$T/s' | grep -v '^__db' | grep -q '\.db\$'"
check "... and it is not a site of the group" \
    sh -c "! '$DOSSIER' --data '$T/a' site status | grep -q ':$((P + 6))'"
run "$DOSSIER" --data "$T/b" site join --listen "127.0.0.1:$((P + 1))" \
    --peer "127.0.0.1:$P"
check "site join asks for the group key" rc_is 2
run "$DOSSIER" --data "$T/b" site join --listen "127.0.0.1:$((P + 1))" \
    --peer "127.0.0.1:$P" --group-key "$T/a/site.key"
check "a second site joins into an empty directory" rc_is 0
check "... proving it holds the group key" \
    until_ok 30 grep -q "127.0.0.1:$((P + 1)) proved" "$T/a.serve.log"
quick b
serve_start b
cp "$T/a/site.key" "$T/group.key"
run "$DOSSIER" --data "$T/c" site join --listen "127.0.0.1:$((P + 2))" \
    --peer "127.0.0.1:$P" --group-key "$T/group.key"
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
run "$DOSSIER" --data "$T/b" compact
check "compacting a replica's tables is refused" rc_is 1
check "... naming the master, where it is done" \
    err_has "This site is a replica: changes are made at the master, 127.0.0.1:$P"
run "$DOSSIER" --data "$T/a" compact
check "the master compacts its tables, and the group with them" rc_is 0

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

# Users at a replica sign in and read; their audit entries are the master's.
rshow() {	# rshow SITE: ibrahim reads the case, its witness included
	"$DOSSIER" --data "$T/$1" --user ibrahim --passphrase-file \
	    "$T/ibrahim.pw" case show "$REF" >"$T/rshow" 2>"$T/rshow.err" &&
	    grep -q -F "$CANARY" "$T/rshow"
}
check "a user signs in at a replica and reads a case, its witness included" \
    until_ok 60 rshow b
as_at a oumar audit list --case "$REF"
check "... and the master's audit log records the witness seen there" \
    out_has "(at 127.0.0.1:$((P + 1)))"
as_at a oumar audit verify
check "... and still verifies" rc_is 0
# The outbox is files a shell user at the replica can write: what is not
# an entry is dropped or refused by the master, nothing else is held up.
O1="$T/b/audit.out/00000000000000000000000000000001"
O2="$T/b/audit.out/00000000000000000000000000000002"
printf 'pas de l hexadecimal\n' >"$O1.msg"
printf '44520200' >"$O2.msg"	# a record, empty: no entry
check "messages planted in a replica's outbox leave it" \
    until_ok 30 sh -c "[ ! -e '$O1.msg' ] && [ ! -e '$O2.msg' ]"
check "... the one that reached the master is refused, in a sentence" \
    until_ok 10 grep -q . "$O2.err"
check "... the master's serve still runs" kill -0 "$(cat "$T/a.pid")"
check "... and the next reading at the replica goes through" rshow b
as_at a oumar audit verify
check "... and the master's audit log still verifies" rc_is 0

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

# The supervisor's dashboard at the new master names the silent site.
tui_start "$DOSSIER" --data "$T/$NEW" --user oumar
if tui_wait "Passphrase:"; then
	tui_text "$(cat "$T/oumar.pw")"
	tui_keys Enter
fi
tui_wait "oumar (supervisor)" && tui_keys d
tui_expect "the dashboard has a replication section" "Replication"
tui_until "... naming the old master as silent" \
    grep -q -E "site 127\.0\.0\.1:$P: (silent for|not seen since)" "$T/screen"
tui_keys q
tui_keys q

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

# A supervisor at a replica sees its state on the dashboard, once the
# replica's link to the old master is up again (a site that comes back
# may drop a link and make it again: the dashboard, which reads the
# sites again every few seconds, would show it silent for a moment).
all_linked() {
	"$DOSSIER" --data "$T/$1" site status >"$T/linked" &&
	    grep -q " connected" "$T/linked" && ! grep -q "NOT connected" "$T/linked"
}
check "the other replica links with every site again" \
    until_ok 30 all_linked $OTHER
tui_start "$DOSSIER" --data "$T/$OTHER" --user oumar
if tui_wait "Passphrase:"; then
	tui_text "$(cat "$T/oumar.pw")"
	tui_keys Enter
fi
tui_wait "oumar (supervisor)" && tui_keys d
tui_expect "a supervisor signs in at a replica and sees it on the dashboard" \
    "a replica of 127.0.0.1:"
tui_keys q
tui_wait "oumar (supervisor)" && tui_keys Enter
tui_wait "Journal" && tui_keys a
tui_expect "... and adding to a case there says at once where changes are made" \
    "changes are made at the master"
tui_keys q
tui_keys q
tui_keys q
serve_stop $OTHER
as_at $OTHER ibrahim case show "$REF"
check "with replication stopped at a replica, nothing is read there" rc_is 1
check "... and it says why" err_has "Replication is not running"
serve_start $OTHER

OTHERP=$([ $OTHER = b ] && echo $((P + 1)) || echo $((P + 2)))
run "$DOSSIER" --data "$T/$NEW" site remove "127.0.0.1:$((P + 9))"
check "removing a site that is not in the group says so" \
    err_has "not a site of this group"
run "$DOSSIER" --data "$T/$NEW" site remove "127.0.0.1:$OTHERP"
check "site remove at the master takes a site out of the group" rc_is 0
gone() { ! "$DOSSIER" --data "$T/$NEW" site status | grep -q ":$OTHERP "; }
check "... and the master no longer lists it" until_ok 10 gone
run "$DOSSIER" --data "$T/$OTHER" site remove "127.0.0.1:$P"
check "... a replica refuses to remove a site" rc_is 1

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
    --peer "127.0.0.1:$((P + 4))" --group-key "$T/x/site.key"
check "a pair: the second site joins" rc_is 0
quick y
serve_start y
check "... and catches up" until_ok 30 status_has y "replica, up to date"
for u in ibrahim oumar; do
	awk -v u=$u '$1 == u { print $3 }' "$T/x/demo-users.txt" >"$T/$u.pw"
done
new_case x "Pieces volumineuses"
BIG=$(cat "$T/out")
as_at x oumar case assign "$BIG" ibrahim

serve_stop y
new_case x "Sans confirmation"
check "with its only replica down, a change is not reported saved" rc_is 1
check "... and says why" err_has "saved at this site only"
check "... once it is done: the reference of the case kept is printed" \
    grep -q '^[A-Z]*-[0-9]*-[0-9]*$' "$T/out"
as_at x awa case list
check "... but users still sign in and read at its master" rc_is 0
# Away for days: the master keeps the log files the replica would read
# from (Berkeley DB does not remove them while a site of the group is
# away), and the replica catches up from them by itself.
YLOG=$(ls "$T/y" | grep '^log\.' | sort | tail -1)
for i in 1 2 3 4; do
	head -c 8000000 /dev/urandom >"$T/piece$i"
	as_at x ibrahim case add "$BIG" evidence --set kind=medical \
	    --attach "$T/piece$i"
done
check "a file attached meanwhile is kept with its record, unconfirmed" \
    err_has "saved at this site only"
check "the master's log moved on to other files" \
    [ "$(ls "$T/x" | grep '^log\.' | sort | tail -1)" \> "$YLOG" ]
check "... and it keeps the one the absent replica stopped in" \
    [ -e "$T/x/$YLOG" ]
serve_start y
# Users read at the replica while it applies what it missed: each reading
# returns (shown, or refused in a sentence), none hangs (they deadlocked
# with the thread applying the master's log).
pids=""
for i in $(seq 1 20); do
	(timeout 60 "$DOSSIER" --data "$T/y" --user ibrahim \
	    --passphrase-file "$T/ibrahim.pw" case show "$BIG" >/dev/null 2>&1
	echo $? >"$T/reader.$i") &
	pids="$pids $!"
	sleep 0.2
done
for p in $pids; do wait $p; done
check "readings at the replica while it catches up all return" \
    sh -c "! cat '$T'/reader.* | grep -qx 124"
check "the replica comes back and catches up, unaided" \
    until_ok 120 status_has y "replica, up to date"
SUM=$(sha256sum "$T/piece4" | cut -c1-64)
as_at y ibrahim case show "$BIG"
check "... with the files attached while it was away" grep -q "$SUM" "$T/out"

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
