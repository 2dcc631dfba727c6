/*
 * driver.c: replay fuzz inputs without libFuzzer: each argument is a file
 * or a directory of files, each file one input.  Exit 0 when every input
 * ran (a crash or a sanitizer report ends the program with an error).
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static int
run_file(const char *path)
{
	FILE	*f;
	uint8_t	*buf;
	long	 n;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "cannot read %s\n", path);
		return (-1);
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(buf);
		return (-1);
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	return (0);
}

int
main(int argc, char **argv)
{
	struct stat	 sb;
	struct dirent	*de;
	DIR		*d;
	char		 path[4096];
	int		 i, n = 0;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &sb) != 0)
			return (1);
		if (!S_ISDIR(sb.st_mode)) {
			if (run_file(argv[i]) != 0)
				return (1);
			n++;
			continue;
		}
		if ((d = opendir(argv[i])) == NULL)
			return (1);
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof path, "%s/%s", argv[i], de->d_name);
			if (run_file(path) != 0)
				return (1);
			n++;
		}
		closedir(d);
	}
	printf("%s: %d inputs\n", argv[0], n);
	return (n > 0 ? 0 : 1);
}
