#!/bin/sh
# ssh.sh: the deployment where people cannot touch dossier's files.  One
# service account (here whoever runs the test), reached through a real
# sshd on loopback; each person's key bound to their dossier name by the
# forced command 'dossier ssh-key add' writes.  Over SSH a person gets
# dossier as that name and nothing else: no shell, no other account, no
# path on the server.  Skipped where no sshd can be started.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

SSHD=$(command -v sshd || echo /usr/sbin/sshd)
if [ ! -x "$SSHD" ] || ! command -v ssh >/dev/null 2>&1 ||
    ! command -v ssh-keygen >/dev/null 2>&1; then
	echo "skipped: no sshd here (bootstrap --install-deps installs it)"
	exit 77
fi
if [ "$(id -u)" -eq 0 ]; then
	mkdir -p /run/sshd && chmod 755 /run/sshd
fi

D="$T/data"
"$DOSSIER" --data "$D" demo --seed "$DEMO_SEED" --cases 5 >/dev/null
for u in admin ibrahim oumar; do
	awk -v u=$u '$1 == u { print $3 }' "$D/demo-users.txt" >"$T/$u.pw"
done
A="--data $D --user admin --passphrase-file $T/admin.pw"

ssh-keygen -q -t ed25519 -N '' -C ibrahim@laptop -f "$T/ibrahim.key"
ssh-keygen -q -t ed25519 -N '' -C intrus -f "$T/other.key"
ssh-keygen -q -t ed25519 -N '' -C oumar@laptop -f "$T/oumar.key"
ssh-keygen -q -t ed25519 -N '' -f "$T/host.key"
AK="$T/authorized_keys"

run "$DOSSIER" $A ssh-key add ibrahim "$T/ibrahim.key.pub" --authorized-keys "$AK"
check "the admin binds ibrahim's SSH key to his account" rc_is 0
check "... with a forced command, restricted" \
    grep -q "^command=\"[^\"]* --data [^\"]* --ssh-user ibrahim\",restrict,pty ssh-ed25519 " "$AK"
run "$DOSSIER" $A ssh-key add oumar "$T/oumar.key.pub" --authorized-keys "$AK"
check "... and oumar's, a supervisor" rc_is 0
run "$DOSSIER" $A ssh-key add ibrahim "$T/ibrahim.key" --authorized-keys "$AK"
check "a private key file is refused" err_has "not an SSH public key"
run "$DOSSIER" --data "$D" --user ibrahim --passphrase-file "$T/ibrahim.pw" \
    ssh-key add ibrahim "$T/other.key.pub" --authorized-keys "$AK"
check "only an administrator binds keys" err_has "does not allow"

# A private sshd on a loopback port, reading only our authorized_keys.
# 10000-11999: below the ephemeral range, away from the replication
# tests' ports (see replication.sh).
PORT=$((10000 + $$ % 2000))
cat >"$T/sshd_config" <<EOF
Port $PORT
ListenAddress 127.0.0.1
HostKey $T/host.key
AuthorizedKeysFile $AK
PidFile $T/sshd.pid
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
PermitUserEnvironment no
AcceptEnv LANG
LogLevel ERROR
EOF
if ! "$SSHD" -t -f "$T/sshd_config" 2>"$T/sshd.err"; then
	echo "skipped: sshd refuses the test's configuration: $(head -1 "$T/sshd.err")"
	exit 77
fi
"$SSHD" -D -e -f "$T/sshd_config" 2>"$T/sshd.log" &
sshd_pid=$!
trap 'kill $sshd_pid 2>/dev/null; rm -rf "$T"' EXIT
i=0
until ssh -o BatchMode=yes -o ConnectTimeout=2 -o StrictHostKeyChecking=no \
    -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -i "$T/other.key" \
    -p "$PORT" "$(id -un)@127.0.0.1" true 2>"$T/probe" ||
    grep -q "Permission denied" "$T/probe"; do
	i=$((i + 1))
	if [ $i -gt 150 ] || ! kill -0 $sshd_pid 2>/dev/null; then
		echo "skipped: sshd did not start: $(head -2 "$T/sshd.log")"
		exit 77
	fi
	sleep 0.1
done

# sshq KEY CMD: CMD over SSH in a terminal; the passphrase is typed once
# the prompt shows (the prompt drops what was typed before it).  CMD
# starts with a blank so that ssh never reads it as its own option.
sshq() {
	key=$1
	shift
	: >"$T/out"
	{
		j=0
		while [ $j -lt 300 ] && ! grep -q "Passphrase for" "$T/out"; do
			sleep 0.1
			j=$((j + 1))
		done
		cat "$T/ibrahim.pw"
		sleep 1
	} | timeout 60 ssh -tt -o BatchMode=yes -o StrictHostKeyChecking=no \
	    -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
	    -i "$T/$key.key" -p "$PORT" "$(id -un)@127.0.0.1" " $*" \
	    >"$T/out" 2>"$T/err"
	rc=$?
}

sshq ibrahim "case list"
check "over SSH, ibrahim lists his cases after his passphrase" \
    grep -q "ISSPC-" "$T/out"
