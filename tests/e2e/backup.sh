#!/bin/sh
# backup.sh: backups that are proven.  A backup taken while another
# process adds cases restores into an empty directory, where 'dossier
# check' is clean, every case reported saved before the backup started is
# there, users sign in and read a case and the audit log verifies;
# 'dossier compact' beside the same writer loses nothing either;
# rotation keeps exactly N and never removes what is not its own; a
# restore refuses a non-empty target and a backup cut short or changed,
# and leaves nothing behind when it refuses.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

DT="${DOSSIER_TEST:?DOSSIER_TEST must name the test build}"
D="$T/data"
run "$DOSSIER" --data "$D" demo --seed "$DEMO_SEED" --cases 30
check "a demo directory with 30 cases" rc_is 0
for u in awa oumar fatou; do
	awk -v u=$u '$1 == u { print $3 }' "$D/demo-users.txt" >"$T/$u.pw"
done
# as USER DIR COMMAND...: a command signed in at the data directory DIR.
as() {
	u=$1
	dir=$2
	shift 2
	run "$DOSSIER" --data "$dir" --user "$u" --passphrase-file "$T/$u.pw" "$@"
}
as oumar "$D" case list --format tsv
sort "$T/out" >"$T/list0"
check "the supervisor lists the demo's cases" \
    sh -c "[ \$(wc -l <'$T/list0') -eq 30 ]"

# A writer adds cases in a loop; a case is "reported saved" when 'case
# new' exits 0 with its reference, and only then goes into $T/saved.
: >"$T/saved"
(
	i=0
	while [ ! -f "$T/stop" ]; do
		i=$((i + 1))
		if "$DOSSIER" --data "$D" --user awa --passphrase-file "$T/awa.pw" \
		    case new --set "received=2026-11-20 09:30" \
		    --set channel=letter --set filed_by=victim \
		    --set facts_date=2026-11-18 --set region=mopti \
		    --set force=police --set "summary=Ecrit pendant la sauvegarde $i" \
		    --set categories=liberty.arbitrary \
		    >"$T/w.out" 2>"$T/w.err" </dev/null; then
			echo "$(cat "$T/w.out") $i" >>"$T/saved"
		fi
	done
) &
writer=$!
i=0
while [ "$(wc -l <"$T/saved")" -lt 3 ] && [ $i -lt 200 ]; do
	sleep 0.1
	i=$((i + 1))
done

# Backups while it writes, until one saw a case saved while it ran.
k=0
overlap=0
while [ $k -lt 10 ] && [ $overlap -eq 0 ]; do
	k=$((k + 1))
	cp "$T/saved" "$T/before"
	run "$DOSSIER" --data "$D" backup "$T/hot$k"
	[ "$(wc -l <"$T/saved")" -gt "$(wc -l <"$T/before")" ] && overlap=1
	[ "$rc" -eq 0 ] || break
done
HOT="$T/hot$k"
check "a backup is made while another process adds cases" rc_is 0
check "... and cases were saved while it ran" [ $overlap -eq 1 ]
check "... and it says how to restore it" out_has "dossier restore"
# Compaction too works beside the writer (store-compact.c); whatever it
# moved, every case reported saved is checked below.
run "$DOSSIER" --data "$D" compact
check "the tables are compacted while the writer adds cases" rc_is 0
check "... saying how large they were and are" \
    out_has "Compacted the tables: [0-9]* KiB before, [0-9]* KiB now"
touch "$T/stop"
wait $writer
check "the writer saved cases throughout" \
    sh -c "[ \$(wc -l <'$T/saved') -gt \$(wc -l <'$T/before') ]"
check "the backup's files check with sha256sum -c" \
    sh -c "cd '$HOT' && sha256sum --quiet -c SHA256SUMS"
check "the backup has the modes of a data directory (2770, files 0660)" \
    sh -c "[ \"\$(stat -c %a '$HOT')\" = 2770 ] &&
	! find '$HOT' -type f ! -perm 0660 | grep -q ."
