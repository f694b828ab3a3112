/* SPDX-License-Identifier: MIT
 * The token endpoint (RFC 6749 §3.2, OIDC Core §3.1.3): the authorization
 * code grant with PKCE, rotating refresh tokens whose every use re-runs
 * the sign-in decision, and client_credentials for app-only tokens.
 * Errors are RFC 6749 §5.2 JSON with no-store headers; no failure ever
 * yields a token. Sections: answers, code, refresh, client credentials,
 * the handler. */
#include <string.h>
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "json/oidc_json.h"
#include "http/http_oidc.h"
#include "http/http_reply.h"
#include "http/http_route.h"
#include "svc/svc_flow.h"
#include "svc/svc_oidc.h"

/* ---- answers ---------------------------------------------------------------- */

/* The successful answer: tk's tokens, the refresh token (may be "") and
 * the granted scope. */
static int reply_tokens(struct http_req *r, const struct svc_jwt_tokens *tk, const char *scope,
                        const char *refresh)
{
	return http_oidc_reply_json_take(r, 200, oidc_token_response_json(
		tk->access_token, tk->expires_in, scope, tk->id_token,
		refresh && refresh[0] ? refresh : NULL));
}

/* A svc error while issuing: the user vanished or was disabled since the
 * grant (invalid_grant), else a server error. */
static int reply_issue_failed(struct http_req *r, struct oidc_call *oc, int e)
{
	log_info("request %s: no tokens issued: %s", r->request_id, oc->c->sv.err);
	if (e == TG_ERR_NOT_FOUND || e == TG_ERR_DISABLED)
		return http_oidc_reply_error(r, 400, OIDC_ERR_INVALID_GRANT,
		                             "The user no longer exists or is disabled.", false);
	return http_oidc_reply_error(r, 500, OIDC_ERR_SERVER_ERROR, "Tokens could not be issued.",
	                             false);
}

/* ---- authorization code (RFC 6749 §4.1.3, RFC 7636 §4.5) ----------------------- */

static int grant_code(struct http_req *r, struct oidc_call *oc, const struct form *f,
                      const struct store_app *app)
{
	const char *code = form_get(f, "code");
	const char *redirect_uri = form_get(f, "redirect_uri");
	if (!code || !redirect_uri)
		return http_oidc_reply_error(r, 400, OIDC_ERR_INVALID_REQUEST,
		                             "The code and redirect_uri parameters are required.", false);
	if (!svc_app_allows_grant(app, STORE_GRANT_AUTHORIZATION_CODE))
		return http_oidc_reply_error(r, 400, OIDC_ERR_UNAUTHORIZED_CLIENT,
		                             "The client may not use the authorization code grant.", false);
	struct store_code sc;
	int e = svc_code_redeem(&oc->c->oidc, &oc->t, code, app->id, redirect_uri,
	                        form_get(f, "code_verifier"), &sc);
	if (e) {
		log_info("request %s: code refused: %s", r->request_id, oc->c->sv.err);
		if (e == TG_ERR_DENIED || e == TG_ERR_EXPIRED || e == TG_ERR_REPLAY)
			return http_oidc_reply_error(r, 400, OIDC_ERR_INVALID_GRANT,
				e == TG_ERR_REPLAY ? "The authorization code was already used; "
				"the tokens issued from it are revoked." :
				e == TG_ERR_EXPIRED ? "The authorization code has expired." :
				"The authorization code is not valid for this client, redirect_uri "
				"and code_verifier.", false);
		return http_oidc_reply_error(r, 500, OIDC_ERR_SERVER_ERROR,
		                             "The code could not be redeemed.", false);
	}
	struct svc_jwt_grant g = {
		.app = app, .user_id = sc.user_id, .scope = sc.scope, .nonce = sc.nonce,
		.amr = sc.amr, .auth_time = sc.auth_time, .sid = sc.session_id,
		.id_token = oidc_scope_has(sc.scope, "openid"),
	};
	struct svc_jwt_tokens tk;
	if ((e = svc_jwt_issue(&oc->c->sv, &oc->jc, &g, &tk)))
		return reply_issue_failed(r, oc, e);
	char refresh[SVC_TOKEN_SIZE] = "";
	if (oidc_scope_has(sc.scope, "offline_access") &&
	    svc_app_allows_grant(app, STORE_GRANT_REFRESH_TOKEN)) {
		struct svc_refresh_grant rg = {
			.family_id = sc.family_id, .client_id = app->id, .user_id = sc.user_id,
			.session_id = sc.session_id[0] ? sc.session_id : NULL, .scope = sc.scope,
			.amr = sc.amr, .acr = sc.acr, .auth_time = sc.auth_time,
			.mfa_time = sc.mfa_time, .mfa_methods = sc.mfa_methods,
		};
		if ((e = svc_refresh_issue(&oc->c->oidc, &oc->t, &rg, refresh, NULL))) {
			svc_jwt_tokens_cleanup(&tk);
			return reply_issue_failed(r, oc, e);
		}
	}
	log_info("request %s: tokens issued to %s for %s (code)", r->request_id, app->id, tk.upn);
	e = reply_tokens(r, &tk, sc.scope, refresh);
	tg_wipe(refresh, sizeof refresh);
	svc_jwt_tokens_cleanup(&tk);
	return e;
}

