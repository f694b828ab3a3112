/* SPDX-License-Identifier: MIT
 * The sign-in decision (see decision.h and docs/internals/decision.md).
 * Sections: names, helpers, the sources (per-user MFA, step-up, security
 * defaults, Conditional Access), combining them, the entry point. */
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/mem.h"
#include "core/decision.h"
#include "core/roles.h"

/* MFA result detail strings (reference/entra.md §5.1) */
#define RD_COMPLETED "successfully completed"
#define RD_CLAIM "satisfied by claim in the token"
#define RD_LOCATION "skipped due to location"
#define RD_REMEMBERED "skipped due to remembered device"
#define RD_APP_PASSWORD "skipped due to app password"
#define RD_IN_PROGRESS "authentication in-progress"
#define RD_NO_METHODS "user doesn't have any verification methods registered"
#define RD_REGISTRATION "registration prompted"
/* Not an Entra string: Entra has none for a legacy sign-in refused for
 * want of an app password (docs/internals/decision.md). */
#define RD_APP_PASSWORD_REQUIRED "app password required"

/* status.failureReason texts, after Entra's error descriptions */
#define FR_BAD_APP_PASSWORD_CLIENT "Invalid username or password: app passwords are accepted only from legacy clients."
#define FR_BAD_APP_PASSWORD_ADMIN "Invalid username or password: app passwords cannot be used for administrative access."
#define FR_SD_LEGACY "Access has been blocked by security defaults. This is due to the request using legacy auth or being deemed unsafe by security defaults policies."
#define FR_CA_BLOCK "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance."
#define FR_SIF "The refresh token has expired or is invalid due to sign-in frequency checks by Conditional Access."
#define FR_APP_PASSWORD "An app password is required: per-user MFA is enforced and this client cannot do multifactor authentication."
#define FR_MFA "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access this resource."
#define FR_REGISTER "User needs to enroll for second factor authentication."
#define FR_RISK_REGISTER "User needs to complete multifactor authentication registration, which is blocked because the sign-in is risky."
#define FR_PASSWORD "The user must change their password."
#define FR_INVALID "Internal error: invalid decision input."

#define DAY 86400

/* ---- names -------------------------------------------------------------- */

static const char *const outcome_names[DECISION_OUTCOME_COUNT_] = {
	[DECISION_ALLOW] = "allow",
	[DECISION_MFA_REQUIRED] = "mfaRequired",
	[DECISION_REGISTRATION_REQUIRED] = "registrationRequired",
	[DECISION_APP_PASSWORD_REQUIRED] = "appPasswordRequired",
	[DECISION_BLOCKED] = "blocked",
	[DECISION_PASSWORD_CHANGE_REQUIRED] = "passwordChangeRequired",
	[DECISION_REAUTH_REQUIRED] = "reauthenticationRequired",
};

static const char *const provider_names[DECISION_PROVIDER_COUNT_] = {
	[DECISION_PROVIDER_USER] = "user",
	[DECISION_PROVIDER_REQUEST] = "request",
	[DECISION_PROVIDER_SECURITY_DEFAULTS] = "securityDefaults",
	[DECISION_PROVIDER_SD_REGISTRATION] = "mfaRegistrationRequiredBySecurityDefaults",
	[DECISION_PROVIDER_MULTI_CA] = "multiConditionalAccess",
	[DECISION_PROVIDER_CA_REGISTRATION] = "mfaRegistrationRequiredByMultiConditionalAccess",
	[DECISION_PROVIDER_RISK] = "riskBasedPolicy",
	[DECISION_PROVIDER_V1_CA] = "v1ConditionalAccess",
};

const char *decision_outcome_name(enum decision_outcome o)
{
	return (unsigned)o < DECISION_OUTCOME_COUNT_ ? outcome_names[o] : "unknown";
}

const char *decision_provider_name(enum decision_provider p)
{
	return (unsigned)p < DECISION_PROVIDER_COUNT_ ? provider_names[p] : "unknownFutureValue";
}

