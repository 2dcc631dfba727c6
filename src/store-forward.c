/*
 * store-forward.c: audit entries made at a replica reach the master.
 *
 * Signing in, seeing a witness, exporting or running statistics leave an
 * entry in the audit log, and a replica cannot write: the log is the
 * master's.  A process at a replica signs its entry as it would at the
 * master and leaves it in the outbox (DIR/audit.out/NAME.msg, hex); the
 * replica's 'dossier serve', which alone speaks to the other sites,
 * sends it to the master on a Replication Manager channel.  The master's
 * serve hands it to the handler its caller set (audit-forward.c checks
 * the signature and appends the entry); a refusal comes back as a
 * sentence, left in NAME.err for the process that waits.  That process
 * waits until the entry reaches it through replication: until then it
 * shows nothing.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "store-int.h"
#include "store-site.h"
#include "util.h"
#include "vault.h"

#define FORWARD_DIR	"audit.out"
#define FORWARD_MAX	65536		/* bytes of one entry */
#define FORWARD_TIMEOUT	10000000	/* us: the master's answer */
#define FORWARD_STALE	120		/* s: no one waits for it any more */
#define FORWARD_BATCH	32		/* entries sent per poll */
#define FORWARD_LATER	'\2'		/* the master's answer: send it again */

static int
forward_name_ok(const char *name)
{
	size_t	 i;

	for (i = 0; name[i] != '\0'; i++)
		if ((name[i] < '0' || name[i] > '9') &&
		    (name[i] < 'a' || name[i] > 'f'))
			return (0);
	return (i >= 16 && i <= 64);
}

/* A process at a replica: leave the entry for serve. */
int
store_forward_send(struct store *s, const char *name, const uint8_t *msg,
    size_t len, char **cause)
{
	char	*dir, *file, *hex;
	int	 rc;

	if (!forward_name_ok(name) || len > FORWARD_MAX)
		return (err_set(cause, _("An audit entry cannot be sent to the "
		    "master: it is too large.")));
	xasprintf(&dir, "%s/%s", s->dir, FORWARD_DIR);
	if (mkdir(dir, 0770) != 0 && errno != EEXIST) {
		rc = err_set(cause, _("Cannot make %s: %s."), dir,
		    strerror(errno));
		free(dir);
		return (rc);
	}
	free(dir);
	hex = vault_hex(msg, len);
	xasprintf(&file, "%s/%s.msg", FORWARD_DIR, name);
	rc = site_file_write(s->dir, file, hex, 0660, cause);
	free(file);
	free(hex);
	return (rc);
}

/* Whether the master refused the entry (its sentence in *cause). */
int
store_forward_refused(struct store *s, const char *name, char **cause)
{
	char	*path, buf[1024];
	ssize_t	 n;
	size_t	 i;
	int	 fd;

	if (!forward_name_ok(name))
		return (0);
	xasprintf(&path, "%s/%s/%s.err", s->dir, FORWARD_DIR, name);
	fd = open(path, O_RDONLY|O_NOFOLLOW|O_NONBLOCK|O_CLOEXEC);
	if (fd == -1) {
		free(path);
		return (0);
	}
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	unlink(path);
	free(path);
	if (n <= 0)
		n = 0;
	buf[n] = '\0';
	for (i = 0; i < (size_t)n; i++)	/* it is shown on a terminal */
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			buf[i] = ' ';
	return (err_set(cause, _("The master did not record this in the audit "
	    "log, so nothing is shown: %s"), n > 0 ? buf : "?"));
}

void
store_forward_drop(struct store *s, const char *name)
{
	char	*path;

	if (!forward_name_ok(name))
		return;
	xasprintf(&path, "%s/%s/%s.msg", s->dir, FORWARD_DIR, name);
	unlink(path);
	free(path);
	xasprintf(&path, "%s/%s/%s.err", s->dir, FORWARD_DIR, name);
	unlink(path);
	free(path);
}

void
store_forward_handler(struct store *s, store_forward_fn fn)
{
	s->forward_fn = fn;
}

/* Read one outbox file: the entry, or NULL (stale, damaged, too large). */
static uint8_t *
forward_read(const char *path, size_t *len)
{
	struct stat	 sb;
	char		*hex;
	uint8_t		*msg;
	ssize_t		 n;
	int		 fd;

	fd = open(path, O_RDONLY|O_NOFOLLOW|O_NONBLOCK|O_CLOEXEC);
	if (fd == -1)
		return (NULL);
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > 2 * FORWARD_MAX || sb.st_size == 0 ||
	    time(NULL) - sb.st_mtime > FORWARD_STALE) {
		close(fd);
		return (NULL);
	}
	hex = xmalloc((size_t)sb.st_size + 1);
	n = read(fd, hex, (size_t)sb.st_size);
	close(fd);
	if (n != sb.st_size) {
		free(hex);
		return (NULL);
	}
	hex[n] = '\0';
	msg = xmalloc((size_t)n / 2 + 1);
	if (vault_unhex(hex, msg, (size_t)n / 2, len) != 0) {
		free(msg);
		msg = NULL;
	}
	free(hex);
	return (msg);
}

