/* retort command-line entry point (placeholder until the CLI lands). */
#include <stdio.h>
#include <string.h>

#include "retort/common.h"

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("retort %s\n", RT_VERSION);
		return 0;
	}
	fputs("usage: retort [OPTIONS] COMMAND [ARGS]\n", stderr);
	return 2;
}