const char *decision_status_name(enum decision_status s)
{
	switch (s) {
	case DECISION_SRC_SATISFIED: return "satisfied";
	case DECISION_SRC_SKIPPED: return "skipped";
	case DECISION_SRC_PENDING: return "pending";
	case DECISION_SRC_FAILED: return "failed";
	case DECISION_SRC_NOT_REQUIRED: return "notRequired";
	}
	return "unknown";
}

const char *decision_ca_status_name(enum decision_ca_status s)
{
	switch (s) {
	case DECISION_CA_NOT_APPLIED: return "notApplied";
	case DECISION_CA_SUCCESS: return "success";
	case DECISION_CA_FAILURE: return "failure";
	}
	return "unknownFutureValue";
}

const char *decision_client_name(enum decision_client c)
{
	switch (c) {
	case DECISION_CLIENT_BROWSER: return "Browser";
	case DECISION_CLIENT_MOBILE_DESKTOP: return "Mobile Apps and Desktop clients";
	case DECISION_CLIENT_EXCHANGE_ACTIVESYNC: return "Exchange ActiveSync";
	case DECISION_CLIENT_OTHER: return "Other clients";
	case DECISION_CLIENT_COUNT_: break;
	}
	return "Other clients";
}

unsigned decision_client_ca_bits(enum decision_client c)
{
	switch (c) {
	case DECISION_CLIENT_BROWSER: return CA_CLIENT_BROWSER;
	case DECISION_CLIENT_MOBILE_DESKTOP: return CA_CLIENT_MOBILE_DESKTOP;
	case DECISION_CLIENT_EXCHANGE_ACTIVESYNC: return CA_CLIENT_EXCHANGE_ACTIVESYNC | CA_CLIENT_EAS_SUPPORTED;
	case DECISION_CLIENT_OTHER: return CA_CLIENT_OTHER;
	case DECISION_CLIENT_COUNT_: break;
	}
	return 0;
}

unsigned decision_usable_methods(unsigned registered, unsigned options)
{
	unsigned allowed = CA_METHOD_RECOVERY_CODE | CA_METHOD_FIDO2 | CA_METHOD_TAP;
	if (options & DECISION_VERIFY_APP_CODE)
		allowed |= CA_METHOD_SOFTWARE_OATH | CA_METHOD_HARDWARE_OATH;
	if (options & DECISION_VERIFY_SMS)
		allowed |= CA_METHOD_SMS;
	if (options & DECISION_VERIFY_VOICE)
		allowed |= CA_METHOD_VOICE;
	if (options & DECISION_VERIFY_EMAIL)
		allowed |= CA_METHOD_EMAIL;
	return registered & allowed;
}

void decision_init(struct decision *d)
{
	memset(d, 0, sizeof *d);
	ca_candidates_init(&d->cand_);
	d->session_max_age = -1;
}

void decision_cleanup(struct decision *d)
{
	if (!d)
		return;
	free(d->policies);
	ca_candidates_cleanup(&d->cand_);
	memset(d, 0, sizeof *d);
}

/* ---- helpers ------------------------------------------------------------ */

/* Everything the sources share about this sign-in. */
struct facts {
	const struct decision_input *in;
	bool legacy;
	bool registered;
	unsigned usable;
	bool trusted_ip;            /* MFA service settings' trusted IPs only */
	bool remembered;            /* valid token, feature on, not a legacy client */
	/* gathered while evaluating the sources */
	bool any_mfa_pending;
	bool risk_pending;          /* a pending MFA requirement comes from risk */
	unsigned methods_needed;    /* intersection of what pending requirements accept */
	bool app_password_required;
	bool sd_legacy_block;
	bool sd_mfa_pending;
	bool ca_failed;
	const char *ca_fail_reason;
	bool ca_mfa_pending;
	bool ca_password_change;
	bool ca_reauth;
	bool ca_sif;                /* an applicable enabled policy has sign-in frequency */
};

static struct decision_source *add_source(struct decision *out, enum decision_provider p,
                                          enum decision_status st, const char *detail,
                                          const char *result_detail)
{
	if (out->n_sources >= TG_MAX_DECISION_SOURCES)
		return NULL;
	struct decision_source *s = &out->sources[out->n_sources++];
	s->provider = p;
	s->status = st;
	s->detail = detail;
	s->result_detail = result_detail;
	s->risk_based = false;
	return s;
}

