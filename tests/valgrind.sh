#!/bin/sh
# valgrind.sh: 'make check-valgrind': the command line under valgrind,
# leak-free and without memory errors (exit 1 on the first report).
set -u
: "${DOSSIER:?}"
command -v valgrind >/dev/null 2>&1 || { echo "check-valgrind needs valgrind: apt-get install valgrind"; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/dossier-vg-XXXXXX")
trap 'rm -rf "$T"' EXIT
D="$T/data"
printf 'sahel baobab fleuve 2026\n' >"$T/chef.pw"
printf 'la pirogue rentre au port\n' >"$T/inv.pw"
VG="valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=99"
n=0
fails=0
vg() {
	n=$((n + 1))
	$VG "$DOSSIER" --data "$D" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	if [ $rc -eq 99 ] || grep -q "==[0-9]*== " "$T/err"; then
		echo "not ok $n - $*"
		sed 's/^/#   /' "$T/err" | head -40
		fails=$((fails + 1))
	else
		echo "ok $n - $* (exit $rc)"
	fi
}
"$DOSSIER" --data "$D" init --admin chef --recovery-out "$T/rec" --kdf interactive --passphrase-file "$T/chef.pw" >/dev/null
vg --user chef --passphrase-file "$T/chef.pw" user add sup --role supervisor --new-passphrase-file "$T/inv.pw"
"$DOSSIER" --data "$D" --user chef --passphrase-file "$T/chef.pw" user add inv --role investigator --new-passphrase-file "$T/inv.pw" >/dev/null
printf 'une autre phrase assez longue\n' >"$T/inv2.pw"
"$DOSSIER" --data "$D" --user inv --passphrase-file "$T/inv.pw" user passwd --new-passphrase-file "$T/inv2.pw" >/dev/null
"$DOSSIER" --data "$D" --user sup --passphrase-file "$T/inv.pw" user passwd --new-passphrase-file "$T/inv2.pw" >/dev/null
vg --user chef --passphrase-file "$T/chef.pw" user list
vg --user inv --passphrase-file "$T/inv2.pw" case new --set "received=2026-11-20 09:30" --set channel=letter --set filed_by=victim --set facts_date=2026-11-18 --set region=mopti --set force=police --set summary=Valgrind --set categories=liberty.arbitrary
REF=$(cat "$T/out")
vg --user inv --passphrase-file "$T/inv2.pw" case add "$REF" witness --set full_name=Awa --set role=direct
vg --user inv --passphrase-file "$T/inv2.pw" case show "$REF"
vg --user inv --passphrase-file "$T/inv2.pw" case list --format json
vg --user inv --passphrase-file "$T/inv2.pw" case history "$REF"
vg --user inv --passphrase-file "$T/inv2.pw" case export-json "$REF" --out "$T/c.json"
vg --user inv --passphrase-file "$T/inv2.pw" case import "$T/c.json"
vg --user sup --passphrase-file "$T/inv2.pw" export "$REF" --out "$T/s.txt"
vg key export sup
vg verify "$T/s.txt"
vg --user sup --passphrase-file "$T/inv2.pw" audit verify
vg --user sup --passphrase-file "$T/chef.pw" case list
vg check
echo "$((n - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
