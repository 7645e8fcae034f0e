/*
 * retort keygen FILE: a new Ed25519 signing key pair, the secret key in FILE
 * (mode 0600) and the public key in FILE.pub, neither ever overwritten; prints
 * the public key's fingerprint. Formats: docs/file-formats.md, "Signing keys".
 */
#include "cli.h"
#include "retort/sign.h"

static int run(struct cli_ctx *ctx, const rt_strv *args, rt_error *err)
{
	const char *secret_path = args->v[0];
	rt_buf pub = RT_BUF_INIT, text = RT_BUF_INIT;
	rt_buf_printf(&pub, "%s.pub", secret_path);
	rt_sign_public pk;
	int rc = rt_sign_keygen_files(secret_path, rt_buf_cstr(&pub), &pk, err);
	if (rc == RT_OK) {
		char fpr[RT_SIGN_FINGERPRINT_LEN + 1];
		rt_sign_fingerprint(fpr, &pk);
		rt_buf_printf(&text, "wrote %s (secret) and %s; fingerprint %s\n", secret_path,
		              rt_buf_cstr(&pub), fpr);
		cli_emit(ctx, &(struct cli_event){
			.name = "key_generated",
			.fields = CLI_FIELDS(CLI_STR("secret_path", secret_path),
			                     CLI_STR("public_path", rt_buf_cstr(&pub)),
			                     CLI_STR("fingerprint", fpr)),
			.text = rt_buf_cstr(&text),
			.text_flags = CLI_TEXT_ALWAYS,
		});
	}
	rt_buf_release(&pub);
	rt_buf_release(&text);
	return rc;
}

const struct cli_cmd cli_cmd_keygen = {
	.name = "keygen",
	.args = "FILE",
	.summary = "write a new signing key pair: FILE (secret, 0600) and FILE.pub",
	.min_args = 1,
	.max_args = 1,
	.db = CLI_DB_NONE,
	.run = run,
};