/* An MFA requirement with no sign-in frequency (every source but CA):
 * a claim in the session meets it; a remembered device lifts it. */
static enum decision_status mfa_met(const struct facts *f, const char **rd)
{
	if (f->in->session.mfa_time > 0) {
		*rd = f->in->session.mfa_this_signin ? RD_COMPLETED : RD_CLAIM;
		return DECISION_SRC_SATISFIED;
	}
	if (f->remembered) {
		*rd = RD_REMEMBERED;
		return DECISION_SRC_SKIPPED;
	}
	*rd = f->registered ? RD_IN_PROGRESS : RD_NO_METHODS;
	return DECISION_SRC_PENDING;
}

static void require_mfa(struct decision *out, struct facts *f, enum decision_provider p,
                        const char *detail, bool risk_based)
{
	const char *rd;
	enum decision_status st = mfa_met(f, &rd);
	struct decision_source *s = add_source(out, p, st, detail, rd);
	if (s)
		s->risk_based = risk_based;
	if (st == DECISION_SRC_PENDING) {
		f->any_mfa_pending = true;
		f->risk_pending |= risk_based;
	}
}

/* ---- per-user MFA (SPEC §2) --------------------------------------------- */

static void source_per_user(struct decision *out, struct facts *f)
{
	const struct decision_input *in = f->in;
	enum mfa_state st = in->user->state;
	bool enforced = st == MFA_STATE_ENFORCED;

	if (st == MFA_STATE_DISABLED)
		return;
	if (f->legacy) {
		if (in->credential == DECISION_CRED_APP_PASSWORD) {
			add_source(out, DECISION_PROVIDER_USER, DECISION_SRC_SKIPPED,
			           enforced ? "per-user MFA enforced: app password used"
			                    : "per-user MFA enabled: app password used", RD_APP_PASSWORD);
		} else if (!enforced) {
			add_source(out, DECISION_PROVIDER_USER, DECISION_SRC_NOT_REQUIRED,
			           "per-user MFA enabled: legacy clients keep the password until enforced", NULL);
		} else if (f->trusted_ip && !in->user->has_app_passwords) {
			add_source(out, DECISION_PROVIDER_USER, DECISION_SRC_SKIPPED,
			           "per-user MFA enforced: trusted IP and no app password created", RD_LOCATION);
		} else {
			add_source(out, DECISION_PROVIDER_USER, DECISION_SRC_PENDING,
			           "per-user MFA enforced: legacy clients need an app password",
			           RD_APP_PASSWORD_REQUIRED);
			f->app_password_required = true;
		}
		return;
	}
	const char *detail = enforced ? "per-user MFA enforced" : "per-user MFA enabled";
	if (f->trusted_ip) {
		add_source(out, DECISION_PROVIDER_USER, DECISION_SRC_SKIPPED, detail, RD_LOCATION);
		return;
	}
	require_mfa(out, f, DECISION_PROVIDER_USER, detail, false);
}

/* ---- security defaults (SPEC §3) ---------------------------------------- */

static bool has_privileged_role(const struct decision_user *u)
{
	for (size_t i = 0; i < u->n_roles; i++)
		if (u->roles[i] && role_is_privileged(u->roles[i]))
			return true;
	return false;
}

static void source_security_defaults(struct decision *out, struct facts *f)
{
	const struct decision_input *in = f->in;

	if (f->legacy) {
		add_source(out, DECISION_PROVIDER_SECURITY_DEFAULTS, DECISION_SRC_FAILED,
		           "security defaults block legacy authentication", NULL);
		f->sd_legacy_block = true;
		return;
	}
	bool before = f->any_mfa_pending;
	if (has_privileged_role(in->user))
		require_mfa(out, f, DECISION_PROVIDER_SECURITY_DEFAULTS,
		            "security defaults: privileged role, MFA at every sign-in", false);
	else if (in->app->privileged)
		require_mfa(out, f, DECISION_PROVIDER_SECURITY_DEFAULTS,
		            "security defaults: privileged application", false);
	if (in->sign_in_risk >= RISK_MEDIUM)
		require_mfa(out, f, DECISION_PROVIDER_RISK,
		            in->sign_in_risk == RISK_HIGH ? "security defaults: sign-in risk high"
		                                          : "security defaults: sign-in risk medium", true);
	f->sd_mfa_pending = f->any_mfa_pending && !before;
}

