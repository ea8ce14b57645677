/*
 * func_time.c
 *	  Kernels for date/time functions: DATE_FORMAT with Java
 *	  DateTimeFormatter patterns (compiled once when constant), field
 *	  extraction, TO_TIMESTAMP / TO_DATE / UNIX_TIMESTAMP / FROM_UNIXTIME,
 *	  TIMESTAMPADD / TIMESTAMPDIFF, FLOOR/CEIL(ts TO unit), timestamp ±
 *	  interval, CURRENT_TIMESTAMP (one value per evaluation).
 *
 *	  TIMESTAMP is zone-less microseconds; the session time zone is UTC,
 *	  so TIMESTAMP_LTZ renders the same way.
 *
 * INTERFACE ROUTINES
 *	  sl_register_time_kernels, sl_time_unit_parse
 */
#include "runtime/expr_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const month_short[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const month_long[] = {"January", "February", "March", "April", "May", "June",
                                         "July", "August", "September", "October", "November",
                                         "December"};
static const char *const dow_short[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
static const char *const dow_long[] = {"Monday", "Tuesday", "Wednesday", "Thursday",
                                       "Friday", "Saturday", "Sunday"};

sl_time_unit
sl_time_unit_parse(const char *s, size_t n)
{
	static const struct { const char *name; sl_time_unit u; } units[] = {
		{"MILLENNIUM", SL_UNIT_MILLENNIUM}, {"CENTURY", SL_UNIT_CENTURY},
		{"DECADE", SL_UNIT_DECADE}, {"YEAR", SL_UNIT_YEAR}, {"QUARTER", SL_UNIT_QUARTER},
		{"MONTH", SL_UNIT_MONTH}, {"WEEK", SL_UNIT_WEEK}, {"DAY", SL_UNIT_DAY},
		{"HOUR", SL_UNIT_HOUR}, {"MINUTE", SL_UNIT_MINUTE}, {"SECOND", SL_UNIT_SECOND},
		{"MILLISECOND", SL_UNIT_MILLISECOND}, {"MICROSECOND", SL_UNIT_MICROSECOND},
		{"DOW", SL_UNIT_DOW}, {"DOY", SL_UNIT_DOY}, {"EPOCH", SL_UNIT_EPOCH},
		{"SQL_TSI_YEAR", SL_UNIT_YEAR}, {"SQL_TSI_QUARTER", SL_UNIT_QUARTER},
		{"SQL_TSI_MONTH", SL_UNIT_MONTH}, {"SQL_TSI_WEEK", SL_UNIT_WEEK},
		{"SQL_TSI_DAY", SL_UNIT_DAY}, {"SQL_TSI_HOUR", SL_UNIT_HOUR},
		{"SQL_TSI_MINUTE", SL_UNIT_MINUTE}, {"SQL_TSI_SECOND", SL_UNIT_SECOND},
	};
	for (size_t i = 0; i < SL_ARRAY_LEN(units); i++)
		if (strlen(units[i].name) == n && strncasecmp(units[i].name, s, n) == 0)
			return units[i].u;
	return SL_UNIT_NONE;
}

/* ---------------------------------------------------------------------
 * Date format patterns
 * ------------------------------------------------------------------- */
typedef struct fmt_tok {
	char letter;        /* pattern letter, or 0 for literal text */
	int count;          /* repetitions */
	const char *lit;    /* literal text */
	int litlen;
} fmt_tok;

typedef struct date_fmt {
	int ntok;
	fmt_tok tok[64];
	size_t maxlen;      /* bytes a formatted value can take */
	int64_t gran;       /* us: values in one floor(ts / gran) bucket format alike */
} date_fmt;

/* Compile a Java pattern into f (storage: a). false if unsupported. */
static bool
fmt_compile(sl_arena *a, const char *p, size_t n, date_fmt *f, char *err, size_t errlen)
{
	size_t i = 0;
	char *litbuf = sl_arena_alloc(a, n + 1);
	size_t lb = 0;
	f->ntok = 0;
	f->maxlen = 0;
	f->gran = SL_US_PER_DAY;
	while (i < n) {
		char c = p[i];
		fmt_tok *t;
		if (f->ntok >= 64) {
			snprintf(err, errlen, "date format pattern too long");
			return false;
		}
		t = &f->tok[f->ntok];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			int cnt = 0;
			while (i < n && p[i] == c) {
				cnt++;
				i++;
			}
			if (!strchr("yMdHhkKmsSaEDuGzZXn", c)) {
				snprintf(err, errlen, "unsupported pattern letter '%c'", c);
				return false;
			}
			t->letter = c;
			t->count = cnt;
			if (strchr("HhkKa", c))
				f->gran = SL_MIN(f->gran, SL_US_PER_HOUR);
			else if (c == 'm')
				f->gran = SL_MIN(f->gran, SL_US_PER_MIN);
			else if (c == 's')
				f->gran = SL_MIN(f->gran, SL_US_PER_SEC);
			else if (c == 'n')
				f->gran = 1;
			else if (c == 'S') {
				int64_t g = 1;
				for (int k = SL_MIN(cnt, 6); k < 6; k++)
					g *= 10;
				f->gran = SL_MIN(f->gran, g);
			}
			f->maxlen += (size_t)(cnt > 12 ? cnt : 12);
			f->ntok++;
			continue;
		}
		t->letter = 0;
		t->lit = litbuf + lb;
		if (c == '\'') {
			i++;
			if (i < n && p[i] == '\'') { /* '' is a quote */
				litbuf[lb++] = '\'';
				i++;
			} else {
				while (i < n) {
					if (p[i] == '\'') {
						if (i + 1 < n && p[i + 1] == '\'') {
							litbuf[lb++] = '\'';
							i += 2;
							continue;
						}
						i++;
						break;
					}
					litbuf[lb++] = p[i++];
				}
			}
		} else {
			while (i < n && !((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z')) &&
			       p[i] != '\'')
				litbuf[lb++] = p[i++];
		}
		t->litlen = (int)(litbuf + lb - t->lit);
		f->maxlen += (size_t)t->litlen;
		f->ntok++;
	}
	return true;
}

static int
put_num(char *o, int64_t v, int width)
{
	char tmp[24];
	int len = 0, nd;
	bool neg = v < 0;
	uint64_t u = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	nd = 0;
	do {
		tmp[nd++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (neg)
		o[len++] = '-';
	for (int k = nd; k < width; k++)
		o[len++] = '0';
	while (nd)
		o[len++] = tmp[--nd];
	return len;
}

static int
put_text(char *o, const char *s)
{
	size_t n = strlen(s);
	memcpy(o, s, n);
	return (int)n;
}

/* Format ts with f into o (at least f->maxlen bytes); returns the length. */
static int
fmt_apply(const date_fmt *f, int64_t us, char *o)
{
	sl_tm tm;
	int len = 0;
	sl_ts_to_tm(us, &tm);
	for (int i = 0; i < f->ntok; i++) {
		const fmt_tok *t = &f->tok[i];
		int c = t->count;
		switch (t->letter) {
		case 0:
			memcpy(o + len, t->lit, (size_t)t->litlen);
			len += t->litlen;
			break;
		case 'y':
		case 'u':
			if (c == 2)
				len += put_num(o + len, ((tm.year % 100) + 100) % 100, 2);
			else
				len += put_num(o + len, tm.year, c);
			break;
		case 'M':
			if (c >= 4)
				len += put_text(o + len, month_long[tm.month - 1]);
			else if (c == 3)
				len += put_text(o + len, month_short[tm.month - 1]);
			else
				len += put_num(o + len, tm.month, c);
			break;
		case 'd': len += put_num(o + len, tm.day, c); break;
		case 'D': len += put_num(o + len, tm.doy, c); break;
		case 'H': len += put_num(o + len, tm.hour, c); break;
		case 'k': len += put_num(o + len, tm.hour == 0 ? 24 : tm.hour, c); break;
		case 'K': len += put_num(o + len, tm.hour % 12, c); break;
		case 'h': len += put_num(o + len, tm.hour % 12 == 0 ? 12 : tm.hour % 12, c); break;
		case 'm': len += put_num(o + len, tm.minute, c); break;
		case 's': len += put_num(o + len, tm.second, c); break;
		case 'S': { /* fraction of second, c digits */
			char fr[16];
			snprintf(fr, sizeof fr, "%06d000", tm.micro);
			for (int k = 0; k < c; k++)
				o[len++] = k < 9 ? fr[k] : '0';
			break;
		}
		case 'n': len += put_num(o + len, (int64_t)tm.micro * 1000, 1); break;
		case 'a': len += put_text(o + len, tm.hour < 12 ? "AM" : "PM"); break;
		case 'E':
			len += put_text(o + len, c >= 4 ? dow_long[tm.dow - 1] : dow_short[tm.dow - 1]);
			break;
		case 'G': len += put_text(o + len, tm.year > 0 ? "AD" : "BC"); break;
		case 'z': len += put_text(o + len, "UTC"); break;
		case 'Z': len += put_text(o + len, "+0000"); break;
		case 'X': len += put_text(o + len, "Z"); break;
		}
	}
	return len;
}

/* Parse s with f; false if s does not match. Missing fields default to
 * 1970-01-01 00:00:00. */
static bool
fmt_parse(const date_fmt *f, const char *s, size_t n, int64_t *out)
{
	sl_tm tm = {1970, 1, 1, 0, 0, 0, 0, 0, 0};
	size_t i = 0;
	bool pm = false, has_ampm = false;
	for (int t = 0; t < f->ntok; t++) {
		const fmt_tok *tk = &f->tok[t];
		if (tk->letter == 0) {
			if (n - i < (size_t)tk->litlen || memcmp(s + i, tk->lit, (size_t)tk->litlen) != 0)
				return false;
			i += (size_t)tk->litlen;
			continue;
		}
		if (tk->letter == 'a') {
			if (n - i < 2)
				return false;
			has_ampm = true;
			pm = strncasecmp(s + i, "PM", 2) == 0;
			if (!pm && strncasecmp(s + i, "AM", 2) != 0)
				return false;
			i += 2;
			continue;
		}
		if (tk->letter == 'M' && tk->count >= 3) {
			bool found = false;
			for (int m = 0; m < 12 && !found; m++) {
				const char *nm = tk->count >= 4 ? month_long[m] : month_short[m];
				size_t l = strlen(nm);
				if (n - i >= l && strncasecmp(s + i, nm, l) == 0) {
					tm.month = m + 1;
					i += l;
					found = true;
				}
			}
			if (!found)
				return false;
			continue;
		}
		if (tk->letter == 'E') {
			bool found = false;
			for (int d = 0; d < 7 && !found; d++) {
				const char *nm = tk->count >= 4 ? dow_long[d] : dow_short[d];
				size_t l = strlen(nm);
				if (n - i >= l && strncasecmp(s + i, nm, l) == 0) {
					i += l;
					found = true;
				}
			}
			if (!found)
				return false;
			continue;
		}
		{
			/* numeric: take count digits when the next token is adjacent
			 * and numeric, else as many as there are */
			int maxd = 9, nd = 0;
			int64_t v = 0;
			bool next_num = t + 1 < f->ntok && f->tok[t + 1].letter != 0;
			if (next_num || tk->letter == 'S')
				maxd = tk->count;
			if (tk->letter == 'y' && tk->count <= 2 && !next_num)
				maxd = 9;
			while (i < n && nd < maxd && s[i] >= '0' && s[i] <= '9') {
				v = v * 10 + (s[i] - '0');
				i++;
				nd++;
			}
			if (nd == 0)
				return false;
			switch (tk->letter) {
			case 'y': case 'u': tm.year = (int)(tk->count == 2 && nd == 2 ? 2000 + v : v); break;
			case 'M': tm.month = (int)v; break;
			case 'd': tm.day = (int)v; break;
			case 'H': case 'k': tm.hour = (int)(v == 24 ? 0 : v); break;
			case 'h': case 'K': tm.hour = (int)(v % 12); break;
			case 'm': tm.minute = (int)v; break;
			case 's': tm.second = (int)v; break;
			case 'S': {
				int64_t micro = v;
				for (int k = nd; k < 6; k++)
					micro *= 10;
				for (int k = 6; k < nd; k++)
					micro /= 10;
				tm.micro = (int)micro;
				break;
			}
			default: break;
			}
		}
	}
	if (i != n)
		return false;
	if (has_ampm && pm)
		tm.hour += 12;
	if (tm.month < 1 || tm.month > 12 || tm.day < 1 ||
	    tm.day > sl_days_in_month(tm.year, tm.month) || tm.hour > 23 || tm.minute > 59 ||
	    tm.second > 59)
		return false;
	*out = sl_tm_to_ts(&tm);
	return true;
}

/* aux of the formatting/parsing kernels: the compiled constant pattern,
 * or a cache for a varying one. */
typedef struct fmt_state {
	bool constant;
	date_fmt f;
	sl_arena *arena;    /* for recompiling a varying pattern */
	char *last;         /* text of the cached pattern (arena) */
	uint32_t lastlen;
	bool bad;
} fmt_state;

static bool
fmt_compile_hook(sl_arena *a, const sl_rexpr *e, void **aux, sl_error **errp, int fmtarg,
                 const char *deflt)
{
	fmt_state *fs = SL_ANEW(a, fmt_state);
	const sl_datum *d = sl_const_arg(e, fmtarg);
	char err[128];
	fs->arena = a;
	*aux = fs;
	if (fmtarg >= e->nargs) {
		fs->constant = true;
		return fmt_compile(a, deflt, strlen(deflt), &fs->f, err, sizeof err);
	}
	if (d) {
		fs->constant = true;
		if (!fmt_compile(a, d->v.s.ptr, d->v.s.len, &fs->f, err, sizeof err))
			return sl_fail(errp, SL_ERR_INVALID_PARAMETER, SL_SPAN_NONE,
			               "invalid date format \"%.*s\": %s", (int)d->v.s.len, d->v.s.ptr, err);
	}
	return true;
}

static const date_fmt *
fmt_for_row(sl_kctx *k, const sl_vector *patv, uint32_t r)
{
	fmt_state *fs = k->aux;
	sl_str p;
	char err[128];
	if (fs->constant)
		return &fs->f;
	p = SL_VEC_DATA(patv, sl_str)[r];
	if (fs->last && fs->lastlen == p.len && memcmp(fs->last, p.ptr, p.len) == 0)
		return fs->bad ? NULL : &fs->f;
	/* a new pattern: the arena grows only when patterns keep changing */
	fs->last = sl_arena_strndup(fs->arena, p.ptr, p.len);
	fs->lastlen = p.len;
	fs->bad = !fmt_compile(fs->arena, p.ptr, p.len, &fs->f, err, sizeof err);
	return fs->bad ? NULL : &fs->f;
}

static bool
c_date_format(sl_arena *a, const sl_rexpr *e, void **aux, sl_error **errp)
{
	return fmt_compile_hook(a, e, aux, errp, 1, "yyyy-MM-dd HH:mm:ss");
}

static bool
c_parse_ts(sl_arena *a, const sl_rexpr *e, void **aux, sl_error **errp)
{
	return fmt_compile_hook(a, e, aux, errp, 1, "yyyy-MM-dd HH:mm:ss");
}

static bool
c_parse_date(sl_arena *a, const sl_rexpr *e, void **aux, sl_error **errp)
{
	return fmt_compile_hook(a, e, aux, errp, 1, "yyyy-MM-dd");
}

static void
put_formatted(sl_kctx *k, sl_vector *out, uint32_t r, const date_fmt *f, int64_t us)
{
	char *o = sl_strheap_alloc(k->heap, f->maxlen + 16);
	int len = fmt_apply(f, us, o);
	sl_strheap_trim(k->heap, o, f->maxlen + 16, (size_t)len);
	SL_VEC_DATA(out, sl_str)[r] = (sl_str){(uint32_t)len, o};
}

static bool
k_date_format(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
              sl_vector *out)
{
	/* consecutive rows in the same bucket (same minute for 'HH:mm', same
	 * day for 'yyyy-MM-dd') share one formatted string */
	const date_fmt *last_f = NULL;
	int64_t last_bucket = 0;
	sl_str last = {0, ""};
	SL_FOR_VALID(out, sel, n, r) {
		const date_fmt *f = fmt_for_row(k, args[1], r);
		int64_t us, bucket;
		if (!f) {
			sl_vec_set_null(out, r);
			continue;
		}
		us = sl_temporal_us(args[0], r);
		bucket = sl_floordiv(us, f->gran);
		if (f == last_f && bucket == last_bucket && ((fmt_state *)k->aux)->constant) {
			SL_VEC_DATA(out, sl_str)[r] = last;
			continue;
		}
		put_formatted(k, out, r, f, us);
		last = SL_VEC_DATA(out, sl_str)[r];
		last_f = f;
		last_bucket = bucket;
	}
	return true;
}

static bool
k_date_format_str(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
                  sl_vector *out)
{
	SL_FOR_VALID(out, sel, n, r) {
		const date_fmt *f = fmt_for_row(k, args[1], r);
		sl_str s = SL_VEC_DATA(args[0], sl_str)[r];
		int64_t us;
		if (!f || !sl_parse_timestamp(s.ptr, s.len, &us)) {
			sl_vec_set_null(out, r);
			continue;
		}
		put_formatted(k, out, r, f, us);
	}
	return true;
}

/* TO_TIMESTAMP(s[, fmt]): NULL when s does not parse. */
static bool
k_to_timestamp(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
               sl_vector *out)
{
	bool has_fmt = k->e->nargs > 1;
	SL_FOR_VALID(out, sel, n, r) {
		sl_str s = SL_VEC_DATA(args[0], sl_str)[r];
		int64_t us;
		bool ok;
		if (!has_fmt) {
			ok = sl_parse_timestamp(s.ptr, s.len, &us);
		} else {
			const date_fmt *f = fmt_for_row(k, args[1], r);
			ok = f && fmt_parse(f, s.ptr, s.len, &us);
		}
		if (!ok)
			sl_vec_set_null(out, r);
		else
			SL_VEC_DATA(out, int64_t)[r] = us;
	}
	return true;
}

static bool
k_to_date(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
          sl_vector *out)
{
	bool has_fmt = k->e->nargs > 1;
	SL_FOR_VALID(out, sel, n, r) {
		sl_str s = SL_VEC_DATA(args[0], sl_str)[r];
		int64_t us = 0;
		int32_t days;
		bool ok;
		if (!has_fmt) {
			ok = sl_parse_date(s.ptr, s.len, &days);
		} else {
			const date_fmt *f = fmt_for_row(k, args[1], r);
			ok = f && fmt_parse(f, s.ptr, s.len, &us);
			days = (int32_t)sl_floordiv(us, SL_US_PER_DAY);
		}
		if (!ok)
			sl_vec_set_null(out, r);
		else
			SL_VEC_DATA(out, int32_t)[r] = days;
	}
	return true;
}

static bool
k_unix_timestamp(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
                 sl_vector *out)
{
	int na = k->e->nargs;
	SL_FOR_VALID(out, sel, n, r) {
		int64_t us;
		bool ok = true;
		if (na == 0) {
			us = k->now_us;
		} else if (na == 1) {
			sl_str s = SL_VEC_DATA(args[0], sl_str)[r];
			ok = sl_parse_timestamp(s.ptr, s.len, &us);
		} else {
			sl_str s = SL_VEC_DATA(args[0], sl_str)[r];
			const date_fmt *f = fmt_for_row(k, args[1], r);
			ok = f && fmt_parse(f, s.ptr, s.len, &us);
		}
		if (!ok)
			sl_vec_set_null(out, r);
		else
			SL_VEC_DATA(out, int64_t)[r] = sl_floordiv(us, SL_US_PER_SEC);
	}
	return true;
}

static bool
k_from_unixtime(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
                sl_vector *out)
{
	SL_FOR_VALID(out, sel, n, r) {
		const date_fmt *f = fmt_for_row(k, k->e->nargs > 1 ? args[1] : NULL, r);
		int64_t secs = sl_int_get(args[0], r);
		if (!f || secs > INT64_MAX / SL_US_PER_SEC || secs < INT64_MIN / SL_US_PER_SEC) {
			sl_vec_set_null(out, r);
			continue;
		}
		put_formatted(k, out, r, f, secs * SL_US_PER_SEC);
	}
	return true;
}

/* ---------------------------------------------------------------------
 * Fields
 * ------------------------------------------------------------------- */
static int
iso_week(const sl_tm *tm)
{
	/* ISO-8601 week number */
	int wd = tm->dow; /* 1..7 Monday..Sunday */
	int w = (tm->doy - wd + 10) / 7;
	if (w < 1) {
		int64_t py = tm->year - 1;
		int pdoy = sl_is_leap_year(py) ? 366 : 365;
		sl_tm p = *tm;
		p.year = (int)py;
		p.doy = tm->doy + pdoy;
		return iso_week(&p);
	}
	if (w == 53) {
		int ydays = sl_is_leap_year(tm->year) ? 366 : 365;
		if (tm->doy - wd + 4 > ydays)   /* Thursday of this week is next year */
			return 1;
	}
	return w;
}

static int64_t
extract(sl_time_unit u, int64_t us)
{
	sl_tm tm;
	sl_ts_to_tm(us, &tm);
	switch (u) {
	case SL_UNIT_MILLENNIUM: return (tm.year + 999) / 1000;
	case SL_UNIT_CENTURY: return (tm.year + 99) / 100;
	case SL_UNIT_DECADE: return tm.year / 10;
	case SL_UNIT_YEAR: return tm.year;
	case SL_UNIT_QUARTER: return (tm.month - 1) / 3 + 1;
	case SL_UNIT_MONTH: return tm.month;
	case SL_UNIT_WEEK: return iso_week(&tm);
	case SL_UNIT_DAY: return tm.day;
	case SL_UNIT_HOUR: return tm.hour;
	case SL_UNIT_MINUTE: return tm.minute;
	case SL_UNIT_SECOND: return tm.second;
	case SL_UNIT_MILLISECOND: return tm.second * 1000 + tm.micro / 1000;
	case SL_UNIT_MICROSECOND: return (int64_t)tm.second * 1000000 + tm.micro;
	case SL_UNIT_DOW: return tm.dow % 7 + 1; /* Sunday = 1 */
	case SL_UNIT_DOY: return tm.doy;
	case SL_UNIT_EPOCH: return sl_floordiv(us, SL_US_PER_SEC);
	default: return 0;
	}
}

#define FIELD_KERNEL(fname, unit)                                              \
	static bool fname(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, \
	                  uint32_t n, sl_vector *out)                              \
	{                                                                          \
		(void)k;                                                               \
		SL_FOR_VALID(out, sel, n, r)                                           \
			SL_VEC_DATA(out, int64_t)[r] = extract(unit, sl_temporal_us(args[0], r)); \
		return true;                                                           \
	}
FIELD_KERNEL(k_year, SL_UNIT_YEAR)
FIELD_KERNEL(k_quarter, SL_UNIT_QUARTER)
FIELD_KERNEL(k_month, SL_UNIT_MONTH)
FIELD_KERNEL(k_week, SL_UNIT_WEEK)
FIELD_KERNEL(k_dayofyear, SL_UNIT_DOY)
FIELD_KERNEL(k_dayofmonth, SL_UNIT_DAY)
FIELD_KERNEL(k_dayofweek, SL_UNIT_DOW)
FIELD_KERNEL(k_second, SL_UNIT_SECOND)

/* HOUR and MINUTE: the hot ones (Nexmark), without the calendar. */
static bool
k_hour(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out)
{
	(void)k;
	SL_FOR_VALID(out, sel, n, r)
		SL_VEC_DATA(out, int64_t)[r] = sl_floormod(sl_temporal_us(args[0], r), SL_US_PER_DAY) /
		                               SL_US_PER_HOUR;
	return true;
}

static bool
k_minute(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
         sl_vector *out)
{
	(void)k;
	SL_FOR_VALID(out, sel, n, r)
		SL_VEC_DATA(out, int64_t)[r] = sl_floormod(sl_temporal_us(args[0], r), SL_US_PER_HOUR) /
		                               SL_US_PER_MIN;
	return true;
}

/* Unit argument (constant string) compiled into aux. */
static bool
c_unit(sl_arena *a, const sl_rexpr *e, void **aux, sl_error **errp)
{
	int ua = (e->fn == SL_FN_FLOOR_TS || e->fn == SL_FN_CEIL_TS) ? 1 : 0;
	const sl_datum *d = sl_const_arg(e, ua);
	sl_time_unit *u = SL_ANEW(a, sl_time_unit);
	if (!d)
		return sl_fail(errp, SL_ERR_INVALID_PARAMETER, SL_SPAN_NONE,
		               "the time unit of \"%s\" must be a constant", sl_udf_builtin_info(e->fn)->name);
	*u = sl_time_unit_parse(d->v.s.ptr, d->v.s.len);
	if (*u == SL_UNIT_NONE)
		return sl_fail(errp, SL_ERR_INVALID_PARAMETER, SL_SPAN_NONE, "unknown time unit \"%.*s\"",
		               (int)d->v.s.len, d->v.s.ptr);
	*aux = u;
	return true;
}

static bool
k_extract(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
          sl_vector *out)
{
	sl_time_unit u = *(sl_time_unit *)k->aux;
	SL_FOR_VALID(out, sel, n, r)
		SL_VEC_DATA(out, int64_t)[r] = extract(u, sl_temporal_us(args[1], r));
	return true;
}

/* Add months to a timestamp, clamping the day to the month's length. */
static bool
add_months(int64_t us, int64_t months, int64_t *out)
{
	int64_t days = sl_floordiv(us, SL_US_PER_DAY), tod = us - days * SL_US_PER_DAY;
	int y, m, d;
	int64_t mi;
	sl_days_to_civil((int32_t)days, &y, &m, &d);
	mi = (int64_t)y * 12 + (m - 1) + months;
	if (mi > (int64_t)1000000 * 12 || mi < -(int64_t)1000000 * 12)
		return false;
	y = (int)sl_floordiv(mi, 12);
	m = (int)sl_floormod(mi, 12) + 1;
	if (d > sl_days_in_month(y, m))
		d = sl_days_in_month(y, m);
	*out = (int64_t)sl_civil_to_days(y, m, d) * SL_US_PER_DAY + tod;
	return true;
}

static int64_t
floor_unit(sl_time_unit u, int64_t us, bool ceil_)
{
	int64_t step = 0, res;
	sl_tm tm;
	switch (u) {
	case SL_UNIT_DAY: step = SL_US_PER_DAY; break;
	case SL_UNIT_HOUR: step = SL_US_PER_HOUR; break;
	case SL_UNIT_MINUTE: step = SL_US_PER_MIN; break;
	case SL_UNIT_SECOND: step = SL_US_PER_SEC; break;
	case SL_UNIT_MILLISECOND: step = 1000; break;
	case SL_UNIT_MICROSECOND: step = 1; break;
	default: break;
	}
	if (step) {
		res = sl_floordiv(us, step) * step;
		return ceil_ && res != us ? res + step : res;
	}
	sl_ts_to_tm(us, &tm);
	tm.hour = tm.minute = tm.second = tm.micro = 0;
	switch (u) {
	case SL_UNIT_WEEK: { /* weeks start on Sunday, as Calcite's */
		int64_t days = sl_floordiv(us, SL_US_PER_DAY);
		int64_t back = tm.dow % 7; /* Sunday 0 .. Saturday 6 */
		res = (days - back) * SL_US_PER_DAY;
		return ceil_ && res != us ? res + 7 * SL_US_PER_DAY : res;
	}
	case SL_UNIT_MONTH: tm.day = 1; break;
	case SL_UNIT_QUARTER: tm.day = 1; tm.month = (tm.month - 1) / 3 * 3 + 1; break;
	case SL_UNIT_YEAR: tm.day = 1; tm.month = 1; break;
	case SL_UNIT_DECADE: tm.day = 1; tm.month = 1; tm.year = (int)sl_floordiv(tm.year, 10) * 10; break;
	case SL_UNIT_CENTURY: tm.day = 1; tm.month = 1; tm.year = (int)sl_floordiv(tm.year - 1, 100) * 100 + 1; break;
	case SL_UNIT_MILLENNIUM: tm.day = 1; tm.month = 1; tm.year = (int)sl_floordiv(tm.year - 1, 1000) * 1000 + 1; break;
	default: break;
	}
	res = sl_tm_to_ts(&tm);
	if (ceil_ && res != us) {
		int64_t months = u == SL_UNIT_MONTH ? 1 : u == SL_UNIT_QUARTER ? 3 : u == SL_UNIT_YEAR ? 12
		               : u == SL_UNIT_DECADE ? 120 : u == SL_UNIT_CENTURY ? 1200 : 12000;
		add_months(res, months, &res);
	}
	return res;
}

static bool
floor_ceil_ts(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
              sl_vector *out, bool ceil_)
{
	sl_time_unit u = *(sl_time_unit *)k->aux;
	SL_FOR_VALID(out, sel, n, r) {
		int64_t v = floor_unit(u, sl_temporal_us(args[0], r), ceil_);
		if (out->type->kind == SL_TYPE_DATE)
			SL_VEC_DATA(out, int32_t)[r] = (int32_t)sl_floordiv(v, SL_US_PER_DAY);
		else
			SL_VEC_DATA(out, int64_t)[r] = v;
	}
	return true;
}

static bool
k_floor_ts(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
           sl_vector *out)
{
	return floor_ceil_ts(k, args, sel, n, out, false);
}

static bool
k_ceil_ts(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
          sl_vector *out)
{
	return floor_ceil_ts(k, args, sel, n, out, true);
}

static bool
store_temporal(sl_kctx *k, sl_vector *out, uint32_t r, int64_t us)
{
	(void)k;
	if (out->type->kind == SL_TYPE_DATE)
		SL_VEC_DATA(out, int32_t)[r] = (int32_t)sl_floordiv(us, SL_US_PER_DAY);
	else
		SL_VEC_DATA(out, int64_t)[r] = us;
	return true;
}

/* ts + interval (sign = +1) or ts - interval (sign = -1). */
static bool
ts_interval(sl_kctx *k, const sl_vector *ts, const sl_vector *iv, int sign, const uint16_t *sel,
            uint32_t n, sl_vector *out)
{
	SL_FOR_VALID(out, sel, n, r) {
		int64_t t = sl_temporal_us(ts, r), res;
		if (iv->type->kind == SL_TYPE_INTERVAL_YM) {
			if (!add_months(t, sign * (int64_t)SL_VEC_DATA(iv, int32_t)[r], &res))
				return sl_kernel_error(k, SL_ERR_NUMERIC_OVERFLOW, r, "timestamp out of range");
		} else {
			int64_t d = SL_VEC_DATA(iv, int64_t)[r];
			if (sign < 0 ? __builtin_sub_overflow(t, d, &res) : __builtin_add_overflow(t, d, &res))
				return sl_kernel_error(k, SL_ERR_NUMERIC_OVERFLOW, r, "timestamp out of range");
		}
		store_temporal(k, out, r, res);
	}
	return true;
}

static bool
k_ts_plus_iv(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
             sl_vector *out)
{
	return ts_interval(k, args[0], args[1], 1, sel, n, out);
}

static bool
k_iv_plus_ts(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
             sl_vector *out)
{
	return ts_interval(k, args[1], args[0], 1, sel, n, out);
}

static bool
k_ts_minus_iv(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
              sl_vector *out)
{
	return ts_interval(k, args[0], args[1], -1, sel, n, out);
}

static bool
k_timestampadd(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
               sl_vector *out)
{
	sl_time_unit u = *(sl_time_unit *)k->aux;
	SL_FOR_VALID(out, sel, n, r) {
		int64_t cnt = sl_int_get(args[1], r), t = sl_temporal_us(args[2], r), res, step = 0;
		bool ok = true;
		switch (u) {
		case SL_UNIT_YEAR: ok = add_months(t, cnt * 12, &res); break;
		case SL_UNIT_QUARTER: ok = add_months(t, cnt * 3, &res); break;
		case SL_UNIT_MONTH: ok = add_months(t, cnt, &res); break;
		case SL_UNIT_WEEK: step = 7 * SL_US_PER_DAY; break;
		case SL_UNIT_DAY: step = SL_US_PER_DAY; break;
		case SL_UNIT_HOUR: step = SL_US_PER_HOUR; break;
		case SL_UNIT_MINUTE: step = SL_US_PER_MIN; break;
		case SL_UNIT_SECOND: step = SL_US_PER_SEC; break;
		case SL_UNIT_MILLISECOND: step = 1000; break;
		case SL_UNIT_MICROSECOND: step = 1; break;
		default: ok = false; break;
		}
		if (step) {
			int64_t d;
			ok = !__builtin_mul_overflow(cnt, step, &d) && !__builtin_add_overflow(t, d, &res);
		}
		if (!ok)
			return sl_kernel_error(k, SL_ERR_NUMERIC_OVERFLOW, r, "timestamp out of range in \"TIMESTAMPADD\"");
		store_temporal(k, out, r, res);
	}
	return true;
}

static bool
k_timestampdiff(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
                sl_vector *out)
{
	sl_time_unit u = *(sl_time_unit *)k->aux;
	SL_FOR_VALID(out, sel, n, r) {
		int64_t a = sl_temporal_us(args[1], r), b = sl_temporal_us(args[2], r), res = 0;
		switch (u) {
		case SL_UNIT_YEAR:
		case SL_UNIT_QUARTER:
		case SL_UNIT_MONTH: {
			sl_tm ta, tb;
			int64_t months, ra, rb;
			sl_ts_to_tm(a, &ta);
			sl_ts_to_tm(b, &tb);
			months = ((int64_t)tb.year - ta.year) * 12 + (tb.month - ta.month);
			ra = (int64_t)ta.day * SL_US_PER_DAY + sl_floormod(a, SL_US_PER_DAY);
			rb = (int64_t)tb.day * SL_US_PER_DAY + sl_floormod(b, SL_US_PER_DAY);
			if (months > 0 && rb < ra)
				months--;
			else if (months < 0 && rb > ra)
				months++;
			res = u == SL_UNIT_MONTH ? months : u == SL_UNIT_QUARTER ? months / 3 : months / 12;
			break;
		}
		case SL_UNIT_WEEK: res = (b - a) / (7 * SL_US_PER_DAY); break;
		case SL_UNIT_DAY: res = (b - a) / SL_US_PER_DAY; break;
		case SL_UNIT_HOUR: res = (b - a) / SL_US_PER_HOUR; break;
		case SL_UNIT_MINUTE: res = (b - a) / SL_US_PER_MIN; break;
		case SL_UNIT_SECOND: res = (b - a) / SL_US_PER_SEC; break;
		case SL_UNIT_MILLISECOND: res = (b - a) / 1000; break;
		case SL_UNIT_MICROSECOND: res = b - a; break;
		default: break;
		}
		if (res > INT32_MAX || res < INT32_MIN)
			return sl_kernel_error(k, SL_ERR_NUMERIC_OVERFLOW, r, "numeric overflow in \"TIMESTAMPDIFF\"");
		SL_VEC_DATA(out, int32_t)[r] = (int32_t)res;
	}
	return true;
}

static bool
k_now(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n, sl_vector *out)
{
	(void)args;
	/* rounded to the type's precision (3: milliseconds) */
	int64_t v = sl_floordiv(k->now_us, 1000) * 1000;
	SL_FOR_SEL(sel, n, r)
		SL_VEC_DATA(out, int64_t)[r] = v;
	return true;
}

static bool
k_current_date(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
               sl_vector *out)
{
	(void)args;
	SL_FOR_SEL(sel, n, r)
		SL_VEC_DATA(out, int32_t)[r] = (int32_t)sl_floordiv(k->now_us, SL_US_PER_DAY);
	return true;
}

/* TO_TIMESTAMP_LTZ(numeric [, precision]): epoch seconds (precision 0)
 * or milliseconds (3, the default) as a TIMESTAMP_LTZ(3); fractional
 * input is cut to the millisecond; out of range gives NULL. */
static bool
to_ltz_compile(sl_arena *a, const sl_rexpr *e, void **aux, sl_error **errp)
{
	int64_t *scale = sl_arena_alloc(a, sizeof *scale);
	int64_t p = 3;
	if (e->nargs > 1) {
		const sl_datum *d = sl_const_arg(e, 1);
		if (!d || (d->v.i != 0 && d->v.i != 3)) {
			*errp = sl_error_new(SL_ERR_INVALID_PARAMETER, SL_SPAN_NONE,
			                     "the precision of TO_TIMESTAMP_LTZ must be the constant 0 "
			                     "(epoch seconds) or 3 (epoch milliseconds)");
			return false;
		}
		p = d->v.i;
	}
	*scale = p == 0 ? SL_US_PER_SEC : 1000;   /* microseconds per input unit */
	*aux = scale;
	return true;
}

static bool
k_to_timestamp_ltz(sl_kctx *k, const sl_vector *const *args, const uint16_t *sel, uint32_t n,
                   sl_vector *out)
{
	int64_t scale = *(const int64_t *)k->aux, us;
	bool exact = sl_type_is_int(k->e->args[0]->type);
	SL_FOR_VALID(out, sel, n, r) {
		if (exact) {
			if (__builtin_mul_overflow(sl_int_get(args[0], r), scale, &us)) {
				sl_vec_set_null(out, r);
				continue;
			}
		} else {
			double x = sl_num_get_double(args[0], r) * (double)scale;
			if (!(x > -9.2e18 && x < 9.2e18)) {   /* also NaN */
				sl_vec_set_null(out, r);
				continue;
			}
			us = (int64_t)x;
		}
		SL_VEC_DATA(out, int64_t)[r] = sl_floordiv(us, 1000) * 1000;
	}
	return true;
}

void
sl_register_time_kernels(sl_kernel_entry *t)
{
	t[SL_FN_TO_TIMESTAMP_LTZ].fn = k_to_timestamp_ltz;
	t[SL_FN_TO_TIMESTAMP_LTZ].compile = to_ltz_compile;
	t[SL_FN_DATE_FORMAT] = (sl_kernel_entry){k_date_format, c_date_format, NULL};
	t[SL_FN_DATE_FORMAT_STR] = (sl_kernel_entry){k_date_format_str, c_date_format, NULL};
	t[SL_FN_YEAR].fn = k_year;
	t[SL_FN_QUARTER].fn = k_quarter;
	t[SL_FN_MONTH].fn = k_month;
	t[SL_FN_WEEK].fn = k_week;
	t[SL_FN_DAYOFYEAR].fn = k_dayofyear;
	t[SL_FN_DAYOFMONTH].fn = k_dayofmonth;
	t[SL_FN_DAYOFWEEK].fn = k_dayofweek;
	t[SL_FN_HOUR].fn = k_hour;
	t[SL_FN_MINUTE].fn = k_minute;
	t[SL_FN_SECOND].fn = k_second;
	t[SL_FN_EXTRACT] = (sl_kernel_entry){k_extract, c_unit, NULL};
	t[SL_FN_TO_TIMESTAMP] = (sl_kernel_entry){k_to_timestamp, c_parse_ts, NULL};
	t[SL_FN_TO_DATE] = (sl_kernel_entry){k_to_date, c_parse_date, NULL};
	t[SL_FN_UNIX_TIMESTAMP] = (sl_kernel_entry){k_unix_timestamp, c_parse_ts, NULL};
	t[SL_FN_FROM_UNIXTIME] = (sl_kernel_entry){k_from_unixtime, c_date_format, NULL};
	t[SL_FN_TIMESTAMPADD] = (sl_kernel_entry){k_timestampadd, c_unit, NULL};
	t[SL_FN_TIMESTAMPDIFF] = (sl_kernel_entry){k_timestampdiff, c_unit, NULL};
	t[SL_FN_FLOOR_TS] = (sl_kernel_entry){k_floor_ts, c_unit, NULL};
	t[SL_FN_CEIL_TS] = (sl_kernel_entry){k_ceil_ts, c_unit, NULL};
	t[SL_FN_TS_PLUS_IV].fn = k_ts_plus_iv;
	t[SL_FN_IV_PLUS_TS].fn = k_iv_plus_ts;
	t[SL_FN_TS_MINUS_IV].fn = k_ts_minus_iv;
	t[SL_FN_CURRENT_TIMESTAMP].fn = k_now;
	t[SL_FN_NOW].fn = k_now;
	t[SL_FN_PROCTIME].fn = k_now;   /* the wall clock, as a lookup join reads it */
	t[SL_FN_LOCALTIMESTAMP].fn = k_now;
	t[SL_FN_CURRENT_DATE].fn = k_current_date;
}
