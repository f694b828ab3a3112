/* SPDX-License-Identifier: MIT
 * `tollgate key rotate` (svc_auth.h): add a key generation, then re-seal
 * every sealed OATH seed under it a page at a time. Each page is one short
 * transaction of compare-and-set updates, so readers never wait long and a
 * secret re-registered meanwhile is left alone. Older generations stay in
 * the key file: values sealed or digested under them keep opening
 * (docs/internals/keys.md, "Rotation"). */
#include <stdio.h>
#include <string.h>
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "crypto/keys.h"
#include "svc/svc_auth.h"
#include "svc/svc_auth_int.h"
#include "svc/svc_int.h"

#define RESEAL_PAGE 256

struct page {
	struct store_sealed v[RESEAL_PAGE];
	size_t n;
};

static int collect_sealed(const struct store_sealed *s, void *arg)
{
	struct page *p = arg;
	p->v[p->n++] = *s;
	return 0;
}

/* Re-seal one page; advances *after to its last id. */
static int reseal_page(struct svc *sv, const struct keys *k, struct page *p,
                       struct svc_key_report *rep)
{
	int r = store_tx_begin(sv->store);
	if (r)
		return svc_store_fail(sv, r, "re-sealing secrets");
	for (size_t i = 0; i < p->n && !r; i++) {
		struct store_sealed *s = &p->v[i];
		if (keys_sealed_is_current(k, s->secret, s->secret_len)) {
			rep->current++;
			continue;
		}
		char aad[SVC_AUTH_AAD_SIZE];
		size_t aad_len = svc_auth_aad(aad, s->tenant_id, s->user_id, s->method_id);
		uint8_t fresh[STORE_MAX_SEALED];
		size_t fresh_len = 0;
		int c = keys_reseal(k, aad, aad_len, s->secret, s->secret_len, fresh, sizeof fresh,
		                    &fresh_len);
		if (c) {
			log_error("the secret of method %s does not open with any key generation; "
			          "left as it is (the user must register again)", s->method_id);
			rep->failed++;
			continue;
		}
		r = store_sealed_replace(sv->store, s->method_id, s->secret, s->secret_len, fresh,
		                         fresh_len);
		tg_wipe(fresh, sizeof fresh);
		if (r == TG_ERR_CONFLICT) {
			rep->changed++;
			r = TG_OK;
		} else if (!r) {
			rep->resealed++;
		}
	}
	if (!r)
		r = store_tx_commit(sv->store);
	if (r) {
		store_tx_rollback(sv->store);
		return svc_store_fail(sv, r, "re-sealing secrets");
	}
	return TG_OK;
}

int svc_key_rotate(struct svc *sv, const char *key_path, bool reseal_only,
                   struct svc_key_report *rep)
{
	memset(rep, 0, sizeof *rep);
	int r;
	uint8_t id = 0;
	if (!reseal_only) {
		r = keys_rotate_file(key_path, &id);
		if (r == TG_ERR_LIMIT)
			return svc_fail(sv, r, "the key file already has generation 255, the last one");
		if (r)
			return svc_fail(sv, r, "cannot add a key generation to %s: %s", key_path,
			                tg_strerror(r));
	}
	struct keys *k = NULL;
	if ((r = keys_load(key_path, &k)))
		return svc_fail(sv, r, "cannot load the master key file %s: %s", key_path,
		                tg_strerror(r));
	rep->generation = keys_current_id(k);
	struct page *p = xcalloc(1, sizeof *p);
	char after[TG_ID_BUF] = "";
	do {
		p->n = 0;
		r = store_sealed_list(sv->store, after, RESEAL_PAGE, collect_sealed, p);
		if (r) {
			svc_store_fail(sv, r, "reading sealed secrets");
			break;
		}
		if (p->n == 0)
			break;
		tg_strlcpy(after, p->v[p->n - 1].method_id, sizeof after);
		r = reseal_page(sv, k, p, rep);
	} while (!r && p->n == RESEAL_PAGE);
	tg_secret_free(p, sizeof *p);
	keys_free(k);
	if (r)
		return r;
	char detail[200];
	snprintf(detail, sizeof detail, "{\"generation\":%u,\"resealed\":%zu,\"failed\":%zu}",
	         rep->generation, rep->resealed, rep->failed);
	if ((r = svc_audit(sv, "", reseal_only ? "key.reseal" : "key.rotate", "master key", "",
	                   detail)))
		return r;
	if (rep->failed)
		return svc_fail(sv, TG_ERR_CRYPTO, "%zu secret%s would not open with the master key "
		                "file (see the log); the rest are sealed under generation %u",
		                rep->failed, rep->failed == 1 ? "" : "s", rep->generation);
	(void)id;
	return TG_OK;
}