/* The 14-day registration campaign, when nothing else needs MFA now. */
static void sd_registration(struct decision *out, const struct facts *f)
{
	const struct decision_input *in = f->in;
	int64_t since = in->tenant->security_defaults_since, first = in->user->sd_first_interactive;
	int64_t start = (first > 0 && first >= since) ? first : (in->interactive ? in->now : 0);

	if (start == 0) {
		add_source(out, DECISION_PROVIDER_SD_REGISTRATION, DECISION_SRC_NOT_REQUIRED,
		           "security defaults: registration grace starts at the first interactive sign-in",
		           NULL);
		return;
	}
	int64_t elapsed = in->now - start;
	if (elapsed < 0)
		elapsed = 0;
	if (elapsed < (int64_t)DECISION_SD_GRACE_DAYS * DAY) {
		if (!in->interactive) {
			add_source(out, DECISION_PROVIDER_SD_REGISTRATION, DECISION_SRC_NOT_REQUIRED,
			           "security defaults: registration asked at the next interactive sign-in",
			           NULL);
			return;
		}
		add_source(out, DECISION_PROVIDER_SD_REGISTRATION, DECISION_SRC_PENDING,
		           "security defaults: register for MFA (may skip during the 14-day grace)",
		           RD_REGISTRATION);
		out->outcome = DECISION_REGISTRATION_REQUIRED;
		out->error_code = DECISION_CODE_REGISTRATION_INTERRUPT;
		out->failure_reason = FR_REGISTER;
		out->can_skip = true;
		out->days_left = (int)(((int64_t)DECISION_SD_GRACE_DAYS * DAY - elapsed + DAY - 1) / DAY);
		return;
	}
	add_source(out, DECISION_PROVIDER_SD_REGISTRATION, DECISION_SRC_PENDING,
	           "security defaults: the 14-day registration grace is over", RD_NO_METHODS);
	out->outcome = DECISION_REGISTRATION_REQUIRED;
	out->error_code = in->interactive ? DECISION_CODE_REGISTRATION_INTERRUPT
	                                  : DECISION_CODE_REGISTRATION_REQUIRED;
	out->failure_reason = FR_REGISTER;
}

/* ---- Conditional Access (SPEC §4) --------------------------------------- */

static unsigned risk_bit(enum risk_level l)
{
	switch (l) {
	case RISK_LOW: return CA_RISK_LOW;
	case RISK_MEDIUM: return CA_RISK_MEDIUM;
	case RISK_HIGH: return CA_RISK_HIGH;
	case RISK_NONE:
	case RISK_LEVEL_COUNT_: break;
	}
	return CA_RISK_NONE;
}

static unsigned platform_bit(enum platform p)
{
	switch (p) {
	case PLATFORM_ANDROID: return CA_PLAT_ANDROID;
	case PLATFORM_IOS: return CA_PLAT_IOS;
	case PLATFORM_WINDOWS: return CA_PLAT_WINDOWS;
	case PLATFORM_WINDOWS_PHONE: return CA_PLAT_WINDOWS_PHONE;
	case PLATFORM_MACOS: return CA_PLAT_MACOS;
	case PLATFORM_LINUX: return CA_PLAT_LINUX;
	case PLATFORM_UNKNOWN:
	case PLATFORM_COUNT_: break;
	}
	return 0;
}

static void push_policy(struct decision *out, const struct ca_compiled *c, size_t i,
                        const struct ca_eval_result *r)
{
	if (out->n_policies == out->cap_policies_) {
		size_t cap = ca_compiled_count(c);
		if (cap < out->n_policies + 1)
			cap = out->n_policies + 1;
		out->policies = xrealloc(out->policies, cap * sizeof *out->policies);
		out->cap_policies_ = cap;
	}
	struct decision_policy *dp = &out->policies[out->n_policies++];
	dp->policy = ca_compiled_policy(c, i);
	dp->index = i;
	dp->r = *r;
}