run "$DOSSIER" --data "$D" backup "$HOT"
check "a plain backup into an existing directory is refused" err_has "already exists"

R="$T/restored"
run "$DOSSIER" restore "$HOT" "$R"
check "the backup restores into a new directory" rc_is 0
check "... and says that it checks" out_has "every table verifies"
check "... a data directory (2770)" \
    sh -c "[ \"\$(stat -c %a '$R')\" = 2770 ]"
check "... with no temporary directory left beside it" \
    sh -c "! ls -a '$T' | grep -q '^\\.restored\\.'"
run "$DOSSIER" --data "$R" check
check "dossier check is clean on the restore" rc_is 0
as oumar "$R" case list --format tsv
sort "$T/out" >"$T/list1"
check "every case of before the writer is at the restored site, unchanged" \
    sh -c "[ -z \"\$(comm -23 '$T/list0' '$T/list1')\" ]"
# missing_from LIST SAVED: how many references of SAVED are not in LIST.
missing_from() {
	n=0
	while read -r ref num; do
		grep -q "^$ref	" "$1" || n=$((n + 1))
	done <"$2"
	echo $n
}
check "every case reported saved before the backup started is restored ($(wc -l <"$T/before"))" \
    [ "$(missing_from "$T/list1" "$T/before")" -eq 0 ]
as oumar "$D" case list --format tsv
sort "$T/out" >"$T/list2"
check "the restore holds nothing the original does not" \
    sh -c "[ -z \"\$(comm -13 '$T/list2' '$T/list1')\" ]"
check "every case the writer reported saved, before, during and after the compaction, is in the original ($(wc -l <"$T/saved"))" \
    [ "$(missing_from "$T/list2" "$T/saved")" -eq 0 ]
run "$DOSSIER" --data "$D" check
check "... where dossier check is clean" rc_is 0
read -r ref num <"$T/before"
as awa "$R" case show "$ref"
check "the registrar signs in at the restored site and reads a case" rc_is 0
check "... its encrypted summary included" \
    out_has "Ecrit pendant la sauvegarde $num\$"
as oumar "$R" audit verify
check "the audit log verifies at the restored site" rc_is 0
as awa "$R" case new --set channel=letter --set filed_by=victim \
    --set facts_date=2026-11-18 --set region=kayes --set force=police \
    --set "summary=Apres la restauration" --set categories=liberty.arbitrary
check "the restored site takes new cases" rc_is 0

# Rotation: a directory of backups with foreign things in it.
B="$T/backups"
mkdir -p "$B/notes" "$B/dossier-20000101T000000Z"
echo "mes notes" >"$B/notes/n.txt"
echo "pas une sauvegarde" >"$B/dossier-20000101T000000Z/x"
echo "un fichier" >"$B/dossier-20000102T000000Z"
mkdir "$B/.dossier-20000103T000000Z.partial-abcdef"
echo "morceau" >"$B/.dossier-20000103T000000Z.partial-abcdef/log.0000000001"
t0=$(date +%s)
for j in 1 2 3 4; do
	DOSSIER_NOW=$((t0 + j * 3600)) run "$DT" --data "$D" backup --keep 2 "$B"
	[ "$rc" -eq 0 ] || break
	ls "$B" | grep '^dossier-.*Z$' >"$T/rot.$j"
done
check "four backups with --keep 2" rc_is 0
check "... the third says which backup it removed" out_has "Removed the old backup"
name() { date -u -d "@$((t0 + $1 * 3600))" +dossier-%Y%m%dT%H%M%SZ; }
check "... the first two are kept while there are two" \
    sh -c "[ \$(grep -c '^dossier-20[1-9]' '$T/rot.2') -eq 2 ]"
check "... exactly two are kept, the newest" \
    sh -c "[ \"\$(grep '^dossier-20[1-9]' '$T/rot.4' | tr '\n' ' ')\" = \
	'$(name 3) $(name 4) ' ]"
