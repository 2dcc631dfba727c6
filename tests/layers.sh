#!/bin/sh
# layers.sh: the include rules of design.md, checked on the sources.
# - only store*.c include <db.h>, only vault.c <sodium.h>, only ui*.c
#   <curses.h>;
# - no ui*.c includes cli.h (the screens need nothing of the command line);
# - no base module (store, vault, record, text, util, paths, layout)
#   includes a domain or front-end header;
# - no two modules include each other's header (casefile*.c are one,
#   store*.c another).
. "${top_srcdir:-.}/tests/e2e/lib.sh"
rc=0
S="${top_srcdir:-.}/src"

mod() { basename "$1" .c | sed 's/^casefile-.*/casefile/; s/^store-.*/store/'; }
incs() { sed -n 's/^#include "\([a-z0-9-]*\)\.h".*/\1/p' "$1" | sed 's/^casefile-int$/casefile/; s/^store-int$/store/; s/^store-site$/store/'; }

bad=""
for f in "$S"/*.c; do
	m=$(mod "$f")
	grep -q '^#include <db.h>' "$f" && [ "$m" != store ] && bad="$bad $m:db.h"
	grep -q '^#include <sodium.h>' "$f" && [ "$m" != vault ] && bad="$bad $m:sodium.h"
	grep -q '^#include <n\{0,1\}curses\(w\)\{0,1\}.h>' "$f" &&
	    case $m in ui*) ;; *) bad="$bad $m:curses.h";; esac
done
check "only store.c includes db.h, vault.c sodium.h, ui*.c curses.h" \
    sh -c "[ -z '$bad' ]"
[ -n "$bad" ] && echo "#   $bad"

bad=""
for f in "$S"/ui*.c; do
	incs "$f" | grep -qx cli && bad="$bad $(basename "$f")"
done
check "no screen includes cli.h" sh -c "[ -z '$bad' ]"
[ -n "$bad" ] && echo "#   $bad"

base="store vault record text util paths layout i18n config"
bad=""
for m in store vault record text util paths layout; do
	for h in $(incs "$S/$m.c"); do
		case " $base " in *" $h "*) ;; *) bad="$bad $m->$h";; esac
	done
done
check "no base module includes a domain header" sh -c "[ -z '$bad' ]"
[ -n "$bad" ] && echo "#   $bad"

# Calls: module A calls B if A's sources use a function B's header
# declares.  The screens (ui*.c) are one module, the command line
# (cli*.c) one, casefile*.c one.
unit() { basename "$1" .c | sed 's/^casefile-.*/casefile/; s/^store-.*/store/; s/^ui-.*/ui/; s/^cli-.*/cli/'; }
decls() {
	cat "$@" 2>/dev/null | sed -n 's/^[a-z][^(]*[ *]\([a-z_][a-z0-9_]*\)(.*/\1/p' |
	    sort -u
}
units=$(for f in "$S"/*.c; do unit "$f"; done | sort -u)
for u in $units; do
	case $u in
	casefile) decls "$S/casefile.h" "$S/casefile-int.h" ;;
	*) decls "$S/$u.h" ;;
	esac >"$T/decl.$u"
	cat "$S/$u.c" "$S/$u"-*.c 2>/dev/null >"$T/src.$u"
done
calls() {	# calls A B
	[ -s "$T/decl.$2" ] || return 1
	while read -r fn; do
		grep -q "\b$fn(" "$T/src.$1" && return 0
	done <"$T/decl.$2"
	return 1
}
bad=""
for a in $units; do
	for b in $units; do
		[ "$a" \< "$b" ] || continue
		calls "$a" "$b" && calls "$b" "$a" && bad="$bad $a<->$b"
	done
done
check "no two modules call each other" sh -c "[ -z '$bad' ]"
[ -n "$bad" ] && echo "#   $bad"
finish