static void source_ca(struct decision *out, struct facts *f)
{
	const struct decision_input *in = f->in;
	const struct ca_compiled *c = in->tenant->ca;
	size_t total = ca_compiled_count(c), n;
	struct ca_query q = {
		.user_id = in->user->id, .is_guest = in->user->is_guest,
		.groups = in->user->groups, .n_groups = in->user->n_groups,
		.roles = in->user->roles, .n_roles = in->user->n_roles,
		.app_id = in->app->id, .app_privileged = in->app->privileged,
		.user_action = in->user_action, .client = decision_client_ca_bits(in->client),
	};
	struct ca_eval_ctx ctx = {
		.compiled = c, .q = &q, .legacy = f->legacy, .ip = in->ip,
		.trusted_ips = in->tenant->trusted_ips, .platform = platform_bit(in->platform),
		.sign_in_risk = risk_bit(in->sign_in_risk), .user_risk = risk_bit(in->user_risk),
		.now = in->now, .interactive = in->credential != DECISION_CRED_SESSION,
		.auth_time = in->credential != DECISION_CRED_SESSION ? in->now : in->session.auth_time,
		.mfa_time = in->session.mfa_time, .mfa_methods = in->session.mfa_methods,
		.mfa_this_signin = in->session.mfa_this_signin,
		.password_changed = in->session.password_changed,
		.remembered_device = f->remembered,
	};
	const char *mfa_pending_rd = NULL, *mfa_met_rd = NULL;
	bool wants_mfa = false, ca_applied = false, ca_bad = false, ca_risk = false;
	bool browser_never = false, browser_always = false;

	if (total == 0)
		return;
	ca_compiled_candidates(c, &q, &out->cand_);
	n = in->explain_all ? total : out->cand_.n;
	for (size_t k = 0; k < n; k++) {
		size_t i = in->explain_all ? k : out->cand_.idx[k];
		const struct ca_hint *hint = out->cand_.indexed ? &out->cand_.hint[i] : NULL;
		struct ca_eval_result r;
		if (ca_eval_policy(&ctx, i, hint, &r) != TG_OK)
			continue;
		push_policy(out, c, i, &r);
		const struct ca_policy *p = ca_compiled_policy(c, i);
		if (!r.applies || p->state != CA_STATE_ENABLED)
			continue;   /* report-only: logged, never enforced */
		ca_applied = true;
		if (r.result != CA_RESULT_SUCCESS)
			ca_bad = true;
		if (r.sif >= 0) {
			f->ca_sif = true;
			if (out->session_max_age < 0 || r.sif < out->session_max_age)
				out->session_max_age = r.sif;
		}
		if (p->session.present && p->session.persistent_browser.present &&
		    p->session.persistent_browser.is_enabled) {
			browser_never |= p->session.persistent_browser.mode == CA_BROWSER_NEVER;
			browser_always |= p->session.persistent_browser.mode == CA_BROWSER_ALWAYS;
		}
		switch (r.grant) {
		case CA_GRANT_BLOCK:
		case CA_GRANT_UNSATISFIABLE:
			if (!f->ca_failed)
				f->ca_fail_reason = r.reason;
			f->ca_failed = true;
			continue;
		case CA_GRANT_PENDING:
		case CA_GRANT_SATISFIED:
		case CA_GRANT_NOT_EVALUATED:
			break;
		}
		f->ca_reauth |= r.reauth_pending;
		f->ca_password_change |= r.password_change_pending;
		if (!r.wants_mfa)
			continue;
		wants_mfa = true;
		if (r.mfa_pending) {
			f->ca_mfa_pending = true;
			f->methods_needed &= r.mfa_methods;
			ca_risk |= r.risk_based;
			if (!mfa_pending_rd)
				mfa_pending_rd = r.mfa_detail;
		} else if (!mfa_met_rd) {
			mfa_met_rd = r.mfa_detail;
		}
	}
	out->ca_status = !ca_applied ? DECISION_CA_NOT_APPLIED
	                 : ca_bad ? DECISION_CA_FAILURE : DECISION_CA_SUCCESS;
	out->persistent_browser = browser_never ? CA_BROWSER_NEVER
	                          : browser_always ? CA_BROWSER_ALWAYS : CA_BROWSER_MODE_NONE;
	if (!wants_mfa)
		return;
	struct decision_source *s;
	if (f->ca_mfa_pending) {
		s = add_source(out, DECISION_PROVIDER_MULTI_CA, DECISION_SRC_PENDING, "Conditional Access",
		               f->registered ? mfa_pending_rd : RD_NO_METHODS);
		f->any_mfa_pending = true;
		f->risk_pending |= ca_risk;
	} else {
		bool skipped = mfa_met_rd && strcmp(mfa_met_rd, RD_REMEMBERED) == 0;
		s = add_source(out, DECISION_PROVIDER_MULTI_CA,
		               skipped ? DECISION_SRC_SKIPPED : DECISION_SRC_SATISFIED,
		               "Conditional Access", mfa_met_rd);
	}
	if (s)
		s->risk_based = ca_risk;
}

