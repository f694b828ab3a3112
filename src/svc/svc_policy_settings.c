/* SPDX-License-Identifier: MIT
 * MFA service settings and security defaults (see svc_policy.h): the text
 * form in the `setting` table, validation, the conflict rules of SPEC §3,
 * the registration grace bookkeeping, and the helpers the other policy
 * files share (generation bump, JSON faults, audit documents).
 * Sections: shared helpers, settings text, settings, security defaults. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "store/store_policy.h"
#include "svc/svc_policy.h"
#include "svc/svc_policy_int.h"

/* ---------------------------------------------------------- shared helpers */

int svc_policy_bump(struct svc *sv, const struct tg_tenant *t)
{
	int r = store_policy_generation_bump(sv->store, t->id, NULL);
	return r ? svc_store_fail(sv, r, "recording the policy change") : TG_OK;
}

int svc_json_fail(struct svc *sv, int r, const struct json_err *je, struct json_err *jerr_out,
                  const char *what)
{
	if (jerr_out)
		*jerr_out = *je;
	if (je->path[0])
		return svc_fail(sv, r, "%s: %s: %s", what, je->path, je->message);
	return svc_fail(sv, r, "%s: %s", what, je->message);
}

char *svc_audit_doc(const char *json, const char *id, const char *display_name)
{
	if (strlen(json) <= TG_MAX_AUDIT_VALUE)
		return xstrdup(json);
	json_t *o = json_pack("{s:s,s:s,s:b}", "id", id ? id : "", "displayName",
	                      display_name ? display_name : "", "truncated", 1);
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	return s ? s : xstrdup("{}");
}

/* ----------------------------------------------------------- settings text */

static const struct {
	unsigned bit;
	const char *key;       /* stored form (Graph-like) */
	const char *cli;       /* CLI form */
} vopts[] = {
	{DECISION_VERIFY_APP_CODE, "appCode", "app-code"},
	{DECISION_VERIFY_SMS, "sms", "sms"},
	{DECISION_VERIFY_VOICE, "voice", "voice"},
	{DECISION_VERIFY_EMAIL, "email", "email"},
};

const char *svc_verification_options_format(unsigned options, bool cli_names, char *buf, size_t size)
{
	size_t len = 0;
	if (size)
		buf[0] = '\0';
	for (size_t i = 0; i < TG_ARRAY_LEN(vopts) && size; i++) {
		if (!(options & vopts[i].bit))
			continue;
		int w = snprintf(buf + len, size - len, "%s%s", len ? "," : "",
		                 cli_names ? vopts[i].cli : vopts[i].key);
		if (w < 0 || (size_t)w >= size - len)
			break;
		len += (size_t)w;
	}
	return buf;
}

/* Comma list of option names (either form, any case) -> bits; "all". */
static int parse_vopts(const char *s, unsigned *out)
{
	char buf[256];
	unsigned v = 0;
	if (tg_strcpy_checked(buf, sizeof buf, s))
		return TG_ERR_INVALID;
	for (char *p = buf; *p;) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		char *w = tg_trim(p);
		bool known = false;
		if (tg_streq_ci(w, "all")) {
			v |= DECISION_VERIFY_ALL;
			known = true;
		}
		for (size_t i = 0; i < TG_ARRAY_LEN(vopts) && !known; i++) {
			if (tg_streq_ci(w, vopts[i].key) || tg_streq_ci(w, vopts[i].cli)) {
				v |= vopts[i].bit;
				known = true;
			}
		}
		if (!known)
			return TG_ERR_INVALID;
		p = comma ? comma + 1 : p + strlen(p);
	}
	if (v == 0)
		return TG_ERR_INVALID;
	*out = v;
	return TG_OK;
}

static int parse_bool(const char *s, bool *out)
{
	if (strcmp(s, "true") == 0)
		*out = true;
	else if (strcmp(s, "false") == 0)
		*out = false;
	else
		return TG_ERR_INVALID;
	return TG_OK;
}

/* Read one setting; absent leaves *out NULL. */
static int get_text(struct svc *sv, const struct tg_tenant *t, const char *key, char **out)
{
	*out = NULL;
	int r = store_setting_get(sv->store, t->id, key, out);
	if (r == TG_ERR_NOT_FOUND)
		return TG_OK;
	return r ? svc_store_fail(sv, r, "reading the settings") : TG_OK;
}

