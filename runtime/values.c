/*
 * values.c
 *	  Scalar value helpers: calendar arithmetic, 128-bit decimals, and the
 *	  text forms of values (Flink's CAST formats and the Java toString forms
 *	  that Flink's print sink shows), with their parsers.
 *
 *	  Pure functions, thread-safe, no allocation.
 *
 * INTERFACE ROUTINES (runtime_int.h)
 *	  sl_civil_to_days, sl_days_to_civil, sl_ts_to_tm, sl_tm_to_ts
 *	  sl_dec_fits, sl_dec_rescale, sl_i128_div_half_up, sl_pow10_i128
 *	  sl_fmt_*   value -> text
 *	  sl_parse_* text -> value
 */
#include "runtime/runtime_int.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------
 * Calendar (proleptic Gregorian, days since 1970-01-01)
 * ------------------------------------------------------------------- */
int32_t
sl_civil_to_days(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

void
sl_days_to_civil(int32_t days, int *yp, int *mp, int *dp)
{
	int64_t z = (int64_t)days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp0 = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp0 + 2) / 5 + 1;
	int64_t m = mp0 < 10 ? mp0 + 3 : mp0 - 9;
	*yp = (int)(y + (m <= 2));
	*mp = (int)m;
	*dp = (int)d;
}

