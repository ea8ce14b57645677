/*
 * cli.h
 *	  The sluice command: one entry per subcommand, each in cli/cmd_*.c.
 */
#ifndef SL_CLI_H
#define SL_CLI_H

#include "common/common.h"

/* A subcommand. argv[0] is the subcommand's name; returns the exit status
 * (0 ok, 1 user error such as a bad query, 2 usage error). */
typedef struct sl_cli_command {
	const char *name;     /* "explain" */
	const char *summary;  /* one line for --help */
	int (*main)(int argc, char **argv);
} sl_cli_command;

/* Print "sluice: error: MSG" (+ "hint: did you mean ...") to stderr. */
void sl_cli_usage_error(const char *fmt, ...) SL_PRINTF(1, 2);

/* Read a whole file into a malloc'ed, NUL-terminated buffer. On failure
 * prints "sluice: error: cannot read FILE: REASON" and returns NULL. */
char *sl_cli_read_file(const char *path, size_t *lenp);

/* The versions line block of --version (also used by tests). */
void sl_cli_print_version(void);

/* Subcommands (cli/cmd_*.c). */
int sl_cli_gen_main(int, char**);
int sl_cmd_explain(int argc, char **argv);  /* cli/cmd_explain.c */
int sl_cmd_check(int argc, char **argv);    /* cli/cmd_explain.c */
int sl_cmd_run(int argc, char **argv);      /* cli/cmd_run.c */
int sl_cmd_kafka_dev(int argc, char **argv); /* cli/cmd_kafka.c */
int sl_cmd_kafka(int argc, char **argv);     /* cli/cmd_kafka.c */

#endif /* SL_CLI_H */
