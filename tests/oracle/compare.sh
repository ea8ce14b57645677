#!/bin/sh
# compare.sh QUERY EVENTS_DIR SLUICE_OUTPUT -- compare what sluice printed
# for a query with the oracle (run-oracle.sh QUERY EVENTS_DIR).
#
# SLUICE_OUTPUT holds the query's rows in either form:
#   - the print sink / SELECT form "+I[a, b, c]" (optionally after "N> "),
#     a changelog: +I and +U add a row, -U and -D remove one copy of it, so
#     updating results are compared by their final state;
#   - plain rows "a|b|c" (inserts only).
# Fields are normalized to the oracle's text: ", " separators become '|',
# the literal null becomes empty, and timestamps "yyyy-MM-ddTHH:mm[:ss[.f]]"
# (Java's LocalDateTime.toString) become "yyyy-MM-dd HH:mm:ss.SSS".
# Nexmark strings contain no ", " so splitting on it is safe here.
# Prints a diff and exits 1 on mismatch; exits 0 when equal.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -ne 3 ]; then
	echo "usage: compare.sh QUERY EVENTS_DIR SLUICE_OUTPUT" >&2
	exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sh "$here/run-oracle.sh" "$1" "$2" >"$tmp/oracle"
awk '
function norm_ts(f,    d, t, n) {
	if (f !~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][T ][0-9][0-9]:[0-9][0-9]/)
		return f
	d = substr(f, 1, 10); t = substr(f, 12)
	if (length(t) == 5) t = t ":00"
	if (length(t) == 8) t = t ".000"
	n = length(t)
	if (n == 10) t = t "00"
	else if (n == 11) t = t "0"
	else if (n > 12) t = substr(t, 1, 12)
	return d " " t
}
function norm(body,    n, i, parts, out) {
	n = split(body, parts, /, /)
	out = ""
	for (i = 1; i <= n; i++) {
		if (parts[i] == "null") parts[i] = ""
		out = out (i > 1 ? "|" : "") norm_ts(parts[i])
	}
	return out
}
{
	line = $0
	sub(/^[0-9]+> /, "", line)
	if (line ~ /^[-+][IUD]\[.*\]$/) {
		kind = substr(line, 1, 2)
		row = norm(substr(line, 4, length(line) - 4))
		if (kind == "+I" || kind == "+U") cnt[row]++
		else cnt[row]--
	} else if (line != "") {
		cnt[line]++
	}
}
END {
	for (r in cnt) {
		if (cnt[r] < 0) { print "compare.sh: retraction of a row never inserted: " r > "/dev/stderr"; bad = 1 }
		for (i = 0; i < cnt[r]; i++) print r
	}
	exit bad
}' "$3" | LC_ALL=C sort >"$tmp/sluice"
if cmp -s "$tmp/oracle" "$tmp/sluice"; then
	exit 0
fi
echo "compare.sh: $1 differs from the oracle ($(wc -l <"$tmp/oracle") oracle rows, $(wc -l <"$tmp/sluice") sluice rows):"
diff "$tmp/oracle" "$tmp/sluice" | head -n 40
exit 1