static int corrupt(struct svc *sv, const char *key, const char *value)
{
	log_error("setting %s has an invalid stored value \"%s\"", key, value);
	return svc_fail(sv, TG_ERR_INTERNAL, "the stored setting %s is invalid (\"%.60s\"); set it again",
	                key, value);
}

int svc_settings_get(struct svc *sv, const struct tg_tenant *t, struct svc_settings *out)
{
	struct svc_settings s;
	char *v = NULL;
	int r;
	int64_t n;

	memset(&s, 0, sizeof s);
	s.verification_options = DECISION_VERIFY_ALL;
	if ((r = get_text(sv, t, SVC_SETTING_ALLOW_APP_PASSWORDS, &v)))
		return r;
	if (v && parse_bool(v, &s.allow_app_passwords)) {
		r = corrupt(sv, SVC_SETTING_ALLOW_APP_PASSWORDS, v);
		goto out;
	}
	free(v);
	if ((r = get_text(sv, t, SVC_SETTING_VERIFICATION_OPTIONS, &v)))
		return r;
	if (v && parse_vopts(v, &s.verification_options)) {
		r = corrupt(sv, SVC_SETTING_VERIFICATION_OPTIONS, v);
		goto out;
	}
	free(v);
	if ((r = get_text(sv, t, SVC_SETTING_REMEMBER_DAYS, &v)))
		return r;
	if (v) {
		if (tg_parse_i64(v, 0, SVC_REMEMBER_DAYS_MAX, &n)) {
			r = corrupt(sv, SVC_SETTING_REMEMBER_DAYS, v);
			goto out;
		}
		s.remember_mfa_days = (unsigned)n;
	}
	free(v);
	if ((r = get_text(sv, t, SVC_SETTING_TRUSTED_IPS, &v)))
		return r;
	for (char *p = v; p && *p;) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		char *line = tg_trim(p);
		if (*line) {
			if (s.n_trusted_ips >= TG_MAX_TRUSTED_IPS ||
			    cidr_parse(line, 0, &s.trusted_ips[s.n_trusted_ips])) {
				r = corrupt(sv, SVC_SETTING_TRUSTED_IPS, line);
				goto out;
			}
			s.n_trusted_ips++;
		}
		p = nl ? nl + 1 : p + strlen(p);
	}
	free(v);
	if ((r = get_text(sv, t, SVC_SETTING_SD_ENABLED, &v)))
		return r;
	if (v && parse_bool(v, &s.security_defaults)) {
		r = corrupt(sv, SVC_SETTING_SD_ENABLED, v);
		goto out;
	}
	free(v);
	if ((r = get_text(sv, t, SVC_SETTING_SD_SINCE, &v)))
		return r;
	if (v && tg_parse_i64(v, 0, INT64_MAX, &s.security_defaults_since)) {
		r = corrupt(sv, SVC_SETTING_SD_SINCE, v);
		goto out;
	}
	free(v);
	*out = s;
	return TG_OK;
out:
	free(v);
	return r;
}

char *svc_settings_json(const struct svc_settings *s)
{
	char opts[64], ts[TG_TIME_ISO_LEN];
	json_t *ips = json_array();
	for (size_t i = 0; ips && i < s->n_trusted_ips; i++) {
		char buf[CIDR_STRLEN];
		cidr_format(&s->trusted_ips[i], buf);
		json_array_append_new(ips, json_string(buf));
	}
	svc_verification_options_format(s->verification_options, false, opts, sizeof opts);
	tg_time_iso(s->security_defaults_since, ts);
	json_t *o = json_pack("{s:b,s:s,s:i,s:o,s:b,s:s*}",
	                      "allowAppPasswords", s->allow_app_passwords,
	                      "verificationOptions", opts,
	                      "rememberMfaDays", (int)s->remember_mfa_days,
	                      "trustedIps", ips,
	                      "securityDefaults", s->security_defaults,
	                      "securityDefaultsSince", s->security_defaults_since ? ts : NULL);
	char *out = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	return out ? out : xstrdup("{}");
}

/* ---------------------------------------------------------------- settings */

