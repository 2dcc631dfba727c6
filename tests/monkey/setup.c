/*
 * setup.c: the store every monkey run copies: 'dossier demo --cases 30',
 * then a case whose text is hostile; each run's copy of it.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "monkey.h"

/* A copy of the demonstration directory, less Berkeley DB's regions. */
void
copy_store(const char *from, const char *to)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 sb;
	char		*a, *b, buf[65536];
	ssize_t		 n;
	int		 in, out;

	if (mkdir(to, 02770) != 0 || chmod(to, 02770) != 0)
		fatal("mkdir %s: %s", to, strerror(errno));
	own(to);
	if ((d = opendir(from)) == NULL)
		fatal("%s: %s", from, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || strncmp(de->d_name, "__db.", 5) == 0)
			continue;
		a = path_join(from, de->d_name);
		b = path_join(to, de->d_name);
		if ((in = open(a, O_RDONLY)) == -1 || fstat(in, &sb) != 0 ||
		    (out = open(b, O_WRONLY|O_CREAT|O_EXCL, sb.st_mode & 0777))
		    == -1)
			fatal("copy %s: %s", a, strerror(errno));
		while ((n = read(in, buf, sizeof buf)) > 0)
			if (write(out, buf, (size_t)n) != n)
				fatal("copy %s: %s", b, strerror(errno));
		close(in);
		close(out);
		own(b);
		free(a);
		free(b);
	}
	closedir(d);
}

/*
 * A copy of a file or a tree (the binary, forms, key maps, catalogues)
 * that nobody can reach: run as root, the programs run as nobody, and
 * the build may sit under a directory only root can enter (/root, or a
 * mktemp -d directory, as in .ci/run).
 */
void
copy_tree(const char *from, const char *to)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 sb;
	char		*a, *b, buf[65536];
	ssize_t		 n;
	int		 in, out;

	if (stat(from, &sb) != 0)
		fatal("%s: %s", from, strerror(errno));
	if (S_ISDIR(sb.st_mode)) {
		if (mkdir(to, 0755) != 0)
			fatal("mkdir %s: %s", to, strerror(errno));
		own(to);
		if ((d = opendir(from)) == NULL)
			fatal("%s: %s", from, strerror(errno));
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			a = path_join(from, de->d_name);
			b = path_join(to, de->d_name);
			copy_tree(a, b);
			free(a);
			free(b);
		}
		closedir(d);
		return;
	}
	if (!S_ISREG(sb.st_mode))
		return;
	if ((in = open(from, O_RDONLY)) == -1 || (out = open(to,
	    O_WRONLY|O_CREAT|O_EXCL, (sb.st_mode & 0111) ? 0755 : 0644)) == -1)
		fatal("copy %s: %s", from, strerror(errno));
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n)
			fatal("copy %s: %s", to, strerror(errno));
	if (n < 0)
		fatal("copy %s: %s", from, strerror(errno));
	close(in);
	close(out);
	own(to);
}

/* A passphrase of the demonstration's users, or NULL. */
char *
run_demo_pass(const char *user)
{
	char	*path = path_join(template_dir, "demo-users.txt");
	char	 name[64], role[64], pass[256];
	FILE	*f;

	if ((f = fopen(path, "r")) == NULL)
		fatal("%s: %s", path, strerror(errno));
	free(path);
	while (fscanf(f, "%63s %63s %255s", name, role, pass) == 3)
		if (strcmp(name, user) == 0 || (strcmp(user, "admin") == 0 &&
		    strcmp(role, "admin") == 0)) {
			fclose(f);
			return (strdup(pass));
		}
	fclose(f);
	return (NULL);
}

/*
 * Text no terminal should receive raw: escape sequences (clear, colour,
 * title, a C1 CSI), control characters, a right-to-left override.
 */
#define HOSTILE	"\033[2J\033[31mrouge\033]0;titre\007 \302\233" "6n " \
	"\001\002\010\177\t\342\200\256gauche"

/* One command as the demonstration user; its first output line, or fail. */
static char *
hostile_tool(char **envp, const char *user, char *const args[])
{
	char	*argv[40], *pass, *pw, *out, line[256], *nl;
	FILE	*f;
	size_t	 n = 0;
	int	 status, fd;

	pass = run_demo_pass(user);
	pw = path_join(scratch, "hostile.pw");
	if ((fd = open(pw, O_WRONLY|O_CREAT|O_TRUNC, 0600)) == -1 ||
	    dprintf(fd, "%s\n", pass) < 0)
		fatal("%s: %s", pw, strerror(errno));
	close(fd);
	own(pw);
	argv[n++] = (char *)dossier_bin;
	argv[n++] = (char *)"--data";
	argv[n++] = template_dir;
	argv[n++] = (char *)"--user";
	argv[n++] = (char *)user;
	argv[n++] = (char *)"--passphrase-file";
	argv[n++] = pw;
	while (*args != NULL && n < 39)
		argv[n++] = *args++;
	argv[n] = NULL;
	out = path_join(scratch, "hostile.out");
	status = run_tool(argv, envp, scratch, out);
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		print_file(out, "  | ", 20);
		fatal("the hostile case: '%s' fails", args[-1]);
	}
	line[0] = '\0';
	if ((f = fopen(out, "r")) != NULL) {
		if (fgets(line, sizeof line, f) == NULL)
			line[0] = '\0';
		fclose(f);
	}
	if ((nl = strchr(line, '\n')) != NULL)
		*nl = '\0';
	free(out);
	free(pw);
	free(pass);
	return (strdup(line));
}

