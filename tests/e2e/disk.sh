#!/bin/sh
# disk.sh: a full disk and a read-only data directory give a clear error
# and lose nothing.  Needs to mount a small tmpfs (root in CI); skipped
# with a message where the machine does not allow it.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

M="$T/small"
mkdir -p "$M"
if ! mount -t tmpfs -o size=120m tmpfs "$M" 2>/dev/null; then
	echo "skipped: cannot mount a tmpfs here (needs root)"
	exit 77
fi
trap 'umount "$M" 2>/dev/null; tmux -L "dossier$$" kill-server 2>/dev/null; rm -rf "$T"' EXIT
D="$M/data"
"$DOSSIER" --data "$D" demo --cases 0 >/dev/null
awk '$1 == "oumar" { print $3 }' "$D/demo-users.txt" >"$T/oumar.pw"
BIG=$(head -c 30000 /dev/zero | tr '\0' x)
new_case() {
	run "$DOSSIER" --data "$D" --user oumar --passphrase-file "$T/oumar.pw" \
	    case new --set "received=2026-11-20 09:30" --set channel=letter \
	    --set filed_by=victim --set facts_date=2026-11-18 --set region=mopti \
	    --set force=police --set "summary=$BIG" --set categories=liberty.arbitrary
}

# Fill the disk but for 1.5 MB, then register cases until it is full.
avail=$(df -k "$M" | awk 'NR == 2 { print $4 }')
dd if=/dev/zero of="$M/filler" bs=1k count=$((avail - 1500)) 2>/dev/null
saved=0
i=0
while [ $i -lt 400 ]; do
	new_case
	[ "$rc" -ne 0 ] && break
	saved=$((saved + 1))
	i=$((i + 1))
done
check "registering stops when the disk is full" [ "$rc" -eq 1 ]
check "... with a sentence that says so" err_has "disk"
check "... and no crash (exit 1, not a signal)" [ "$rc" -lt 128 ]
rm -f "$M/filler"
run "$DOSSIER" --data "$D" check
check "with space again, dossier check passes" rc_is 0
run "$DOSSIER" --data "$D" --user oumar --passphrase-file "$T/oumar.pw" case list --format tsv
check "every case reported saved ($saved) is there" [ "$(wc -l <"$T/out")" -eq "$saved" ]

# Read-only.
mount -o remount,ro "$M"
run "$DOSSIER" --data "$D" --user oumar --passphrase-file "$T/oumar.pw" case list
check "a read-only data directory gives a clear error" err_has "read-only"
mount -o remount,rw "$M"
run "$DOSSIER" --data "$D" check
check "... and nothing was damaged" rc_is 0
finish