/* Validate and canonicalise in's MFA service settings into *out. */
static int settings_check(struct svc *sv, const struct svc_settings *in, struct svc_settings *out)
{
	if (in->verification_options == 0 || (in->verification_options & ~DECISION_VERIFY_ALL))
		return svc_fail(sv, TG_ERR_INVALID, "%s: choose at least one of appCode, sms, voice, email",
		                SVC_SETTING_VERIFICATION_OPTIONS);
	if (in->remember_mfa_days > SVC_REMEMBER_DAYS_MAX)
		return svc_fail(sv, TG_ERR_INVALID, "%s: %u is out of range: 0 (off) or 1 to %d days",
		                SVC_SETTING_REMEMBER_DAYS, in->remember_mfa_days, SVC_REMEMBER_DAYS_MAX);
	if (in->n_trusted_ips > TG_MAX_TRUSTED_IPS)
		return svc_fail(sv, TG_ERR_INVALID, "%s: at most %d ranges", SVC_SETTING_TRUSTED_IPS,
		                TG_MAX_TRUSTED_IPS);
	out->allow_app_passwords = in->allow_app_passwords;
	out->verification_options = in->verification_options;
	out->remember_mfa_days = in->remember_mfa_days;
	out->n_trusted_ips = 0;
	for (size_t i = 0; i < in->n_trusted_ips; i++) {
		const struct cidr *c = &in->trusted_ips[i];
		char buf[CIDR_STRLEN];
		struct cidr canon;
		cidr_format(c, buf);
		if ((c->family != 4 && c->family != 6) || cidr_parse(buf, 0, &canon))
			return svc_fail(sv, TG_ERR_INVALID, "%s[%zu]: not a CIDR range", SVC_SETTING_TRUSTED_IPS, i);
		if (canon.prefix < SVC_MIN_RANGE_PREFIX)
			return svc_fail(sv, TG_ERR_INVALID, "%s[%zu]: %s: the mask must be /8 or longer",
			                SVC_SETTING_TRUSTED_IPS, i, buf);
		bool dup = false;
		for (size_t k = 0; k < out->n_trusted_ips && !dup; k++)
			dup = cidr_equal(&out->trusted_ips[k], &canon);
		if (!dup)
			out->trusted_ips[out->n_trusted_ips++] = canon;
	}
	return TG_OK;
}

static int put(struct svc *sv, const struct tg_tenant *t, const char *key, const char *value)
{
	int r = store_setting_set(sv->store, t->id, key, value);
	return r ? svc_store_fail(sv, r, "writing the settings") : TG_OK;
}

int svc_settings_set(struct svc *sv, const struct tg_tenant *t, const struct svc_settings *in)
{
	struct svc_settings before, after;
	char buf[32], opts[64];
	struct tg_buf ips;
	char *b = NULL, *a = NULL;
	int r = store_tx_begin(sv->store);
	if (r)
		return svc_store_fail(sv, r, "changing the settings");
	tg_buf_init(&ips, (size_t)TG_MAX_TRUSTED_IPS * CIDR_STRLEN);
	if ((r = svc_settings_get(sv, t, &before)))
		goto out;
	after = before;
	if ((r = settings_check(sv, in, &after)))
		goto out;
	for (size_t i = 0; i < after.n_trusted_ips; i++) {
		char c[CIDR_STRLEN];
		cidr_format(&after.trusted_ips[i], c);
		tg_buf_appendf(&ips, "%s%s", i ? "\n" : "", c);
	}
	snprintf(buf, sizeof buf, "%u", after.remember_mfa_days);
	svc_verification_options_format(after.verification_options, false, opts, sizeof opts);
	if ((r = put(sv, t, SVC_SETTING_ALLOW_APP_PASSWORDS, after.allow_app_passwords ? "true" : "false")) ||
	    (r = put(sv, t, SVC_SETTING_VERIFICATION_OPTIONS, opts)) ||
	    (r = put(sv, t, SVC_SETTING_REMEMBER_DAYS, buf)) ||
	    (r = put(sv, t, SVC_SETTING_TRUSTED_IPS, ips.data ? ips.data : "")))
		goto out;
	b = svc_settings_json(&before);
	a = svc_settings_json(&after);
	if ((r = svc_audit(sv, t->id, "settings.update", "mfa", b, a)) || (r = svc_policy_bump(sv, t)))
		goto out;
	if ((r = store_tx_commit(sv->store)))
		svc_store_fail(sv, r, "changing the settings");
out:
	if (r)
		store_tx_rollback(sv->store);
	tg_buf_cleanup(&ips);
	free(b);
	free(a);
	return r;
}