/* ---- refresh token (RFC 6749 §6, RFC 9700 §4.14) ------------------------------------ */

/* The scope of a refresh: the original one, or the narrower one asked for
 * (§6: never wider). false when asked for a scope not granted. */
static bool refresh_scope(const char *asked, const char *granted, char *out, size_t size)
{
	if (!asked) {
		tg_strlcpy(out, granted, size);
		return true;
	}
	if (!oidc_scope_is_valid(asked))
		return false;
	size_t len = 0;
	out[0] = '\0';
	for (const char *p = asked; *p; ) {
		size_t n = strcspn(p, " ");
		char tok[TG_MAX_OIDC_SCOPE + 1];
		memcpy(tok, p, n);
		tok[n] = '\0';
		if (!oidc_scope_has(granted, tok))
			return false;
		if (!oidc_scope_has(out, tok) && len + n + 2 <= size) {
			if (len)
				out[len++] = ' ';
			memcpy(out + len, tok, n + 1);
			len += n;
		}
		p += n;
		while (*p == ' ')
			p++;
	}
	return true;
}

static int refresh_refused(struct http_req *r, struct oidc_call *oc, int e)
{
	log_info("request %s: refresh refused: %s", r->request_id, oc->c->sv.err);
	if (e == TG_ERR_REPLAY)
		return http_oidc_reply_error(r, 400, OIDC_ERR_INVALID_GRANT,
			"The refresh token was already used; every token of its family is revoked.",
			false);
	if (e == TG_ERR_DENIED || e == TG_ERR_EXPIRED || e == TG_ERR_NOT_FOUND)
		return http_oidc_reply_error(r, 400, OIDC_ERR_INVALID_GRANT,
		                             e == TG_ERR_EXPIRED ? "The refresh token has expired." :
		                             "The refresh token is not valid.", false);
	return http_oidc_reply_error(r, 500, OIDC_ERR_SERVER_ERROR,
	                             "The refresh token could not be used.", false);
}

/* Re-run the sign-in decision for the grant of rt (SPEC §2: an enabled
 * user meets MFA "at the next token refresh"). true when allowed;
 * otherwise the refusal is answered. */
