/* SPDX-License-Identifier: MIT
 * JSON Web Tokens (RFC 7519) in JWS compact form (RFC 7515 §7.1) and the
 * JWK Set (RFC 7517 §5) of the token signing keys: the JSON half of token
 * handling. Signing and verifying bytes is crypto/jws.h; the key ring is
 * crypto/signkeys.h; this file builds and parses the header, the claims
 * and the JWKS with jansson.
 *
 * Verification order, each step refusing before the next runs: size
 * (TG_MAX_JWT), shape (three non-empty base64url parts), header JSON
 * (alg, kid, typ, no crit), key by kid among the keys given and not
 * retired at now, alg equal to the key's, signature; only then is the
 * payload decoded and the claims checked against a caller's clock.
 *
 * Error codes: TG_ERR_TOO_LARGE oversized token; TG_ERR_INVALID malformed
 * (bad base64url, bad JSON, missing or mistyped member or claim, JWE);
 * TG_ERR_DENIED refused (unknown or retired kid, alg "none" or any alg
 * that is not the key's, bad signature, crit, wrong typ, wrong iss, wrong
 * aud, not yet valid, issued in the future); TG_ERR_EXPIRED past exp.
 * The optional struct json_err says which member and why, for logs; it
 * never quotes the token. Thread-safe. */
#ifndef TG_JSON_JWT_JSON_H
#define TG_JSON_JWT_JSON_H
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "crypto/jws.h"
#include "json/json_util.h"

#define JWT_DEFAULT_SKEW 60    /* seconds of clock difference tolerated */
#define JWT_MAX_SKEW     300

/* What a token must satisfy besides its signature. */
struct jwt_expect {
	const char *iss;    /* required: "iss" must equal it exactly */
	/* "aud" (a string, or an array of strings) must contain it.
	 * WARNING: NULL skips the audience check; only an endpoint that
	 * serves every audience (introspection) may pass NULL. */
	const char *aud;
	/* expected "typ" header, compared case-insensitively (RFC 7515
	 * §4.1.9), e.g. "at+jwt"; NULL = absent or "JWT" */
	const char *typ;
	int64_t now;        /* the caller's clock, seconds since the epoch */
	int64_t skew;       /* 0..JWT_MAX_SKEW; JWT_DEFAULT_SKEW is usual */
};

/* Sign claims (a JSON object; other members than the registered claims
 * are copied as they are) with k into a compact JWT whose header is
 * {"alg":<k's alg>,"typ":"JWT","kid":<k's kid>}. The claims are not
 * checked here: the caller sets iss, sub, aud, exp, iat. *out (malloc'd,
 * NUL-terminated; free with free()) and *out_len (may be NULL) are set
 * only on TG_OK. TG_ERR_INVALID when claims is not an object or k cannot
 * sign; TG_ERR_TOO_LARGE when the token would exceed TG_MAX_JWT (so we
 * never issue a token we would refuse); errors of jws_sign. */
int jwt_sign(const struct sign_key *k, const json_t *claims, char **out, size_t *out_len)
	__attribute__((warn_unused_result));

/* Check the signature of token[0..len) with the key among keys[0..n_keys)
 * whose kid the header names, if that key is valid at now. typ as in
 * struct jwt_expect. On TG_OK *claims_out gets the claims object (a new
 * reference: json_decref it) and *header_out (may be NULL) the header; no
 * claim is checked (see jwt_check_claims). Outputs are NULL on failure. */
int jwt_decode_verify(const char *token, size_t len, const struct sign_key *const *keys,
                      size_t n_keys, int64_t now, const char *typ, json_t **header_out,
                      json_t **claims_out, struct json_err *err)
	__attribute__((warn_unused_result));

/* Validate the registered claims against ex (RFC 7519 §4.1):
 *   exp  required number: refused (TG_ERR_EXPIRED) once now >= exp + skew
 *   iat  required number: refused when iat > now + skew (issued in the future)
 *   nbf  optional number: refused when now + skew < nbf (not yet valid)
 *   iss  required string: must equal ex->iss
 *   aud  string or array of strings, required when ex->aud is set: must
 *        contain ex->aud
 * Numbers may be integers or reals (NumericDate); reals are truncated. */
int jwt_check_claims(const json_t *claims, const struct jwt_expect *ex, struct json_err *err)
	__attribute__((warn_unused_result));

/* jwt_decode_verify with ex->now and ex->typ, then jwt_check_claims. On
 * TG_OK *claims_out (new reference) holds the verified claims; NULL on
 * any failure. */
int jwt_verify(const char *token, size_t len, const struct sign_key *const *keys, size_t n_keys,
               const struct jwt_expect *ex, json_t **claims_out, struct json_err *err)
	__attribute__((warn_unused_result));

/* The JWK Set of keys[0..n_keys) (public parts only):
 *   {"keys":[{"kty":"EC","crv":"P-256","x":..,"y":..,"kid":..,"use":"sig","alg":"ES256"},
 *            {"kty":"RSA","n":..,"e":..,"kid":..,"use":"sig","alg":"RS256"}]}
 * in the order given (signkeys_published gives current keys first).
 * *out (new reference) set only on TG_OK; TG_ERR_CRYPTO. */
int jwt_jwks_build(const struct sign_key *const *keys, size_t n_keys, json_t **out)
	__attribute__((warn_unused_result));

/* A verify-only key from one public JWK of the two shapes above ("use"
 * and "alg", when present, must be "sig" and match the key type; "kid"
 * is not trusted: the key's kid is its RFC 7638 thumbprint). For reading
 * a JWKS back (tests, a client's registered keys). TG_OK, TG_ERR_INVALID
 * (with err), TG_ERR_UNSUPPORTED for another kty or curve. */
int jwt_jwk_to_key(const json_t *jwk, struct sign_key **out, struct json_err *err)
	__attribute__((warn_unused_result));

#endif
