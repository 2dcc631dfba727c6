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
# The demo's cases come from this seed, the same at every run, so that a
# test sees the data it was written against; DOSSIER_TEST_SEED=N tries
# other data (a failure then names the seed to run it again).
DEMO_SEED=${DOSSIER_TEST_SEED:-1}
echo "# demo data from seed $DEMO_SEED"

# run CMD...: run it, keeping its exit status in $rc, output in $T/out, $T/err
run() {
	"$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
}

# not_ok TEXT: the "not ok" line, kept for finish() to name again.
not_ok() {
	echo "not ok $n - $1"
	echo "not ok $n - $1" >>"$T/failed"
}

# check DESCRIPTION CMD...: one assertion.
check() {
	desc=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $desc"
	else
		not_ok "$desc"
		echo "#   rc=${rc-(no command run)}"
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
	# The failed checks again, last: a log cut to its end still names them.
	[ -s "$T/failed" ] && sed 's/^/# failed: /' "$T/failed"
	echo "$((n - fails)) passed, $fails failed"
	[ "$fails" -eq 0 ]
}

# The terminal application in tmux, at 80x24 unless resized.
#
# No step sleeps a fixed time: each one waits for what the screen shows,
# with a timeout ($TUI_TIMEOUT seconds) that fails the test.  The rules
# that keep these tests honest:
#   - tui_keys, tui_text and tui_resize send input (call tui_snap before
#     a signal); the screen just before the first input since the last
#     wait is kept in $T/before.
#   - tui_wait TEXT waits for TEXT; TEXT that was already on the screen
#     before the input is refused (it would prove nothing), and a timeout
#     is a "not ok" line with the screen.  After a failed wait the rest
#     of that session is reported as not run, without waiting again,
#     until the next tui_start.
#   - tui_expect DESCRIPTION TEXT is an assertion with the same rules;
#     tui_until DESCRIPTION CMD... waits until CMD succeeds on a screen
#     captured after the input (in $T/screen); tui_holds is the same for
#     a property of a screen already reached, and a failure there does
#     not end the session; tcheck DESCRIPTION CMD... checks the screen
#     the last wait captured, once (for what must never be shown).
#   - tui_select LABEL moves the selection (Down, else Up) until the
#     selected line contains LABEL: menus and forms are driven by label,
#     never by position.
TMUX_SOCK="dossier$$"
TUI_TIMEOUT=${TUI_TIMEOUT:-10}
TUI_BROKEN=0
TUI_SNAP=0
ESC=$(printf '\033')
tui_tmux() { tmux -L "$TMUX_SOCK" "$@"; }
# The session ended: the program gets the hangup of a dropped link.
tui_end() {
	tui_tmux kill-server 2>/dev/null
	i=0
	while tui_tmux has-session 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}
tui_start() {
	# A new server each time: killing the last session of a running one
	# races with its exit.
	tui_end
	TUI_BROKEN=0
	TUI_SNAP=1
	: >"$T/before"
	: >"$T/screen"
	# A server still going away makes new-session fail: try again.
	i=0
	until tui_tmux -f /dev/null new-session -d -s dt -x 80 -y 24 \
	    "env TERM=${TUI_TERM:-xterm-256color} LANG=C.UTF-8 $* ; echo EXITED=\$?; sleep 600" \
	    2>/dev/null; do
		[ $i -lt 50 ] || break
		sleep 0.1
		i=$((i + 1))
	done
}

# The screen before the input that follows a wait.
tui_snap() {
	if [ "$TUI_SNAP" -eq 0 ]; then
		tui_tmux capture-pane -t dt -p >"$T/before" 2>/dev/null
		TUI_SNAP=1
	fi
}
tui_keys() {
	[ "$TUI_BROKEN" -eq 0 ] || return 1
	tui_snap
	tui_tmux send-keys -t dt "$@"
}
tui_text() {
	[ "$TUI_BROKEN" -eq 0 ] || return 1
	tui_snap
	tui_tmux send-keys -t dt -l "$1"
}
tui_resize() {
	[ "$TUI_BROKEN" -eq 0 ] || return 1
	tui_snap
	tui_tmux resize-window -t dt -x "$1" -y "$2"
}
tui_screen() {
	tui_tmux capture-pane -t dt -p >"$T/screen" 2>/dev/null
}
screen_has() { grep -q -F -- "$1" "$T/screen"; }
tcheck_not_has() { ! grep -q -F -- "$1" "$T/screen"; }
# The screen's rows joined, so a sentence wrapped at words reads whole.
joined_has() { tr -s ' \n' '  ' <"$T/screen" | grep -q -F -- "$1"; }
before_has() { grep -q -F -- "$1" "$T/before"; }

# The text of the selected line (reverse video, or "->" with
# arrow_cursor), from a fresh capture; empty when none is selected.
tui_selected() {
	tui_tmux capture-pane -t dt -p -e 2>/dev/null | awk -v esc="$ESC" '
	    {
		sel = $0 ~ (esc "\\[([0-9]*;)*7(;[0-9]*)*m")
		gsub(esc "\\[[0-9;]*m", "")
		if (sel || $0 ~ /^->/) {
			sub(/ +$/, "")
			print
			exit
		}
	    }'
}
selected_any() { [ -n "$(tui_selected)" ]; }
selected_has() {
	tui_selected >"$T/selected"
	grep -q -F -- "$1" "$T/selected"
}

