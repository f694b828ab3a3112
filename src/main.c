/* SPDX-License-Identifier: MIT
 * tollgate — entry point; everything happens in the CLI layer. */
#include "cli/cli.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
