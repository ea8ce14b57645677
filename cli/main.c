/*
 * main.c
 *	  The sluice command: dispatches to subcommands, prints --help and
 *	  --version, and refuses unknown commands and flags with a suggestion.
 *
 * INTERFACE ROUTINES
 *	  main                   dispatch
 *	  sl_cli_print_version   library versions and the active allocator
 */
#include "config.h"
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <librdkafka/rdkafka.h>
#ifndef SL_SANITIZERS
#include <jemalloc/jemalloc.h>

/* jemalloc's options (read at its first call; MALLOC_CONF in the
 * environment still overrides them). Freed pages are purged lazily only
 * (MADV_FREE once dirty_decay_ms has passed) and never forced out: they
 * stay mapped until the kernel needs the memory. RocksDB's memtable
 * arenas and the state caches' values are freed and allocated again all
 * the time; with jemalloc's default (muzzy_decay_ms 0: MADV_DONTNEED)
 * each reuse faults its pages back in. q20 at 3M events: ~39k -> ~30k
 * minor faults (the rest is first touch), ~5 % less CPU, the same peak
 * RSS. thp:always (and for jemalloc's own metadata): its arenas are
 * madvise(MADV_HUGEPAGE)d, so with the kernel's THP in "madvise" mode (as
 * here) the state caches, chunks and memtables sit in 2 MB pages: q9 at
 * p=2 114k -> 5k minor faults, 9.1 -> 7.6 CPU-s; q17 p=2 4.1-4.3 -> 3.7-3.8
 * CPU-s, p=1 -3 %; q4, q20 at 3M events -4 to -10 %. Peak RSS grows
 * ~20 % (q17 84 -> 105 MB, q0 18 -> 28 MB): a huge page is resident as a
 * whole. */
const char *malloc_conf = "muzzy_decay_ms:-1,thp:always,metadata_thp:always";
#endif

/* Subcommands, in the order --help lists them. */
static const sl_cli_command commands[] = {
	{"version", "print the version of sluice and its libraries", NULL},
	{"help", "show this help", NULL},
	{"gen", "write generated events (Nexmark) as CSV or JSON", sl_cli_gen_main},
	{"explain", "print the physical plan of every query in a .sql file", sl_cmd_explain},
	{"check", "parse, bind and plan a .sql file; report every error", sl_cmd_check},
	{"run", "run the queries of a .sql file as a streaming job", sl_cmd_run},
	{"kafka-dev", "run a local mock Kafka cluster (in memory, for trying and tests)", sl_cmd_kafka_dev},
	{"kafka", "produce, consume, abort-lingering: small Kafka clients", sl_cmd_kafka},
};

static void
print_help(FILE *out)
{
	fprintf(out,
	        "sluice %s -- streaming SQL (a Flink SQL replacement) in C\n\n"
	        "usage: sluice COMMAND [OPTIONS] [ARGS]\n\n"
	        "commands:\n",
	        PACKAGE_VERSION);
	for (size_t i = 0; i < SL_ARRAY_LEN(commands); i++)
		fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
	fprintf(out,
	        "\noptions:\n"
	        "  -h, --help     show this help (also: sluice COMMAND --help)\n"
	        "  -V, --version  print versions and the active allocator\n");
}

/* Name the allocator that malloc() really is: with jemalloc linked, a
 * malloc() of 1 MiB must show up in jemalloc's per-thread counter. */
static void
print_allocator(void)
{
#ifndef SL_SANITIZERS
	const char *ver = NULL;
	size_t sz = sizeof ver;
	uint64_t before = 0, after = 0;
	size_t usz = sizeof before;
	void *volatile p; /* volatile: the compiler must not elide the pair */

	if (mallctl("version", &ver, &sz, NULL, 0) != 0) {
		printf("allocator: system malloc (jemalloc not active)\n");
		return;
	}
	mallctl("thread.allocated", &before, &usz, NULL, 0);
	p = malloc(1 << 20);
	mallctl("thread.allocated", &after, &usz, NULL, 0);
	free(p);
	{
		ssize_t muzzy = 0;
		size_t msz = sizeof muzzy;
		const char *thp = "?";
		size_t tsz = sizeof thp;
		mallctl("opt.muzzy_decay_ms", &muzzy, &msz, NULL, 0);
		mallctl("opt.thp", &thp, &tsz, NULL, 0);
		printf("jemalloc %s (%s; muzzy_decay_ms %zd; thp %s)\n", ver,
		       after - before >= (1u << 20) ? "active allocator: malloc() is jemalloc"
		                                    : "linked, but malloc() is not jemalloc",
		       muzzy, thp);
	}
#else
	printf("allocator: sanitizer runtime (jemalloc is not linked in sanitizer builds)\n");
#endif
}

void
sl_cli_print_version(void)
{
	printf("sluice %s\n", PACKAGE_VERSION);
	printf("librdkafka %s\n", rd_kafka_version_str());
	printf("rocksdb %s\n", SL_ROCKSDB_VERSION);
	print_allocator();
}

int
main(int argc, char **argv)
{
	const char *cmd;
	const char *names[SL_ARRAY_LEN(commands)];
	const char *near;

	if (argc < 2) {
		print_help(stderr);
		return 2;
	}
	cmd = argv[1];
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0 || strcmp(cmd, "version") == 0) {
		sl_cli_print_version();
		return 0;
	}
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		print_help(stdout);
		return 0;
	}
	for (size_t i = 0; i < SL_ARRAY_LEN(commands); i++) {
		names[i] = commands[i].name;
		if (commands[i].main && strcmp(cmd, commands[i].name) == 0)
			return commands[i].main(argc - 1, argv + 1);
	}
	if (cmd[0] == '-') {
		sl_cli_usage_error("unknown option \"%s\"", cmd);
		fprintf(stderr, "hint: run \"sluice --help\" for the list of commands and options\n");
		return 2;
	}
	sl_cli_usage_error("unknown command \"%s\"", cmd);
	near = sl_suggest(cmd, names, SL_ARRAY_LEN(names));
	if (near)
		fprintf(stderr, "hint: did you mean \"%s\"?\n", near);
	else
		fprintf(stderr, "hint: run \"sluice --help\" for the list of commands\n");
	return 2;
}