/*
 * Send one entry to the master: 0 answered (accepted, or refused with a
 * sentence in *why), 1 no answer (try again later).
 */
static int
forward_one(struct store *s, const uint8_t *msg, size_t len, char **why)
{
	DB_CHANNEL	*ch;
	DBT		 req[2], resp;
	const char	*r;
	int		 ret;

	*why = NULL;
	if (s->env->repmgr_channel(s->env, DB_EID_MASTER, &ch, 0) != 0)
		return (1);
	memset(req, 0, sizeof req);
	req[0].data = (void *)STORE_FORWARD_TAG;
	req[0].size = sizeof STORE_FORWARD_TAG;
	req[1].data = (void *)msg;
	req[1].size = (u_int32_t)len;
	memset(&resp, 0, sizeof resp);
	resp.flags = DB_DBT_MALLOC;
	ret = ch->send_request(ch, req, 2, &resp, FORWARD_TIMEOUT, 0);
	ch->close(ch, 0);
	if (ret != 0)
		return (1);
	r = resp.data;
	if (resp.size >= 1 && r[0] == FORWARD_LATER) {
		free(resp.data);
		return (1);
	}
	if (resp.size == 0 || r[0] != '\0')
		xasprintf(why, "%.*s", resp.size > 1 ? (int)resp.size - 1 : 1,
		    resp.size > 1 ? r + 1 : "?");
	free(resp.data);
	return (0);
}

/* serve at a replica: send what waits in the outbox. */
void
store_forward_poll(struct store *s)
{
	DIR		*d;
	struct dirent	*de;
	char		*dir, *path, *why, name[80], *errname;
	uint8_t		*msg;
	size_t		 len, nlen;
	int		 sent = 0, master, eid;

	if (s->site == NULL || s->env == NULL || !s->rep_started ||
	    site_role(s, &master, &eid) != 0 || master || eid < 0)
		return;
	xasprintf(&dir, "%s/%s", s->dir, FORWARD_DIR);
	if ((d = opendir(dir)) == NULL) {
		free(dir);
		return;
	}
	while (sent < FORWARD_BATCH && (de = readdir(d)) != NULL) {
		nlen = strlen(de->d_name);
		if (nlen < 5 || nlen >= sizeof name ||
		    strcmp(de->d_name + nlen - 4, ".msg") != 0)
			continue;
		memcpy(name, de->d_name, nlen - 4);
		name[nlen - 4] = '\0';
		if (!forward_name_ok(name))
			continue;
		xasprintf(&path, "%s/%s", dir, de->d_name);
		if ((msg = forward_read(path, &len)) == NULL) {
			unlink(path);	/* stale or damaged: no one waits */
			free(path);
			continue;
		}
		sent++;
		if (forward_one(s, msg, len, &why) != 0) {
			free(msg);
			free(path);
			break;		/* the master does not answer now */
		}
		free(msg);
		unlink(path);
		free(path);
		if (why != NULL) {
			xasprintf(&errname, "%s/%s.err", FORWARD_DIR, name);
			if (site_file_write(s->dir, errname, why, 0660,
			    NULL) != 0)
				store_site_note(s, "%s", why);
			free(errname);
			free(why);
		}
	}
	closedir(d);
	free(dir);
}

/*
 * The master's message thread: append a replica's entry, or say why not,
 * or that it comes too early (the master's serve is still starting, or
 * reopens the environment after another process's recovery): the
 * replica keeps it and sends it again.
 */
void
store_forward_receive(struct store *s, DB_CHANNEL *ch, const DBT *req,
    u_int32_t nreq)
{
	DBT	 resp;
	char	*cause = NULL, *text;
	int	 rc, master, eid;

	/* Panicked, not reopened yet: its role cannot be read now. */
	if (store_enter(s, 0) != 0)
		rc = STORE_BUSY;
	else if (atomic_load(&s->panic) || s->env == NULL ||
	    site_role(s, &master, &eid) != 0) {
		store_leave(s);
		rc = STORE_BUSY;
	} else {
		if (nreq != 2 || req[1].size == 0 || req[1].size > FORWARD_MAX)
			rc = err_set(&cause, _("the entry is damaged."));
		else if (!master)
			rc = err_set(&cause, _("the site it reached is no "
			    "longer the master."));
		else if (s->forward_fn == NULL)
			rc = STORE_BUSY;
		else
			rc = s->forward_fn(s, req[1].data, req[1].size,
			    &cause);
		store_leave(s);
	}
	if (rc == 0)
		xasprintf(&text, "%c", '\0');
	else if (rc == STORE_BUSY)
		xasprintf(&text, "%c", FORWARD_LATER);
	else
		xasprintf(&text, "%c%s", '\1', cause != NULL ? cause : "?");
	memset(&resp, 0, sizeof resp);
	resp.data = text;
	resp.size = rc == 0 ? 1 : (u_int32_t)strlen(text + 1) + 1;
	ch->send_msg(ch, &resp, 1, 0);
	free(text);
	free(cause);
}
