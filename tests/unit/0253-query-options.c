/*
 * 0253-query-options.c
 *	  Every WITH (...) list and every SET statement in queries/ validates
 *	  against the option registry, so the shipped examples never drift from
 *	  the options sluice accepts. A tiny scanner finds the lists (no parser
 *	  needed): after the keyword WITH followed by "(", pairs 'k' = 'v'; and
 *	  statements SET 'k' = 'v'. Comments and other string literals are
 *	  skipped.
 */
#include "planner/options.h"
#include "tests/unit/test.h"

#include <ctype.h>
#include <dirent.h>

static char *
read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	sl_strbuf sb = SL_STRBUF_INIT;
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sl_strbuf_appendn(&sb, buf, n);
	fclose(f);
	return sl_strbuf_take(&sb);
}

typedef struct scan {
	const char *src;
	size_t pos;
} scan;

static void
skip_space(scan *s)
{
	for (;;) {
		while (isspace((unsigned char)s->src[s->pos]))
			s->pos++;
		if (s->src[s->pos] == '-' && s->src[s->pos + 1] == '-') {
			while (s->src[s->pos] && s->src[s->pos] != '\n')
				s->pos++;
		} else if (s->src[s->pos] == '/' && s->src[s->pos + 1] == '*') {
			const char *e = strstr(s->src + s->pos + 2, "*/");
			s->pos = e ? (size_t)(e - s->src) + 2 : strlen(s->src);
		} else {
			return;
		}
	}
}

/* A quoted literal at pos: returns a malloc'ed unescaped copy and its span. */
static char *
string_lit(scan *s, sl_span *span)
{
	if (s->src[s->pos] != '\'')
		return NULL;
	sl_strbuf sb = SL_STRBUF_INIT;
	size_t start = s->pos++;
	for (;;) {
		char c = s->src[s->pos];
		if (!c)
			break;
		s->pos++;
		if (c == '\'') {
			if (s->src[s->pos] == '\'') {
				sl_strbuf_appendc(&sb, '\'');
				s->pos++;
				continue;
			}
			break;
		}
		sl_strbuf_appendc(&sb, c);
	}
	*span = (sl_span){(uint32_t)start, (uint32_t)s->pos};
	sl_strbuf_appendc(&sb, '\0'); /* allocate even when empty */
	sb.len--;
	return sl_strbuf_take(&sb);
}

static bool
keyword_at(const scan *s, const char *kw)
{
	size_t n = strlen(kw);
	if (strncasecmp(s->src + s->pos, kw, n) != 0)
		return false;
	if (s->pos > 0 && (isalnum((unsigned char)s->src[s->pos - 1]) || s->src[s->pos - 1] == '_'))
		return false;
	char after = s->src[s->pos + n];
	return !(isalnum((unsigned char)after) || after == '_');
}

/* Parse "'k' = 'v'" at pos into kv; false if not there. */
static bool
pair(scan *s, sl_option_kv *kv)
{
	skip_space(s);
	char *k = string_lit(s, &kv->key_span);
	if (!k)
		return false;
	skip_space(s);
	if (s->src[s->pos] != '=') {
		free(k);
		return false;
	}
	s->pos++;
	skip_space(s);
	char *v = string_lit(s, &kv->value_span);
	if (!v) {
		free(k);
		return false;
	}
	kv->key = k;
	kv->value = v;
	return true;
}

static int nfiles, nlists, nsets;

static void
report(const char *path, const char *src, sl_error *e)
{
	for (; e; e = e->next) {
		sl_strbuf out = SL_STRBUF_INIT;
		sl_error_render(e, path, src, strlen(src), &out);
		printf("# %s", sl_strbuf_str(&out));
		sl_strbuf_free(&out);
	}
}

static void
check_file(const char *path)
{
	char *src = read_file(path);
	SL_CHECK(src != NULL);
	if (!src)
		return;
	nfiles++;
	scan s = {src, 0};
	sl_config *cfg = sl_config_new();
	while (src[s.pos]) {
		skip_space(&s);
		if (!src[s.pos])
			break;
		if (src[s.pos] == '\'') {
			sl_span sp;
			free(string_lit(&s, &sp));
			continue;
		}
		if (keyword_at(&s, "SET")) {
			s.pos += 3;
			sl_option_kv kv;
			if (pair(&s, &kv)) {
				sl_error *e = NULL;
				bool ok = sl_config_set(cfg, kv.key, kv.value, kv.key_span, kv.value_span, &e);
				SL_CHECK(ok);
				report(path, src, e);
				sl_error_free(e);
				free((void *)kv.key);
				free((void *)kv.value);
				nsets++;
			}
			continue;
		}
		if (keyword_at(&s, "WITH")) {
			s.pos += 4;
			skip_space(&s);
			if (src[s.pos] != '(')
				continue;
			s.pos++;
			sl_option_kv kvs[64];
			int n = 0;
			while (n < 64 && pair(&s, &kvs[n])) {
				n++;
				skip_space(&s);
				if (src[s.pos] != ',')
					break;
				s.pos++;
			}
			SL_CHECK(n > 0);
			sl_option_values vals;
			sl_error *e = NULL;
			bool ok = sl_options_validate(NULL, kvs, n, &vals, &e);
			SL_CHECK(ok);
			report(path, src, e);
			sl_error_free(e);
			if (ok)
				sl_option_values_free(&vals);
			for (int i = 0; i < n; i++) {
				free((void *)kvs[i].key);
				free((void *)kvs[i].value);
			}
			nlists++;
			continue;
		}
		s.pos++;
	}
	sl_config_free(cfg);
	free(src);
}

static void
check_dir(const char *dir)
{
	DIR *d = opendir(dir);
	SL_CHECK(d != NULL);
	if (!d) {
		printf("#   cannot open %s\n", dir);
		return;
	}
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		if (n < 5 || strcmp(de->d_name + n - 4, ".sql") != 0)
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		check_file(path);
	}
	closedir(d);
}

static const char *
srcdir(void)
{
	static char buf[4096];
	const char *s = getenv("SRCDIR");
	if (s)
		return s;
	const char *slash = strrchr(__FILE__, '/');
	snprintf(buf, sizeof buf, "%.*s%s../..", slash ? (int)(slash - __FILE__) : 0, __FILE__,
	         slash ? "/" : "");
	return buf;
}

static void
test_nexmark_queries(void)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/queries/nexmark", srcdir());
	int before = nfiles, lists = nlists;
	check_dir(dir);
	SL_CHECK_INT(nfiles - before, 23);
	SL_CHECK(nlists - lists >= 46); /* a source and a sink per query at least */
}

static void
test_example_queries(void)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/queries/examples", srcdir());
	int before = nfiles, sets = nsets;
	check_dir(dir);
	SL_CHECK(nfiles - before >= 2);
	SL_CHECK(nsets - sets >= 2);
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	SL_RUN(test_nexmark_queries);
	SL_RUN(test_example_queries);
	printf("# %d files, %d WITH lists, %d SET statements\n", nfiles, nlists, nsets);
	return SL_TEST_MAIN_END();
}
