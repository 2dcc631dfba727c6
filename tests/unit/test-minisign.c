/*
 * test-minisign.c: minisign's formats, against golden files and against
 * the real minisign tool.
 *
 * tests/golden/test.pub is the public key of the test key pair, made from
 * a fixed seed (32 bytes of 0x42); tests/golden/summary.txt.minisig is
 * the signature of summary.txt with the trusted comment below.  Ed25519
 * is deterministic, so both must come out byte for byte.  Run with
 * DOSSIER_WRITE_GOLDEN=1 to write them anew (only when the format is
 * meant to change).
 */
#include "config.h"

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "export.h"
#include "helpers.h"
#include "minisign.h"
#include "util.h"
#include "vault.h"

#define TRUSTED	"dossier case ISSPC-2026-0003 exported by fatou (golden test)"

static char *
golden(const char *name)
{
	const char	*top = getenv("top_srcdir");
	char		*p;

	xasprintf(&p, "%s/tests/golden/%s", top != NULL ? top : "..", name);
	return (p);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE	*f;
	char	*buf;
	long	 n;

	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("cannot read %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = xmalloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len != NULL)
		*len = (size_t)n;
	return (buf);
}

static void
spit(const char *path, const void *data, size_t len)
{
	FILE	*f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static struct vault_identity *
test_identity(void)
{
	uint8_t	 seed[VAULT_SEED_LEN];

	memset(seed, 0x42, sizeof seed);
	return (vault_identity_from_seed(seed));
}

static void
minisign__matches__the_golden_files(void **state)
{
	struct vault_identity	*id = test_identity();
	uint8_t			 hash[VAULT_HASH512_LEN];
	char			*sp = golden("summary.txt"), *pubp = golden("test.pub");
	char			*sigp = golden("summary.txt.minisig");
	char			*text, *pub, *sig;
	size_t			 len;

	(void)state;
	text = slurp(sp, &len);
	vault_hash512(text, len, hash);
	pub = minisign_pubkey(vault_identity_keyid(id),
	    vault_identity_sign_pk(id));
	sig = minisign_sign(id, hash, TRUSTED);
	if (getenv("DOSSIER_WRITE_GOLDEN") != NULL) {
		spit(pubp, pub, strlen(pub));
		spit(sigp, sig, strlen(sig));
	}
	free(text);
	text = slurp(pubp, NULL);
	assert_string_equal(pub, text);
	free(text);
	text = slurp(sigp, NULL);
	assert_string_equal(sig, text);
	free(text);
	free(pub);
	free(sig);
	free(sp);
	free(pubp);
	free(sigp);
	vault_identity_free(id);
}

/* Copy the golden pair into dir, optionally changing one thing. */
static char *
copy_pair(const char *dir, const char *name, int what)
{
	char	*src = golden("summary.txt"), *ssig = golden("summary.txt.minisig");
	char	*dst, *dsig, *text, *sig, *p;
	size_t	 len;

	xasprintf(&dst, "%s/%s", dir, name);
	xasprintf(&dsig, "%s/%s.minisig", dir, name);
	text = slurp(src, &len);
	sig = slurp(ssig, NULL);
	if (what == 1)
		text[len / 2] ^= 0x01;			/* one byte of the file */
	else if (what == 2) {
		p = strchr(sig, '\n') + 20;		/* the signature line */
		*p = *p == 'A' ? 'B' : 'A';
	} else if (what == 3) {
		p = strstr(sig, "fatou");		/* the trusted comment */
		p[0] = 'F';
	}
	spit(dst, text, len);
	spit(dsig, sig, strlen(sig));
	free(text);
	free(sig);
	free(src);
	free(ssig);
	free(dsig);
	return (dst);
}

static void
minisign__refuses__tampered_copies(void **state)
{
	struct vault_identity	*id = test_identity();
	char			*dir = helper_tmpdir(), *path, *cause = NULL, *tc;
	const char		*expect[] = { NULL, "file was changed",
	    "file was changed", "trusted comment was changed" };
	int			 what;

	(void)state;
	for (what = 0; what < 4; what++) {
		path = copy_pair(dir, what == 0 ? "good.txt" : "bad.txt", what);
		if (what == 0) {
			if (export_verify(path, vault_identity_keyid(id),
			    vault_identity_sign_pk(id), &tc, &cause) != 0)
				fail_msg("%s", cause);
			assert_string_equal(tc, TRUSTED);
			free(tc);
		} else {
			assert_int_equal(export_verify(path,
			    vault_identity_keyid(id), vault_identity_sign_pk(id),
			    &tc, &cause), -1);
			if (strstr(cause, expect[what]) == NULL)
				fail_msg("case %d: %s", what, cause);
			free(cause);
			cause = NULL;
		}
		unlink(path);
		free(path);
	}
	helper_rmrf(dir);
	free(dir);
	vault_identity_free(id);
}

/* minisign -Vm FILE -p KEY; 0 when it verifies. */
static int
run_minisign(const char *file, const char *pub)
{
	pid_t	 pid;
	int	 status, fd;

	if ((pid = fork()) == 0) {
		fd = open("/dev/null", O_WRONLY);
		dup2(fd, 1);
		dup2(fd, 2);
		execlp("minisign", "minisign", "-Vm", file, "-p", pub,
		    (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		fail_msg("minisign is not installed (bootstrap installs it)");
	return (WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

static void
minisign__the_real_tool__agrees(void **state)
{
	char	*dir = helper_tmpdir(), *path, *pub = golden("test.pub");
	int	 what;

	(void)state;
	for (what = 0; what < 4; what++) {
		path = copy_pair(dir, "f.txt", what);
		if (what == 0)
			assert_int_equal(run_minisign(path, pub), 0);
		else
			assert_int_not_equal(run_minisign(path, pub), 0);
		free(path);
	}
	helper_rmrf(dir);
	free(dir);
	free(pub);
}

static void
minisign__parses__keys_and_refuses_junk(void **state)
{
	uint8_t	 keyid[8], pk[32];
	char	*pub = golden("test.pub"), *text, *cause = NULL;
	struct minisign_sig sig;

	(void)state;
	text = slurp(pub, NULL);
	assert_int_equal(minisign_pubkey_parse(text, keyid, pk, &cause), 0);
	free(text);
	free(pub);
	assert_int_equal(minisign_pubkey_parse("junk", keyid, pk, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(minisign_pubkey_parse("untrusted comment: x\n"
	    "RWQ=\n", keyid, pk, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(minisign_sig_parse("untrusted comment: x\nAAAA\n"
	    "trusted comment: y\nAAAA\n", &sig, &cause), -1);
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(minisign__matches__the_golden_files),
		cmocka_unit_test(minisign__refuses__tampered_copies),
		cmocka_unit_test(minisign__the_real_tool__agrees),
		cmocka_unit_test(minisign__parses__keys_and_refuses_junk),
	};

	if (vault_init(NULL) != 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