static bool refresh_decide_or_reply(struct http_req *r, struct oidc_call *oc,
                                    const struct store_app *app, const struct store_refresh *rt)
{
	char ip[CIDR_STRLEN];
	http_client_ip(r, ip, NULL);
	struct svc_flow_check in = {
		.user_id = rt->family.user_id, .auth_time = rt->auth_time,
		.mfa_time = rt->mfa_time, .mfa_methods = rt->mfa_methods,
		.client_id = app->id,
		.client = app->is_public ? DECISION_CLIENT_MOBILE_DESKTOP : DECISION_CLIENT_BROWSER,
		.ip = ip[0] ? ip : NULL, .user_agent = http_req_header(r, "User-Agent"),
		.step_up_mfa = false, .refresh = true, .device_token = NULL,
		.request_id = r->request_id,
	};
	struct svc_flow_verdict v;
	int e = svc_flow_check_session(&oc->c->flow, &oc->t, &in, &v);
	if (!e && v.kind == SVC_FLOW_ALLOW)
		return true;
	char desc[400];
	log_info("request %s: refresh for %s refused by the decision: %d %s", r->request_id,
	         v.upn, v.error_code, v.reason);
	if (e == TG_ERR_NOT_FOUND || e == TG_ERR_DISABLED) {
		http_oidc_reply_error(r, 400, OIDC_ERR_INVALID_GRANT,
		                      "The user no longer exists or is disabled.", false);
	} else if (e) {
		http_oidc_reply_error(r, 500, OIDC_ERR_SERVER_ERROR,
		                      "The sign-in could not be evaluated.", false);
	} else if (v.outcome == DECISION_REAUTH_REQUIRED) {
		/* Entra answers a sign-in frequency expiry with invalid_grant */
		snprintf(desc, sizeof desc, "AADSTS%d: %s", v.error_code,
		         v.reason[0] ? v.reason : "The sign-in frequency requires a new sign-in.");
		http_oidc_reply_error(r, 400, OIDC_ERR_INVALID_GRANT, desc, false);
	} else if (v.kind == SVC_FLOW_INTERACTION) {
		snprintf(desc, sizeof desc, "AADSTS%d: %s", v.error_code,
		         v.reason[0] ? v.reason : "The user must sign in interactively.");
		http_oidc_reply_error(r, 400, OIDC_ERR_INTERACTION_REQUIRED, desc, false);
	} else {
		snprintf(desc, sizeof desc, "AADSTS%d: %s", v.error_code,
		         v.reason[0] ? v.reason : "The sign-in is blocked.");
		http_oidc_reply_error(r, 400, OIDC_ERR_INVALID_GRANT, desc, false);
	}
	return false;
}

static int grant_refresh(struct http_req *r, struct oidc_call *oc, const struct form *f,
                         const struct store_app *app)
{
	const char *token = form_get(f, "refresh_token");
	if (!token)
		return http_oidc_reply_error(r, 400, OIDC_ERR_INVALID_REQUEST,
		                             "The refresh_token parameter is required.", false);
	if (!svc_app_allows_grant(app, STORE_GRANT_REFRESH_TOKEN))
		return http_oidc_reply_error(r, 400, OIDC_ERR_UNAUTHORIZED_CLIENT,
		                             "The client may not use refresh tokens.", false);
	struct svc_oidc *o = &oc->c->oidc;
	struct store_refresh rt;
	char fresh[SVC_TOKEN_SIZE] = "";
	int e;
	/* Decide before spending the token, so that a refusal leaves it as it
	 * was (the app signs the user in interactively, then goes on). A token
	 * that is not active — rotated (reuse), another client's, expired — is
	 * handed to svc_refresh_rotate, which revokes what must be revoked and
	 * names the error. */
	bool rotated = false;
	if (svc_refresh_inspect(o, &oc->t, token, &rt) != TG_OK ||
	    strcmp(rt.family.client_id, app->id) != 0) {
		if ((e = svc_refresh_rotate(o, &oc->t, app->id, token, fresh, &rt)))
			return refresh_refused(r, oc, e);
		rotated = true;
	}
	char scope[TG_MAX_OIDC_SCOPE + 1];
	if (!refresh_scope(form_get(f, "scope"), rt.scope, scope, sizeof scope)) {
		e = http_oidc_reply_error(r, 400, OIDC_ERR_INVALID_SCOPE,
		                          "The scope asked for was not granted.", false);
		goto out;
	}
	if (!refresh_decide_or_reply(r, oc, app, &rt)) {
		e = TG_OK;
		goto out;
	}
	if (!rotated && (e = svc_refresh_rotate(o, &oc->t, app->id, token, fresh, &rt))) {
		e = refresh_refused(r, oc, e);
		goto out;
	}
	rotated = true;
	/* OIDC Core §12.2: the original auth_time, no nonce */
	struct svc_jwt_grant g = {
		.app = app, .user_id = rt.family.user_id, .scope = scope, .amr = rt.amr,
		.auth_time = rt.auth_time,
		.sid = rt.family.session_id[0] ? rt.family.session_id : NULL,
		.id_token = oidc_scope_has(scope, "openid"),
	};
	struct svc_jwt_tokens tk;
	if ((e = svc_jwt_issue(&oc->c->sv, &oc->jc, &g, &tk))) {
		e = reply_issue_failed(r, oc, e);
		goto out;
	}
	log_info("request %s: tokens refreshed for %s (%s)", r->request_id, tk.upn, app->id);
	e = reply_tokens(r, &tk, scope, fresh);
	svc_jwt_tokens_cleanup(&tk);
	rotated = false;                 /* handed over */
out:
	/* a successor made but not handed over is useless: end its family */
	if (rotated && fresh[0] && svc_refresh_revoke(o, &oc->t, app->id, fresh))
		log_warn("request %s: could not revoke an unused refresh token: %s", r->request_id,
		         oc->c->sv.err);
	tg_wipe(fresh, sizeof fresh);
	return e;
}