bool
sl_is_leap_year(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
sl_days_in_month(int64_t y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && sl_is_leap_year(y) ? 29 : dm[m - 1];
}

void
sl_ts_to_tm(int64_t us, sl_tm *tm)
{
	int64_t days = sl_floordiv(us, SL_US_PER_DAY);
	int64_t rem = us - days * SL_US_PER_DAY;
	sl_days_to_civil((int32_t)days, &tm->year, &tm->month, &tm->day);
	tm->hour = (int)(rem / SL_US_PER_HOUR);
	rem %= SL_US_PER_HOUR;
	tm->minute = (int)(rem / SL_US_PER_MIN);
	rem %= SL_US_PER_MIN;
	tm->second = (int)(rem / SL_US_PER_SEC);
	tm->micro = (int)(rem % SL_US_PER_SEC);
	tm->dow = (int)sl_floormod(days + 3, 7) + 1; /* 1970-01-01 was a Thursday */
	tm->doy = (int)(days - sl_civil_to_days(tm->year, 1, 1)) + 1;
}

int64_t
sl_tm_to_ts(const sl_tm *tm)
{
	int64_t days = sl_civil_to_days(tm->year, tm->month, tm->day);
	return days * SL_US_PER_DAY + tm->hour * SL_US_PER_HOUR + tm->minute * SL_US_PER_MIN +
	       tm->second * SL_US_PER_SEC + tm->micro;
}

/* ---------------------------------------------------------------------
 * 128-bit decimals
 * ------------------------------------------------------------------- */
static sl_i128 pow10_tab[39];
static pthread_once_t pow10_once = PTHREAD_ONCE_INIT;

static void
pow10_init(void)
{
	sl_i128 p = 1;
	for (int i = 0; i <= 38; i++) {
		pow10_tab[i] = p;
		if (i < 38)
			p *= 10;
	}
}

sl_i128
sl_pow10_i128(int n)
{
	pthread_once(&pow10_once, pow10_init);
	SL_ASSERT(n >= 0 && n <= 38);
	return pow10_tab[n];
}

bool
sl_dec_fits(sl_i128 x, int precision)
{
	sl_i128 lim = sl_pow10_i128(precision);
	return x < lim && x > -lim;
}

sl_i128
sl_i128_div_half_up(sl_i128 n, sl_i128 d)
{
	sl_i128 q = n / d, r = n % d;
	sl_i128 ar = r < 0 ? -r : r, ad = d < 0 ? -d : d;
	if (ar != 0 && ar >= ad - ar) /* 2|r| >= |d| without overflow */
		q += ((n < 0) != (d < 0)) ? -1 : 1;
	return q;
}

bool
sl_dec_rescale(sl_i128 x, int s1, int s2, sl_i128 *out)
{
	if (s2 == s1) {
		*out = x;
	} else if (s2 > s1) {
		sl_i128 m = sl_pow10_i128(s2 - s1);
		sl_i128 lim = sl_pow10_i128(38) / m;
		if (x > lim || x < -lim)
			return false;
		*out = x * m;
	} else {
		if (s1 - s2 > 38) {
			*out = 0;
			return true;
		}
		*out = sl_i128_div_half_up(x, sl_pow10_i128(s1 - s2));
	}
	return true;
}

/* ---------------------------------------------------------------------
 * Formatting
 * ------------------------------------------------------------------- */
int
sl_fmt_i128(sl_i128 v, char *buf)
{
	char tmp[48];
	int n = 0, len = 0;
	unsigned __int128 u = v < 0 ? (unsigned __int128)0 - (unsigned __int128)v : (unsigned __int128)v;
	do {
		tmp[n++] = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u);
	if (v < 0)
		buf[len++] = '-';
	while (n)
		buf[len++] = tmp[--n];
	buf[len] = '\0';
	return len;
}

int
sl_fmt_decimal(sl_i128 v, int scale, char *buf)
{
	char digits[48];
	int nd, len = 0;
	unsigned __int128 u = v < 0 ? (unsigned __int128)0 - (unsigned __int128)v : (unsigned __int128)v;

	nd = 0;
	do {
		digits[nd++] = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u);
	while (nd <= scale)
		digits[nd++] = '0';
	if (v < 0)
		buf[len++] = '-';
	for (int i = nd - 1; i >= 0; i--) {
		buf[len++] = digits[i];
		if (i == scale && scale > 0)
			buf[len++] = '.';
	}
	buf[len] = '\0';
	return len;
}

/* Shortest digits that round-trip: digits (no dot) and decimal exponent e
 * such that value = 0.d1d2... * 10^e ... we use d1.d2... * 10^exp10. */
static int
shortest_digits(double d, int maxprec, bool is_float, char *digs, int *exp10)
{
	char tmp[40];
	for (int prec = 1; prec <= maxprec; prec++) {
		snprintf(tmp, sizeof tmp, "%.*e", prec - 1, d);
		if (is_float ? (float)strtod(tmp, NULL) == (float)d : strtod(tmp, NULL) == d) {
			int n = 0;
			char *e = strchr(tmp, 'e');
			for (char *p = tmp; p < e; p++)
				if (isdigit((unsigned char)*p))
					digs[n++] = *p;
			while (n > 1 && digs[n - 1] == '0')
				n--;
			digs[n] = '\0';
			*exp10 = atoi(e + 1);
			return n;
		}
	}
	return 0;
}

static int
fmt_java_fp(double d, bool is_float, char *buf)
{
	char digs[40] = "0";
	int nd, e = 0, len = 0;

	if (isnan(d))
		return sprintf(buf, "NaN");
	if (isinf(d))
		return sprintf(buf, d < 0 ? "-Infinity" : "Infinity");
	if (d == 0)
		return sprintf(buf, signbit(d) ? "-0.0" : "0.0");
	if (d < 0) {
		buf[len++] = '-';
		d = -d;
	}
	nd = shortest_digits(d, is_float ? 9 : 17, is_float, digs, &e);
	if (d >= 1e-3 && d < 1e7) {
		if (e >= 0) {
			for (int i = 0; i <= e; i++)
				buf[len++] = i < nd ? digs[i] : '0';
			buf[len++] = '.';
			if (nd > e + 1)
				for (int i = e + 1; i < nd; i++)
					buf[len++] = digs[i];
			else
				buf[len++] = '0';
		} else {
			buf[len++] = '0';
			buf[len++] = '.';
			for (int i = 0; i < -e - 1; i++)
				buf[len++] = '0';
			for (int i = 0; i < nd; i++)
				buf[len++] = digs[i];
		}
		buf[len] = '\0';
		return len;
	}
	buf[len++] = digs[0];
	buf[len++] = '.';
	if (nd > 1)
		for (int i = 1; i < nd; i++)
			buf[len++] = digs[i];
	else
		buf[len++] = '0';
	len += sprintf(buf + len, "E%d", e);
	return len;
}

int
sl_fmt_double_java(double d, char *buf)
{
	return fmt_java_fp(d, false, buf);
}

int
sl_fmt_float_java(float f, char *buf)
{
	return fmt_java_fp((double)f, true, buf);
}

static int
fmt_year(int y, char *buf, bool java)
{
	if (y >= 0 && y <= 9999)
		return sprintf(buf, "%04d", y);
	if (java && y > 9999)
		return sprintf(buf, "+%d", y);
	if (y < 0)
		return sprintf(buf, "-%04d", -y);
	return sprintf(buf, "%d", y);
}

int
sl_fmt_date(int32_t days, char *buf)
{
	int y, m, d, len;
	sl_days_to_civil(days, &y, &m, &d);
	len = fmt_year(y, buf, true);
	return len + sprintf(buf + len, "-%02d-%02d", m, d);
}

static int
fmt_fraction(int micro, int precision, char *buf)
{
	char f[8];
	if (precision <= 0)
		return 0;
	if (precision > 6)
		precision = 6;
	sprintf(f, "%06d", micro);
	buf[0] = '.';
	memcpy(buf + 1, f, (size_t)precision);
	buf[precision + 1] = '\0';
	return precision + 1;
}

int
sl_fmt_timestamp_sql(int64_t us, int precision, char *buf)
{
	sl_tm tm;
	int len;
	sl_ts_to_tm(us, &tm);
	len = fmt_year(tm.year, buf, false);
	len += sprintf(buf + len, "-%02d-%02d %02d:%02d:%02d", tm.month, tm.day, tm.hour,
	               tm.minute, tm.second);
	return len + fmt_fraction(tm.micro, precision, buf + len);
}

/* java.time.LocalTime.toString of h:m:s.micro */
static int
fmt_localtime_java(int h, int m, int s, int micro, char *buf)
{
	int len = sprintf(buf, "%02d:%02d", h, m);
	if (s > 0 || micro > 0) {
		len += sprintf(buf + len, ":%02d", s);
		if (micro > 0) {
			if (micro % 1000 == 0)
				len += sprintf(buf + len, ".%03d", micro / 1000);
			else
				len += sprintf(buf + len, ".%06d", micro);
		}
	}
	return len;
}

int
sl_fmt_timestamp_java(int64_t us, char *buf)
{
	sl_tm tm;
	int len;
	sl_ts_to_tm(us, &tm);
	len = fmt_year(tm.year, buf, true);
	len += sprintf(buf + len, "-%02d-%02dT", tm.month, tm.day);
	return len + fmt_localtime_java(tm.hour, tm.minute, tm.second, tm.micro, buf + len);
}

int
sl_fmt_time_sql(int64_t us, int precision, char *buf)
{
	int64_t s = us / SL_US_PER_SEC;
	int len = sprintf(buf, "%02d:%02d:%02d", (int)(s / 3600), (int)(s / 60 % 60), (int)(s % 60));
	return len + fmt_fraction((int)(us % SL_US_PER_SEC), precision, buf + len);
}

int
sl_fmt_time_java(int64_t us, char *buf)
{
	int64_t s = us / SL_US_PER_SEC;
	return fmt_localtime_java((int)(s / 3600), (int)(s / 60 % 60), (int)(s % 60),
	                          (int)(us % SL_US_PER_SEC), buf);
}

/* ---------------------------------------------------------------------
 * Parsing
 * ------------------------------------------------------------------- */
static void
trim(const char **s, size_t *n)
{
	while (*n && isspace((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

bool
sl_parse_i64(const char *s, size_t n, int64_t *out)
{
	bool neg = false;
	uint64_t v = 0;
	size_t i = 0;

	trim(&s, &n);
	if (n == 0)
		return false;
	if (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-';
		i = 1;
	}
	if (i == n)
		return false;
	for (; i < n; i++) {
		unsigned dgt = (unsigned)(s[i] - '0');
		if (dgt > 9)
			return false;
		if (v > (UINT64_C(9223372036854775808) - dgt) / 10)
			return false;
		v = v * 10 + dgt;
	}
	if (!neg && v > INT64_MAX)
		return false;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}

bool
sl_parse_double(const char *s, size_t n, double *out)
{
	char buf[128];
	char *end;

	trim(&s, &n);
	if (n == 0 || n >= sizeof buf)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (strcmp(buf, "NaN") == 0) {
		*out = NAN;
		return true;
	}
	if (strcmp(buf, "Infinity") == 0 || strcmp(buf, "+Infinity") == 0) {
		*out = INFINITY;
		return true;
	}
	if (strcmp(buf, "-Infinity") == 0) {
		*out = -INFINITY;
		return true;
	}
	for (size_t i = 0; i < n; i++) /* strtod also takes hex, inf, nan: refuse */
		if (!(isdigit((unsigned char)buf[i]) || buf[i] == '.' || buf[i] == 'e' ||
		      buf[i] == 'E' || buf[i] == '-' || buf[i] == '+'))
			return false;
	errno = 0;
	*out = strtod(buf, &end);
	return end == buf + n && end != buf;
}

bool
sl_parse_decimal(const char *s, size_t n, int precision, int scale, sl_i128 *out)
{
	sl_i128 mant = 0;
	int ndig = 0, frac = 0, exp = 0;
	bool neg = false, seen_dot = false, any = false, round_up = false, dropped = false;
	size_t i = 0;

	if (precision < 1 || precision > 38 || scale < 0 || scale > precision)
		return false; /* no DECIMAL type has these */
	trim(&s, &n);
	if (n && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		i++;
	}
	for (; i < n; i++) {
		char c = s[i];
		if (c >= '0' && c <= '9') {
			any = true;
			if (ndig >= 38) { /* beyond 38 significant digits: only rounding */
				if (!seen_dot)
					exp++;
				else if (!dropped)
					round_up = c >= '5';
				dropped = true;
				continue;
			}
			if (mant == 0 && c == '0') {
				if (seen_dot)
					frac++;
				continue;
			}
			mant = mant * 10 + (c - '0');
			ndig++;
			if (seen_dot)
				frac++;
		} else if (c == '.' && !seen_dot) {
			seen_dot = true;
		} else if ((c == 'e' || c == 'E') && any) {
			int64_t e;
			if (!sl_parse_i64(s + i + 1, n - i - 1, &e) || e > 1000 || e < -1000)
				return false;
			exp += (int)e;
			break;
		} else {
			return false;
		}
	}
	if (!any)
		return false;
	if (round_up)
		mant += 1;
	/* value = mant * 10^(exp - frac) */
	{
		int have = frac - exp; /* scale of mant */
		sl_i128 r;
		if (have < -38) {
			if (mant != 0)
				return false;
			have = 0;
		}
		if (have > scale + 38) {
			r = 0;
		} else if (scale - have > 38) {
			/* mant * 10^(scale - have) >= 10^39 unless mant is 0: no
			 * DECIMAL holds it (and 10^39 is beyond sl_pow10_i128) */
			if (mant != 0)
				return false;
			r = 0;
		} else if (!sl_dec_rescale(mant, have, scale, &r)) {
			return false;
		}
		if (!sl_dec_fits(r, precision))
			return false;
		*out = neg ? -r : r;
	}
	return true;
}

bool
sl_rt_parse_bool(const char *s, size_t n, bool *out)
{
	trim(&s, &n);
	if ((n == 4 && strncasecmp(s, "true", 4) == 0) || (n == 1 && s[0] == '1') ||
	    (n == 1 && (s[0] == 't' || s[0] == 'T')) || (n == 3 && strncasecmp(s, "yes", 3) == 0) ||
	    (n == 1 && (s[0] == 'y' || s[0] == 'Y'))) {
		*out = true;
		return true;
	}
	if ((n == 5 && strncasecmp(s, "false", 5) == 0) || (n == 1 && s[0] == '0') ||
	    (n == 1 && (s[0] == 'f' || s[0] == 'F')) || (n == 2 && strncasecmp(s, "no", 2) == 0) ||
	    (n == 1 && (s[0] == 'n' || s[0] == 'N'))) {
		*out = false;
		return true;
	}
	return false;
}

/* Read 1..maxd digits at s[*i]; false if none. */
static bool
read_num(const char *s, size_t n, size_t *i, int maxd, int *out)
{
	int v = 0, d = 0;
	while (*i < n && d < maxd && isdigit((unsigned char)s[*i])) {
		v = v * 10 + (s[*i] - '0');
		(*i)++;
		d++;
	}
	*out = v;
	return d > 0;
}

/* |year| accepted by the date parser: its day count fits an int32_t. */
#define SL_PARSE_MAX_YEAR 5000000

static bool
parse_date_at(const char *s, size_t n, size_t *i, int32_t *out)
{
	int y, m, d;
	bool neg = false;
	if (*i < n && s[*i] == '-') {
		neg = true;
		(*i)++;
	}
	if (!read_num(s, n, i, 9, &y) || *i >= n || s[*i] != '-')
		return false;
	(*i)++;
	if (!read_num(s, n, i, 2, &m) || *i >= n || s[*i] != '-')
		return false;
	(*i)++;
	if (!read_num(s, n, i, 2, &d))
		return false;
	if (neg)
		y = -y;
	/* The day count is an int32_t: years beyond +-5,000,000 do not fit
	 * (sl_civil_to_days would wrap around). */
	if (y > SL_PARSE_MAX_YEAR || y < -SL_PARSE_MAX_YEAR)
		return false;
	if (m < 1 || m > 12 || d < 1 || d > sl_days_in_month(y, m))
		return false;
	*out = sl_civil_to_days(y, m, d);
	return true;
}

bool
sl_parse_date(const char *s, size_t n, int32_t *out)
{
	size_t i = 0;
	trim(&s, &n);
	return parse_date_at(s, n, &i, out) && i == n;
}

static bool
parse_time_at(const char *s, size_t n, size_t *i, int64_t *out)
{
	int h, mi, sec = 0, micro = 0;
	if (!read_num(s, n, i, 2, &h) || *i >= n || s[*i] != ':')
		return false;
	(*i)++;
	if (!read_num(s, n, i, 2, &mi))
		return false;
	if (*i < n && s[*i] == ':') {
		(*i)++;
		if (!read_num(s, n, i, 2, &sec))
			return false;
		if (*i < n && s[*i] == '.') {
			int nd = 0;
			(*i)++;
			while (*i < n && isdigit((unsigned char)s[*i])) {
				if (nd < 6)
					micro = micro * 10 + (s[*i] - '0');
				nd++;
				(*i)++;
			}
			if (nd == 0 || nd > 9)
				return false;
			for (int k = nd; k < 6; k++)
				micro *= 10;
		}
	}
	if (h > 23 || mi > 59 || sec > 59)
		return false;
	*out = h * SL_US_PER_HOUR + mi * SL_US_PER_MIN + sec * SL_US_PER_SEC + micro;
	return true;
}

bool
sl_parse_time(const char *s, size_t n, int64_t *out)
{
	size_t i = 0;
	trim(&s, &n);
	return parse_time_at(s, n, &i, out) && i == n;
}

bool
sl_parse_timestamp(const char *s, size_t n, int64_t *out)
{
	size_t i = 0;
	int32_t days;
	int64_t t = 0, us;

	trim(&s, &n);
	if (!parse_date_at(s, n, &i, &days))
		return false;
	if (i < n) {
		if (s[i] != ' ' && s[i] != 'T')
			return false;
		i++;
		if (!parse_time_at(s, n, &i, &t))
			return false;
	}
	if (i != n)
		return false;
	/* microseconds since the epoch are an int64_t: about +-292,000 years */
	if (__builtin_mul_overflow((int64_t)days, (int64_t)SL_US_PER_DAY, &us) ||
	    __builtin_add_overflow(us, t, &us))
		return false;
	*out = us;
	return true;
}
