#!/bin/sh
# run-hostile.sh -- hostile input through "sluice check": deep nesting, a
# huge literal, invalid UTF-8, binary garbage. Each must give a clean error
# (exit status 1, an "error:" line) and never a crash or a signal.
sluice=$(pwd)/sluice
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() { # $1 name, $2 file
	"$sluice" check "$2" >"$tmp/out" 2>&1
	rc=$?
	if [ "$rc" -eq 1 ] && grep -q 'error' "$tmp/out"; then
		echo "ok - $1"
	else
		echo "not ok - $1 (exit status $rc)"
		head -c 2000 "$tmp/out" | sed 's/^/# /'
	fi
}

# 10,000 nested parentheses
awk 'BEGIN { s = "SELECT "; for (i = 0; i < 10000; i++) s = s "("; s = s "1"; for (i = 0; i < 10000; i++) s = s ")"; print s ";" }' >"$tmp/nest.sql"
check nested_parentheses "$tmp/nest.sql"

# 10 MB string literal (valid syntax, then an unknown table)
awk 'BEGIN { printf "SELECT \047"; s = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"; for (i = 0; i < 104858; i++) printf "%s", s; printf "\047 FROM no_such_table;\n" }' >"$tmp/big.sql"
check ten_megabyte_literal "$tmp/big.sql"

# invalid UTF-8 in an identifier and in a string
printf 'SELECT \377\376 FROM t;\n' >"$tmp/utf8a.sql"
check invalid_utf8_identifier "$tmp/utf8a.sql"
printf "SELECT 'abc\300\200' FROM t;\n" >"$tmp/utf8b.sql"
check invalid_utf8_string "$tmp/utf8b.sql"

# NUL bytes and binary garbage
head -c 4096 /dev/urandom >"$tmp/garbage.sql" 2>/dev/null || printf '\000\001\002' >"$tmp/garbage.sql"
check binary_garbage "$tmp/garbage.sql"

# an unterminated comment and string
printf 'SELECT 1 /* never closed\n' >"$tmp/comment.sql"
check unterminated_comment "$tmp/comment.sql"
printf "SELECT 'never closed\n" >"$tmp/string.sql"
check unterminated_string "$tmp/string.sql"

# a missing file
"$sluice" check "$tmp/does-not-exist.sql" >"$tmp/out" 2>&1
rc=$?
if [ "$rc" -eq 1 ] && grep -q 'cannot read' "$tmp/out"; then echo "ok - missing_file"; else echo "not ok - missing_file (exit $rc)"; fi

# unknown flag with a suggestion
"$sluice" explain --jsn x.sql >"$tmp/out" 2>&1
if grep -q 'unknown option "--jsn"' "$tmp/out" && grep -q 'did you mean "--json"' "$tmp/out"; then
	echo "ok - unknown_flag_suggestion"
else
	echo "not ok - unknown_flag_suggestion"; sed 's/^/# /' "$tmp/out"
fi
exit 0
