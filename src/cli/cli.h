/* SPDX-License-Identifier: MIT
 * The tollgate command line: global options and the subcommand table. */
#ifndef TG_CLI_CLI_H
#define TG_CLI_CLI_H

/* Parse argv, run the subcommand, return the process exit status. */
int cli_main(int argc, char **argv);

#endif
