/* SPDX-License-Identifier: MIT
 * Per-user MFA state machine as a table (see mfa_state.h). */
#include "base/err.h"
#include "base/str.h"
#include "core/mfa_state.h"

static const char *names[] = {"disabled", "enabled", "enforced"};

const char *mfa_state_name(enum mfa_state s)
{
	return (unsigned)s < 3 ? names[s] : "unknown";
}

int mfa_state_parse(const char *s, enum mfa_state *out)
{
	for (int i = 0; i < 3; i++)
		if (tg_streq_ci(s, names[i])) {
			*out = (enum mfa_state)i;
			return TG_OK;
		}
	return TG_ERR_INVALID;
}

enum mfa_event mfa_event_admin_set(enum mfa_state s)
{
	switch (s) {
	case MFA_STATE_ENABLED: return MFA_EV_ADMIN_SET_ENABLED;
	case MFA_STATE_ENFORCED: return MFA_EV_ADMIN_SET_ENFORCED;
	case MFA_STATE_DISABLED: break;
	}
	return MFA_EV_ADMIN_SET_DISABLED;
}

int mfa_state_apply(enum mfa_state from, enum mfa_event ev, bool has_methods,
                    struct mfa_transition *out)
{
	if ((unsigned)from > MFA_STATE_ENFORCED)
		return TG_ERR_INVALID;
	enum mfa_state to = from;
	const char *why;
	switch (ev) {
	case MFA_EV_ADMIN_SET_DISABLED:
		to = MFA_STATE_DISABLED;
		why = "set by administrator";
		break;
	case MFA_EV_ADMIN_SET_ENABLED:
		/* Stays enabled even when methods exist: no registration event. */
		to = MFA_STATE_ENABLED;
		why = has_methods ? "set by administrator (user already has methods: "
		                    "stays enabled until set to enforced)"
		                  : "set by administrator";
		break;
	case MFA_EV_ADMIN_SET_ENFORCED:
		to = MFA_STATE_ENFORCED;
		why = "set by administrator";
		break;
	case MFA_EV_REGISTRATION_COMPLETED:
		if (from == MFA_STATE_ENABLED)
			to = MFA_STATE_ENFORCED;
		why = "user completed MFA registration";
		break;
	case MFA_EV_METHODS_REMOVED:
		/* The state is kept; the user registers again at next sign-in. */
		why = "methods removed";
		break;
	default:
		return TG_ERR_INVALID;
	}
	out->from = from;
	out->to = to;
	out->changed = to != from;
	out->audit = out->changed;
	out->why = why;
	return TG_OK;
}