/*
 * A case whose text is hostile, in the header, the complaint, people, a
 * witness, a hearing and the journal, assigned to both investigators: every
 * role sees some of it, so the output oracle has something to catch.
 */
static void
hostile_case(char **envp)
{
	char	*ref, *s;
	int	 i;

	{
		char	*a[] = { (char *)"case", (char *)"new", (char *)"--set",
		    (char *)"received=2026-11-20 09:30", (char *)"--set",
		    (char *)"channel=letter", (char *)"--set",
		    (char *)"filed_by=victim", (char *)"--set",
		    (char *)"facts_date=2026-11-18", (char *)"--set",
		    (char *)"region=kidal", (char *)"--set",
		    (char *)"force=garde", (char *)"--set",
		    (char *)"categories=integrity.threats", (char *)"--set",
		    (char *)"summary=" HOSTILE "\n" HOSTILE, (char *)"--set",
		    (char *)"locality=" HOSTILE, (char *)"--set",
		    (char *)"unit=" HOSTILE, (char *)"--set",
		    (char *)"agents_reported=" HOSTILE, NULL };

		ref = hostile_tool(envp, "awa", a);
	}
	{
		const char	*steps[][4] = {
			{ "move", "enregistree", "--reason", HOSTILE },
			{ "move", "examen_prealable", NULL, NULL },
			{ "assign", "ibrahim", NULL, NULL },
			{ "assign", "mariam", NULL, NULL },
			{ "move", "ouverte", "--reason", HOSTILE },
		};

		for (i = 0; i < 5; i++) {
			char	*a[] = { (char *)"case", (char *)steps[i][0],
			    ref, (char *)steps[i][1], (char *)steps[i][2],
			    (char *)steps[i][3], NULL };

			free(hostile_tool(envp, "oumar", a));
		}
	}
	{
		char	*a[][16] = {
			{ (char *)"case", (char *)"add", ref, (char *)"person",
			    (char *)"--set", (char *)"role=complainant",
			    (char *)"--set", (char *)"full_name=" HOSTILE,
			    (char *)"--set", (char *)"contact=" HOSTILE, NULL },
			{ (char *)"case", (char *)"add", ref, (char *)"person",
			    (char *)"--set", (char *)"role=agent",
			    (char *)"--set", (char *)"full_name=" HOSTILE,
			    (char *)"--set", (char *)"service_number=PN-1",
			    NULL },
			{ (char *)"case", (char *)"add", ref, (char *)"witness",
			    (char *)"--set", (char *)"full_name=" HOSTILE,
			    (char *)"--set", (char *)"location=" HOSTILE,
			    (char *)"--set", (char *)"role=direct", NULL },
			{ (char *)"case", (char *)"add", ref, (char *)"hearing",
			    (char *)"--set", NULL,	/* the witness, below */
			    (char *)"--set", (char *)"date=2026-11-25",
			    (char *)"--set", (char *)"statement=" HOSTILE,
			    NULL },
		};

		char	 heard[64], *out, *w = NULL;

		/* The hearing names the witness by its record number. */
		for (i = 0; i < 4; i++) {
			if (i == 3) {
				snprintf(heard, sizeof heard, "heard=%s",
				    w != NULL ? w : "");
				a[3][5] = heard;
			}
			out = hostile_tool(envp, "ibrahim", a[i]);
			if (i == 2)
				w = out;
			else
				free(out);
		}
		free(w);
	}
	s = path_join(scratch, "hostile.pw");
	unlink(s);
	free(s);
	free(ref);
}

void
setup_store(char **envp)
{
	char	*demo[] = { (char *)dossier_bin, (char *)"--data", template_dir,
	    (char *)"demo", (char *)"--cases", (char *)"30", NULL };
	char	*out = path_join(scratch, "demo.out");
	int	 status;

	status = run_tool(demo, envp, scratch, out);
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		print_file(out, "  | ", 40);
		fatal("'dossier demo' fails");
	}
	free(out);
	hostile_case(envp);
}
