/*
 * suggest.c
 *	  "Did you mean" support: a case-insensitive edit distance and the
 *	  choice of the closest candidate name.
 *
 * INTERFACE ROUTINES
 *	  sl_edit_distance  Damerau-Levenshtein (optimal string alignment)
 *	  sl_suggest        the closest candidate, or NULL when none is close
 */
#include "common/common.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

bool
sl_streq_ci(const char *a, const char *b)
{
	while (*a && *b) {
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return false;
		a++;
		b++;
	}
	return *a == *b;
}

size_t
sl_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *buf, *prev2, *prev, *cur, result;

	if (la > 256 || lb > 256) /* names are short; do not spend time on long ones */
		return SIZE_MAX / 2;
	buf = sl_xcalloc(3 * (lb + 1), sizeof(size_t));
	prev2 = buf;
	prev = prev2 + (lb + 1);
	cur = prev + (lb + 1);
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			int ca = tolower((unsigned char)a[i - 1]);
			int cb = tolower((unsigned char)b[j - 1]);
			size_t cost = ca == cb ? 0 : 1;
			size_t v = prev[j] + 1;
			if (cur[j - 1] + 1 < v) v = cur[j - 1] + 1;
			if (prev[j - 1] + cost < v) v = prev[j - 1] + cost;
			if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == cb && prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
		}
		/* rotate rows */
		size_t *t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	result = prev[lb];
	free(buf);
	return result;
}

const char *
sl_suggest(const char *name, const char *const *cands, size_t ncands)
{
	const char *best = NULL;
	size_t best_d = SIZE_MAX;
	size_t limit = strlen(name) / 3;

	if (limit < 1)
		limit = 1;
	for (size_t i = 0; i < ncands; i++) {
		size_t d;
		if (!cands[i])
			continue;
		if (sl_streq_ci(name, cands[i]))
			return cands[i];
		d = sl_edit_distance(name, cands[i]);
		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	return best_d <= limit ? best : NULL;
}