int svc_settings_set_text(struct svc *sv, const struct tg_tenant *t, const char *key, const char *value)
{
	struct svc_settings s;
	int r = svc_settings_get(sv, t, &s);
	if (r)
		return r;
	if (strcmp(key, "allow-app-passwords") == 0) {
		if (parse_bool(value, &s.allow_app_passwords))
			return svc_fail(sv, TG_ERR_INVALID, "allow-app-passwords: \"%s\" is not true or false", value);
	} else if (strcmp(key, "verification-options") == 0) {
		if (parse_vopts(value, &s.verification_options))
			return svc_fail(sv, TG_ERR_INVALID, "verification-options: \"%s\" is not a comma list of "
			                "app-code, sms, voice, email (at least one)", value);
	} else if (strcmp(key, "remember-mfa-days") == 0) {
		int64_t n;
		if (strcmp(value, "off") == 0)
			n = 0;
		else if (tg_parse_i64(value, 0, SVC_REMEMBER_DAYS_MAX, &n))
			return svc_fail(sv, TG_ERR_INVALID, "remember-mfa-days: \"%s\" is not 0 (off) or 1 to %d",
			                value, SVC_REMEMBER_DAYS_MAX);
		s.remember_mfa_days = (unsigned)n;
	} else if (strcmp(key, "trusted-ips") == 0) {
		char buf[TG_MAX_LIST_LINE * 4];
		size_t i = 0;
		s.n_trusted_ips = 0;
		if (tg_strcpy_checked(buf, sizeof buf, value))
			return svc_fail(sv, TG_ERR_INVALID, "trusted-ips: the list is too long");
		if (strcmp(tg_trim(buf), "none") == 0)
			buf[0] = '\0';
		for (char *p = buf; *p; i++) {
			while (*p == ',' || *p == ' ' || *p == '\t' || *p == '\n')
				p++;
			if (!*p)
				break;
			char *e = p + strcspn(p, ", \t\n");
			char save = *e;
			*e = '\0';
			if (s.n_trusted_ips >= TG_MAX_TRUSTED_IPS)
				return svc_fail(sv, TG_ERR_INVALID, "trusted-ips: at most %d ranges", TG_MAX_TRUSTED_IPS);
			if (cidr_parse(p, CIDR_ALLOW_BARE, &s.trusted_ips[s.n_trusted_ips]))
				return svc_fail(sv, TG_ERR_INVALID, "trusted-ips: \"%s\" is not an IPv4 or IPv6 "
				                "CIDR range (for example 203.0.113.0/24 or 2001:db8::/48)", p);
			if (s.trusted_ips[s.n_trusted_ips].prefix < SVC_MIN_RANGE_PREFIX)
				return svc_fail(sv, TG_ERR_INVALID, "trusted-ips: \"%s\": the mask must be /8 or longer", p);
			s.n_trusted_ips++;
			*e = save;
			p = e;
		}
	} else {
		return svc_fail(sv, TG_ERR_INVALID, "unknown setting \"%s\" (allow-app-passwords, "
		                "verification-options, remember-mfa-days, trusted-ips)", key);
	}
	return svc_settings_set(sv, t, &s);
}

/* ------------------------------------------------------- security defaults */

struct names {
	size_t n;
	struct tg_buf list;       /* the first few names, quoted, comma-separated */
};

static void names_add(struct names *x, const char *name)
{
	if (x->n < 5)
		tg_buf_appendf(&x->list, "%s\"%s\"", x->n ? ", " : "", name);
	else if (x->n == 5)
		tg_buf_appendf(&x->list, ", …");
	x->n++;
}

static int enabled_policy_cb(const struct store_policy_row *row, void *arg)
{
	if (row->state == CA_STATE_ENABLED)
		names_add(arg, row->display_name);
	return 0;
}

static int per_user_cb(const struct tg_user *u, void *arg)
{
	names_add(arg, u->upn);
	return 0;
}

/* The conflicts that stop enabling: enabled CA policies (always) and
 * per-user MFA states (unless the caller turns them off). */
static int sd_conflicts(struct svc *sv, const struct tg_tenant *t, bool allow_per_user, size_t *per_user)
{
	struct names pol = {0}, usr = {0};
	int r;
	tg_buf_init(&pol.list, 4096);
	tg_buf_init(&usr.list, 4096);
	*per_user = 0;
	if ((r = store_ca_policy_list(sv->store, t->id, enabled_policy_cb, &pol))) {
		svc_store_fail(sv, r, "reading the policies");
		goto out;
	}
	if (pol.n) {
		r = svc_fail(sv, TG_ERR_CONFLICT, "security defaults cannot be enabled while Conditional Access "
		             "policies are enabled: %zu enabled (%s); disable them or set them to report-only first",
		             pol.n, pol.list.data);
		goto out;
	}
	for (int st = MFA_STATE_ENABLED; st <= MFA_STATE_ENFORCED; st++) {
		struct user_query q = {.tenant_id = t->id, .state = st};
		if ((r = store_user_list(sv->store, &q, per_user_cb, &usr))) {
			svc_store_fail(sv, r, "reading the users");
			goto out;
		}
	}
	*per_user = usr.n;
	if (usr.n && !allow_per_user)
		r = svc_fail(sv, TG_ERR_CONFLICT, "security defaults cannot be enabled while users have per-user "
		             "MFA enabled or enforced: %zu user%s (%s); disable per-user MFA for them first "
		             "(the per-user MFA page or POST /tollgate/v1/perUserMfa/bulk), or use "
		             "`tollgate security-defaults enable --disable-per-user-mfa`, which does both",
		             usr.n, usr.n == 1 ? "" : "s", usr.list.data);
out:
	tg_buf_cleanup(&pol.list);
	tg_buf_cleanup(&usr.list);
	return r;
}