check "... a foreign directory is left as it was" \
    sh -c "[ \"\$(cat '$B/notes/n.txt')\" = 'mes notes' ]"
check "... and a directory named like a backup but not one" \
    sh -c "[ \"\$(cat '$B/dossier-20000101T000000Z/x')\" = 'pas une sauvegarde' ]"
check "... and a file named like one" [ -f "$B/dossier-20000102T000000Z" ]
check "... a half backup a killed run left is cleared" \
    sh -c "! ls -a '$B' | grep -q partial"
DOSSIER_NOW=$((t0 + 4 * 3600)) run "$DT" --data "$D" backup --keep 2 "$B"
check "a second backup in the same second is refused" err_has "same second"
check "... and removes nothing" \
    sh -c "[ \$(ls '$B' | grep -c '^dossier-20[1-9]') -eq 2 ]"
for bad in 0 -1 x 1001 ""; do
	run "$DOSSIER" --data "$D" backup --keep "$bad" "$B"
	check "--keep '$bad' is a usage error" rc_is 2
done
run "$DOSSIER" restore "$B/$(name 4)" "$T/fromrot"
check "a rotated backup restores too" rc_is 0

# Restores that must be refused, leaving nothing.
mkdir "$T/full"
echo "autre chose" >"$T/full/garder"
run "$DOSSIER" restore "$HOT" "$T/full"
check "a restore into a non-empty directory is refused" rc_is 1
check "... in one clear sentence" err_has "is not empty"
check "... and the directory is left as it was" \
    sh -c "[ \"\$(ls -A '$T/full')\" = garder ]"
mkdir "$T/empty"
run "$DOSSIER" restore "$HOT" "$T/empty"
check "a restore into an empty directory works" rc_is 0

refused() {	# refused WHAT DIR SENTENCE
	run "$DOSSIER" restore "$2" "$T/r.$1"
	check "a backup $1 is refused" rc_is 1
	check "... with a clear sentence" err_has "$3"
	check "... and nothing is restored, not even in part" \
	    sh -c "[ ! -e '$T/r.$1' ] && ! ls -a '$T' | grep -q '^\\.r\\.$1\\.'"
}
cp -a "$HOT" "$T/cut"
truncate -s 8192 "$T/cut/records.db"
refused "cut short" "$T/cut" "records.db is not what its list says"
cp -a "$HOT" "$T/changed"
printf 'X' | dd of="$T/changed/cases.db" bs=1 seek=5000 conv=notrunc 2>/dev/null
refused "with a changed byte" "$T/changed" "cases.db is not what its list says"
cp -a "$HOT" "$T/nolog"
rm "$T/nolog"/log.*
refused "without its log" "$T/nolog" "incomplete: log\.[0-9]* is missing"
cp -a "$HOT" "$T/nologlist"
grep -v ' log\.' "$HOT/SHA256SUMS" >"$T/nologlist/SHA256SUMS"
refused "whose list names no log" "$T/nologlist" "its list names no log file"
cp -a "$HOT" "$T/nocases"
grep -v ' cases\.db$' "$HOT/SHA256SUMS" >"$T/nocases/SHA256SUMS"
refused "whose list leaves a table out" "$T/nocases" "does not name cases.db"
cp -a "$HOT" "$T/halfway"
rm "$T/halfway/SHA256SUMS"
refused "that never finished" "$T/halfway" "not a dossier backup"
cp -a "$HOT" "$T/forged"
dd if=/dev/zero of="$T/forged/cases.db" bs=8192 seek=1 count=2 conv=notrunc \
    2>/dev/null
(cd "$T/forged" && sha256sum DB_CONFIG *.db log.* >SHA256SUMS)
refused "whose list was made again over a damaged table" "$T/forged" \
    "fails its checks (above): nothing was restored"
finish