REF=$(sed -n 's/^\(ISSPC-[0-9-]*\).*/\1/p' "$T/out" | head -1)
sshq ibrahim "user fingerprint"
check "... as ibrahim, whatever the login account is" \
    grep -q "^ibrahim (" "$T/out"
sshq ibrahim "--user admin user list"
check "another account is refused" grep -q "this option is refused" "$T/out"
check "... and nothing of it runs" sh -c "! grep -q '^admin ' '$T/out'"
sshq ibrahim "id; cat /etc/passwd"
check "a shell command does not run" sh -c "! grep -q 'uid=\|root:' '$T/out'"
sshq ibrahim 'sh -c id'
check "... nor a shell" sh -c "! grep -q 'uid=' '$T/out'"
sshq ibrahim "backup $T/stolen"
check "backup, which writes on the server, is refused" \
    grep -q "not available over SSH" "$T/out"
check "... and wrote nothing" sh -c "[ ! -e '$T/stolen' ]"
sshq ibrahim "compact"
check "compact, the server operator's command, is refused" \
    grep -q "not available over SSH" "$T/out"
sshq ibrahim "site init --listen 127.0.0.1:9"
check "site, the server operator's command, is refused" \
    grep -q "not available over SSH" "$T/out"
sshq ibrahim "export ISSPC-2026-0001 --out=$T/leak.txt"
check "a path on the server is refused" grep -q "this option is refused" "$T/out"
check "... and nothing is written there" sh -c "[ ! -e '$T/leak.txt' ]"
sshq ibrahim "--data /tmp case list"
check "so is another data directory" grep -q "this option is refused" "$T/out"
sshq other "case list"
check "a key nobody bound gets in nowhere" sh -c "! grep -q ISSPC '$T/out'"
check "... not even to a shell" rc_is 255

# An export over SSH: no terminal (ssh -T), the passphrase as the first
# line of standard input, the summary and its signature as a tar archive
# on standard output; nothing is written on the server.
exp() {
	timeout 60 ssh -T -o BatchMode=yes -o StrictHostKeyChecking=no \
	    -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
	    -i "$T/oumar.key" -p "$PORT" "$(id -un)@127.0.0.1" " $*" \
	    <"$T/oumar.pw" >"$T/x.tar" 2>"$T/err"
	rc=$?
}
mkdir "$T/got"
exp "export $REF --out -"
check "over SSH, oumar's export comes back as an archive" rc_is 0
check "... of the summary and its signature" sh -c \
    "tar -tf '$T/x.tar' | sort | tr '\n' ' ' | grep -qx '$REF.txt $REF.txt.minisig '"
(cd "$T/got" && tar -xf "$T/x.tar")
"$DOSSIER" --data "$D" key export oumar >"$T/oumar.pub"
run minisign -Vm "$T/got/$REF.txt" -p "$T/oumar.pub"
check "the stock minisign verifies it" out_has "Signature and comment signature verified"
check "... signed by oumar" out_has "exported by oumar"
check "nothing was written in the server's directory" \
    sh -c "! ls '$D' | grep -q '^$REF'"
run "$DOSSIER" --data "$D" --user oumar --passphrase-file "$T/oumar.pw" \
    audit list
check "the export is audited" out_has "(standard output)"
exp "export $REF --out $T/leak2.txt"
check "--out with a path is still refused" err_has "this option is refused"
check "... and nothing is written" sh -c "[ ! -e '$T/leak2.txt' ]"
exp "case export-json $REF --out -"
check "only an export may write to standard output" err_has "this option is refused"

# The figures, signed, the same way.
exp "stats --format csv --out -"
check "over SSH, oumar's figures come back as an archive" rc_is 0
check "... of the CSV and its signature" sh -c \
    "tar -tf '$T/x.tar' | sort | tr '\n' ' ' | grep -qx 'statistics.csv statistics.csv.minisig '"
mkdir "$T/fig"
(cd "$T/fig" && tar -xf "$T/x.tar")
run minisign -Vm "$T/fig/statistics.csv" -p "$T/oumar.pub"
check "the stock minisign verifies the figures" out_has "Signature and comment signature verified"
check "... signed by oumar" out_has "dossier statistics by oumar"
check "... which are the figures" grep -q "^table,region," "$T/fig/statistics.csv"
run "$DOSSIER" --data "$D" --user oumar --passphrase-file "$T/oumar.pw" \
    audit list --format tsv
check "the figures' export is audited" sh -c \
    "grep 'stats.run' '$T/out' | grep -q 'out=-'"
exp "stats --out $T/leak3.csv"
check "stats --out with a path is refused" err_has "this option is refused"
check "... and nothing is written" sh -c "[ ! -e '$T/leak3.csv' ]"

run "$DOSSIER" $A ssh-key remove ibrahim --authorized-keys "$AK"
check "the admin removes ibrahim's key" out_has "Removed 1 key"
sshq ibrahim "case list"
check "... and it no longer gets in" rc_is 255

finish