/* ---- combining ---------------------------------------------------------- */

static void set_outcome(struct decision *out, enum decision_outcome o, int code, const char *why)
{
	out->outcome = o;
	out->error_code = code;
	out->failure_reason = why;
}

/* An MFA requirement nobody can meet for want of a method: registration. */
static void need_registration(struct decision *out, struct facts *f)
{
	const struct decision_input *in = f->in;
	for (size_t i = 0; i < out->n_sources; i++)
		if (out->sources[i].status == DECISION_SRC_PENDING)
			out->sources[i].result_detail = RD_NO_METHODS;
	if (f->risk_pending) {
		set_outcome(out, DECISION_BLOCKED, DECISION_CODE_REGISTRATION_BLOCKED_RISK, FR_RISK_REGISTER);
		return;
	}
	if (f->ca_mfa_pending)
		add_source(out, DECISION_PROVIDER_CA_REGISTRATION, DECISION_SRC_PENDING,
		           "Conditional Access requires MFA and no usable method is registered", RD_NO_METHODS);
	else if (in->tenant->security_defaults && f->sd_mfa_pending)
		add_source(out, DECISION_PROVIDER_SD_REGISTRATION, DECISION_SRC_PENDING,
		           "security defaults require MFA and no usable method is registered", RD_NO_METHODS);
	set_outcome(out, DECISION_REGISTRATION_REQUIRED,
	            in->interactive ? DECISION_CODE_REGISTRATION_INTERRUPT
	                            : DECISION_CODE_REGISTRATION_REQUIRED, FR_REGISTER);
}

static void combine(struct decision *out, struct facts *f)
{
	const struct decision_input *in = f->in;

	if (f->sd_legacy_block) {
		set_outcome(out, DECISION_BLOCKED, DECISION_CODE_BLOCKED_BY_SECURITY_DEFAULTS, FR_SD_LEGACY);
	} else if (f->ca_failed) {
		set_outcome(out, DECISION_BLOCKED, DECISION_CODE_BLOCKED_BY_CA, FR_CA_BLOCK);
	} else if (f->ca_reauth) {
		set_outcome(out, DECISION_REAUTH_REQUIRED, DECISION_CODE_SIGN_IN_FREQUENCY, FR_SIF);
	} else if (f->app_password_required) {
		set_outcome(out, DECISION_APP_PASSWORD_REQUIRED, DECISION_CODE_MFA_REQUIRED, FR_APP_PASSWORD);
	} else if (f->any_mfa_pending) {
		unsigned offer = f->usable & f->methods_needed;
		if (offer == 0) {
			need_registration(out, f);
		} else {
			set_outcome(out, DECISION_MFA_REQUIRED, DECISION_CODE_MFA_REQUIRED, FR_MFA);
			out->methods = offer;
		}
	} else if (f->ca_password_change) {
		set_outcome(out, DECISION_PASSWORD_CHANGE_REQUIRED, DECISION_CODE_PASSWORD_EXPIRED, FR_PASSWORD);
	} else if (in->tenant->security_defaults && !f->registered) {
		sd_registration(out, f);
	}
}

