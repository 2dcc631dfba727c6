# lib.sh: helpers for the end-to-end tests, which drive the real dossier
# binary ($DOSSIER) on real data directories.  Each test prints TAP-like
# lines and a closing "N passed, N failed" line.
set -u
: "${DOSSIER:?DOSSIER must name the dossier binary}"
T=$(mktemp -d "${TMPDIR:-/tmp}/dossier-e2e-XXXXXX")
chmod 700 "$T"
trap 'tmux -L "dossier$$" kill-server 2>/dev/null; rm -rf "$T"' EXIT
n=0
fails=0
export LANG=C.UTF-8 LC_ALL=
unset LANGUAGE DOSSIER_DATA

# run CMD...: run it, keeping its exit status in $rc, output in $T/out, $T/err
run() {
	"$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
}

# check DESCRIPTION CMD...: one assertion.
check() {
	desc=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		echo "#   rc=$rc"
		sed 's/^/#   out: /' "$T/out" 2>/dev/null | head -5
		sed 's/^/#   err: /' "$T/err" 2>/dev/null | head -5
		fails=$((fails + 1))
	fi
}

rc_is() { [ "$rc" -eq "$1" ]; }
err_has() { grep -q -- "$1" "$T/err"; }
out_has() { grep -q -- "$1" "$T/out"; }
err_lines() { [ "$(wc -l <"$T/err")" -eq "$1" ]; }

# pass FILE WORDS: write a passphrase file.
pass() {
	printf '%s\n' "$2" >"$1"
	chmod 600 "$1"
}

# A data directory with admin "chef", initialised with the fast KDF.
make_store() {
	pass "$T/chef.pw" "sahel baobab fleuve 2026"
	"$DOSSIER" --data "$1" init --admin chef --recovery-out "$1.recovery" \
	    --kdf interactive --passphrase-file "$T/chef.pw" >/dev/null
}

finish() {
	echo "$((n - fails)) passed, $fails failed"
	[ "$fails" -eq 0 ]
}

# The terminal application in tmux at 80x24: tui_start NAME ARGS... runs
# "$DOSSIER ARGS" in a tmux session; tui_keys sends keys; tui_wait TEXT
# waits (5 s at most) until the screen shows TEXT; the screen is in
# $T/screen after each wait.
TMUX_SOCK="dossier$$"
tui_start() {
	# A new server each time: killing the last session of a running one
	# races with its exit.
	tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
	i=0
	while tmux -L "$TMUX_SOCK" has-session 2>/dev/null && [ $i -lt 20 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -s dt -x 80 -y 24 \
	    "env TERM=${TUI_TERM:-xterm-256color} LANG=C.UTF-8 $* ; echo EXITED=\$?; sleep 60"
}
tui_keys() {
	tmux -L "$TMUX_SOCK" send-keys -t dt "$@"
	sleep 0.15
}
tui_text() {
	tmux -L "$TMUX_SOCK" send-keys -t dt -l "$1"
	sleep 0.1
}
tui_screen() {
	tmux -L "$TMUX_SOCK" capture-pane -t dt -p >"$T/screen"
}
tui_wait() {
	i=0
	while [ $i -lt 50 ]; do
		tui_screen
		if grep -q -F -- "$1" "$T/screen"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
screen_has() { grep -q -F -- "$1" "$T/screen"; }