# tui_poll CMD...: capture the screen until CMD succeeds; 1 on timeout.
# The screen once drawn whole: captures 30 ms apart until two agree (a
# second at most), so that what a wait found is not read from a frame
# half drawn (the top line new, the rest still the screen before).
tui_settle() {
	settle_n=0
	cp "$T/screen" "$T/screen.prev"
	while [ $settle_n -lt 33 ]; do
		sleep 0.03
		tui_screen
		cmp -s "$T/screen" "$T/screen.prev" && return 0
		cp "$T/screen" "$T/screen.prev"
		settle_n=$((settle_n + 1))
	done
}

tui_poll() {
	i=0
	while [ $i -lt $((TUI_TIMEOUT * 20)) ]; do
		tui_screen
		if "$@"; then
			tui_settle
			TUI_SNAP=0
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

# tui_dump FILE PREFIX: a screen as comment lines, less its blank end.
tui_dump() {
	awk -v p="${2:-}" '{ l[NR] = $0; if ($0 ~ /[^ ]/) last = NR }
	    END { for (i = 1; i <= last; i++) print "#   " p "| " l[i] }' \
	    "$1" 2>/dev/null
}

# A failed step: a "not ok" line with the screen; the session is broken,
# and ended, so that the program does not hold the data directory for
# the steps that follow (dossier check refuses while others use it).
tui_fail() {
	n=$((n + 1))
	not_ok "$1"
	tui_dump "$T/screen"
	fails=$((fails + 1))
	TUI_BROKEN=1
	tui_end
}
tui_not_run() {
	n=$((n + 1))
	not_ok "$1 # not run: an earlier step of this session failed"
	fails=$((fails + 1))
}
tui_stale() {
	n=$((n + 1))
	not_ok "$1: '$2' was on the screen before the keys sent, so it proves nothing"
	tui_dump "$T/before" "before "
	fails=$((fails + 1))
	TUI_BROKEN=1
	tui_end
}

tui_wait() {
	[ "$TUI_BROKEN" -eq 0 ] || return 1
	if before_has "$1"; then
		tui_stale "waiting for the screen" "$1"
		return 1
	fi
	tui_poll screen_has "$1" && return 0
	tui_fail "the screen shows '$1' within ${TUI_TIMEOUT} s"
	return 1
}
tui_expect() {
	if [ "$TUI_BROKEN" -ne 0 ]; then
		tui_not_run "$1"
		return 1
	fi
	if before_has "$2"; then
		tui_stale "$1" "$2"
		return 1
	fi
	if tui_poll screen_has "$2"; then
		n=$((n + 1))
		echo "ok $n - $1"
		return 0
	fi
	tui_fail "$1 (no '$2' within ${TUI_TIMEOUT} s)"
	return 1
}
tui_until() {
	desc=$1
	shift
	if [ "$TUI_BROKEN" -ne 0 ]; then
		tui_not_run "$desc"
		return 1
	fi
	if tui_poll "$@"; then
		n=$((n + 1))
		echo "ok $n - $desc"
		return 0
	fi
	tui_fail "$desc (not within ${TUI_TIMEOUT} s)"
	return 1
}

# tui_holds DESCRIPTION CMD...: like tui_until, for a property of a screen
# already reached: a failure does not end the session.
tui_holds() {
	desc=$1
	shift
	if [ "$TUI_BROKEN" -ne 0 ]; then
		tui_not_run "$desc"
		return 1
	fi
	n=$((n + 1))
	if tui_poll "$@"; then
		echo "ok $n - $desc"
		return 0
	fi
	not_ok "$desc (not within ${TUI_TIMEOUT} s)"
	tui_dump "$T/screen"
	fails=$((fails + 1))
	return 1
}

# tcheck DESCRIPTION CMD...: check the screen the last wait captured.
tcheck() {
	desc=$1
	shift
	if [ "$TUI_BROKEN" -ne 0 ]; then
		tui_not_run "$desc"
		return 1
	fi
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $desc"
	else
		not_ok "$desc"
		tui_dump "$T/screen"
		fails=$((fails + 1))
	fi
}

# tui_select LABEL: move the selection until its line contains LABEL,
# down first, then up; a list end is where the selection stops moving
# (for 3 s).  It starts once a selection is on the screen.
tui_select() {
	[ "$TUI_BROKEN" -eq 0 ] || return 1
	if ! tui_poll selected_any; then
		tui_fail "a line is selected, to look for '$1'"
		return 1
	fi
	for tui_dir in Down Up; do
		tui_cur=$(tui_selected)
		i=0
		while [ $i -lt 400 ]; do
			case $tui_cur in
			*"$1"*)
				TUI_SNAP=0
				return 0
				;;
			esac
			tui_tmux send-keys -t dt "$tui_dir"
			j=0
			while tui_next=$(tui_selected) &&
			    [ "$tui_next" = "$tui_cur" ] && [ $j -lt 60 ]; do
				sleep 0.05
				j=$((j + 1))
			done
			if [ "$tui_next" = "$tui_cur" ]; then
				echo "# tui_select '$1': the selection stops going $tui_dir"
				break
			fi
			tui_cur=$tui_next
			i=$((i + 1))
		done
	done
	tui_screen
	tui_fail "a line with '$1' can be selected"
	return 1
}

# tui_gone PID: wait until the process has ended.
tui_gone() {
	i=0
	while kill -0 "$1" 2>/dev/null; do
		[ $i -lt $((TUI_TIMEOUT * 20)) ] || return 1
		sleep 0.05
		i=$((i + 1))
	done
	return 0
}