/* authenticationRequirement and the MFA step's result detail. */
static void summarise(struct decision *out)
{
	const char *pending = NULL, *met = NULL, *skipped = NULL;
	for (size_t i = 0; i < out->n_sources; i++) {
		const struct decision_source *s = &out->sources[i];
		bool registration = s->provider == DECISION_PROVIDER_SD_REGISTRATION ||
		                    s->provider == DECISION_PROVIDER_CA_REGISTRATION;
		if (!registration && (s->status == DECISION_SRC_SATISFIED || s->status == DECISION_SRC_PENDING))
			out->multi_factor = true;
		if (!s->result_detail)
			continue;
		if (s->status == DECISION_SRC_PENDING && !pending)
			pending = s->result_detail;
		else if (s->status == DECISION_SRC_SATISFIED && !met)
			met = s->result_detail;
		else if (s->status == DECISION_SRC_SKIPPED && !skipped)
			skipped = s->result_detail;
	}
	out->mfa_detail = pending ? pending : met ? met : skipped;
}

/* ---- entry point -------------------------------------------------------- */

static void reset(struct decision *out)
{
	out->outcome = DECISION_ALLOW;
	out->error_code = DECISION_CODE_OK;
	out->failure_reason = "";
	out->multi_factor = false;
	out->methods = 0;
	out->can_skip = false;
	out->days_left = 0;
	out->mfa_detail = NULL;
	out->remember_device_allowed = false;
	out->session_max_age = -1;
	out->persistent_browser = CA_BROWSER_MODE_NONE;
	out->ca_status = DECISION_CA_NOT_APPLIED;
	out->n_sources = 0;
	out->n_policies = 0;
}

static bool input_valid(const struct decision_input *in)
{
	return in && in->tenant && in->user && in->app &&
	       (unsigned)in->client < DECISION_CLIENT_COUNT_ &&
	       (unsigned)in->platform < PLATFORM_COUNT_ &&
	       (unsigned)in->sign_in_risk < RISK_LEVEL_COUNT_ &&
	       (unsigned)in->user_risk < RISK_LEVEL_COUNT_ &&
	       (unsigned)in->user->state <= MFA_STATE_ENFORCED &&
	       (unsigned)in->credential <= DECISION_CRED_SESSION;
}

int decision_evaluate(const struct decision_input *in, struct decision *out)
{
	struct facts f;

	if (!out)
		return TG_ERR_INVALID;
	reset(out);
	if (!input_valid(in)) {
		set_outcome(out, DECISION_BLOCKED, DECISION_CODE_OK, FR_INVALID);
		return TG_ERR_INVALID;
	}

	memset(&f, 0, sizeof f);
	f.in = in;
	f.legacy = in->client == DECISION_CLIENT_EXCHANGE_ACTIVESYNC || in->client == DECISION_CLIENT_OTHER;
	f.usable = decision_usable_methods(in->user->methods, in->tenant->verification_options);
	f.registered = f.usable != 0;
	f.trusted_ip = in->tenant->trusted_ips && cidr_set_contains(in->tenant->trusted_ips, &in->ip);
	f.remembered = in->remembered_device && in->tenant->remember_mfa_days > 0 && !f.legacy;
	f.methods_needed = CA_METHOD_ALL;

	/* App passwords replace the password for legacy clients only, and
	 * never for administration (SPEC §2): anywhere else they are simply
	 * wrong credentials. */
	if (in->credential == DECISION_CRED_APP_PASSWORD && (!f.legacy || in->app->privileged)) {
		set_outcome(out, DECISION_BLOCKED, DECISION_CODE_BAD_CREDENTIALS,
		            f.legacy ? FR_BAD_APP_PASSWORD_ADMIN : FR_BAD_APP_PASSWORD_CLIENT);
		return TG_OK;
	}

	source_per_user(out, &f);
	if (in->step_up_mfa)
		require_mfa(out, &f, DECISION_PROVIDER_REQUEST, "the application asked for MFA (acr)", false);
	if (in->tenant->security_defaults)
		source_security_defaults(out, &f);
	if (in->tenant->ca)
		source_ca(out, &f);
	combine(out, &f);
	summarise(out);
	out->remember_device_allowed = in->tenant->remember_mfa_days > 0 &&
	                               in->client == DECISION_CLIENT_BROWSER && !f.ca_sif &&
	                               !in->user->is_guest;
	return TG_OK;
}