/* ---- client credentials (RFC 6749 §4.4) ----------------------------------------------- */

static int grant_client_credentials(struct http_req *r, struct oidc_call *oc,
                                    const struct store_app *app)
{
	if (!svc_app_allows_grant(app, STORE_GRANT_CLIENT_CREDENTIALS))
		return http_oidc_reply_error(r, 400, OIDC_ERR_UNAUTHORIZED_CLIENT,
		                             "The client may not use the client_credentials grant.",
		                             false);
	struct svc_jwt_grant g = {.app = app};
	struct svc_jwt_tokens tk;
	int e = svc_jwt_issue(&oc->c->sv, &oc->jc, &g, &tk);
	if (e)
		return reply_issue_failed(r, oc, e);
	log_info("request %s: app-only token issued to %s", r->request_id, app->id);
	e = reply_tokens(r, &tk, NULL, NULL);
	svc_jwt_tokens_cleanup(&tk);
	return e;
}

/* ---- the handler -------------------------------------------------------------------- */

int http_oidc_token(struct http_req *r)
{
	struct oidc_call oc;
	struct form f;
	form_init(&f);
	int e = http_oidc_begin(r, &oc);
	if (e || r->replied)
		return e;
	if (!http_oidc_parse_body_or_reply(r, &f))
		goto out;
	enum oidc_grant grant;
	const char *gt = form_get(&f, "grant_type");
	if (!gt) {
		e = http_oidc_reply_error(r, 400, OIDC_ERR_INVALID_REQUEST,
		                          "The grant_type parameter is missing.", false);
		goto out;
	}
	if (oidc_grant_parse(gt, &grant) != TG_OK) {
		e = http_oidc_reply_error(r, 400, OIDC_ERR_UNSUPPORTED_GRANT_TYPE,
		                          "Supported grant types: authorization_code, refresh_token, "
		                          "client_credentials.", false);
		goto out;
	}
	struct store_app app;
	if (!http_oidc_client_or_reply(r, &oc, &f, &app))
		goto out;
	if ((e = http_oidc_ring(r, &oc)))
		goto out;
	switch (grant) {
	case OIDC_GRANT_AUTHORIZATION_CODE:
		e = grant_code(r, &oc, &f, &app);
		break;
	case OIDC_GRANT_REFRESH_TOKEN:
		e = grant_refresh(r, &oc, &f, &app);
		break;
	case OIDC_GRANT_CLIENT_CREDENTIALS:
		e = grant_client_credentials(r, &oc, &app);
		break;
	}
out:
	form_cleanup(&f);
	http_oidc_end(&oc);
	return e;
}