static char *sd_json(bool enabled, int64_t since)
{
	char ts[TG_TIME_ISO_LEN];
	tg_time_iso(since, ts);
	return xasprintf("{\"isEnabled\":%s,\"since\":%s%s%s}", enabled ? "true" : "false",
	                 since ? "\"" : "", since ? ts : "null", since ? "\"" : "");
}

/* One transaction: re-check, write, audit, bump. per_user_out = users still
 * in the way (only when allow_per_user). */
static int sd_write(struct svc *sv, const struct tg_tenant *t, bool enable, bool allow_per_user,
                    struct svc_sd_report *rep, size_t *per_user_out)
{
	struct svc_settings s;
	char since[32];
	char *b = NULL, *a = NULL;
	int r = store_tx_begin(sv->store);
	if (r)
		return svc_store_fail(sv, r, "changing security defaults");
	*per_user_out = 0;
	if ((r = svc_settings_get(sv, t, &s)))
		goto out;
	if (s.security_defaults == enable)
		goto out;   /* nothing to do: rep->changed stays false */
	if (enable && (r = sd_conflicts(sv, t, allow_per_user, per_user_out)))
		goto out;
	if (enable && *per_user_out) {
		/* asked to turn per-user MFA off for everyone: same transaction */
		struct svc_mfa_report mrep;
		r = svc_mfa_set_in_tx(sv, t, MFA_STATE_DISABLED, NULL, 0, true, false, &mrep);
		rep->per_user_disabled = mrep.changed;
		svc_mfa_report_cleanup(&mrep);
		if (r)
			goto out;
	}
	int64_t when = enable ? svc_now(sv) : s.security_defaults_since;
	snprintf(since, sizeof since, "%lld", (long long)when);
	b = sd_json(s.security_defaults, s.security_defaults_since);
	a = sd_json(enable, when);
	if ((r = put(sv, t, SVC_SETTING_SD_ENABLED, enable ? "true" : "false")) ||
	    (r = put(sv, t, SVC_SETTING_SD_SINCE, since)) ||
	    (r = svc_audit(sv, t->id, "securityDefaults.update", "securityDefaults", b, a)) ||
	    (r = svc_policy_bump(sv, t)))
		goto out;
	if ((r = store_tx_commit(sv->store))) {
		svc_store_fail(sv, r, "changing security defaults");
		goto out;
	}
	rep->changed = true;
out:
	if (r || !rep->changed) {
		store_tx_rollback(sv->store);
		rep->per_user_disabled = 0;
	}
	free(b);
	free(a);
	return r;
}

int svc_security_defaults_set(struct svc *sv, const struct tg_tenant *t, bool enable,
                              bool disable_per_user_mfa, struct svc_sd_report *rep)
{
	struct svc_sd_report local;
	size_t in_the_way = 0;
	if (!rep)
		rep = &local;
	memset(rep, 0, sizeof *rep);
	/* one transaction: the per-user states change only if defaults turn on */
	return sd_write(sv, t, enable, disable_per_user_mfa, rep, &in_the_way);
}

int svc_sd_note_interactive(struct svc *sv, const struct tg_tenant *t, const char *user_id,
                            int64_t when, bool *noted_out)
{
	struct svc_settings s;
	bool noted = false;
	int r = svc_settings_get(sv, t, &s);
	if (r)
		return r;
	if (s.security_defaults &&
	    (r = store_sd_first_signin_note(sv->store, t->id, user_id, when, s.security_defaults_since, &noted)))
		return svc_store_fail(sv, r, "recording the registration grace");
	if (noted_out)
		*noted_out = noted;
	return TG_OK;
}
