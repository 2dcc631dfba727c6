#!/bin/sh
# corpus.sh: every fuzz target replays its seed corpus (make check); the
# long libFuzzer run is 'make fuzz'.
set -u
: "${DOSSIER:?}"
bin=$(dirname "$DOSSIER")/../tests/fuzz
corpus="${top_srcdir:-.}/tests/fuzz/corpus"
fails=0
for t in record form keymap minisig text json; do
	if "$bin/fuzz-$t" "$corpus/$t"; then
		echo "ok - fuzz-$t over its corpus"
	else
		echo "not ok - fuzz-$t over its corpus"
		fails=$((fails + 1))
	fi
done
[ "$fails" -eq 0 ]
