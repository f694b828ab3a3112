/* SPDX-License-Identifier: MIT
 * Per-user MFA state machine (SPEC §2). Pure: no I/O.
 *
 *   disabled --admin set--> any state            (admin may set any state)
 *   enabled  --registration completed--> enforced
 *
 * "Registration completed" is the activation of a user's FIRST method. A user
 * who already has methods and is set to `enabled` again stays `enabled`: no
 * registration event happens, so an administrator must move them to
 * `enforced` directly (the Entra UI behaviour; SPEC §2 chooses it over the
 * Graph doc's auto-enforce, reference/entra.md §1.1 CONFLICT).
 * Conditional Access and security defaults never change this state. */
#ifndef TG_CORE_MFA_STATE_H
#define TG_CORE_MFA_STATE_H
#include <stdbool.h>

enum mfa_state {
	MFA_STATE_DISABLED = 0,
	MFA_STATE_ENABLED = 1,
	MFA_STATE_ENFORCED = 2,
};

enum mfa_event {
	MFA_EV_ADMIN_SET_DISABLED,
	MFA_EV_ADMIN_SET_ENABLED,
	MFA_EV_ADMIN_SET_ENFORCED,
	MFA_EV_REGISTRATION_COMPLETED, /* the user's first method became active */
	MFA_EV_METHODS_REMOVED,        /* require re-register / all methods deleted */
};

/* Outcome of applying an event. */
struct mfa_transition {
	enum mfa_state from;
	enum mfa_state to;
	bool changed;      /* to != from: audit as a change */
	bool audit;        /* write an audit record (changes, and automatic moves) */
	const char *why;   /* static text for the audit log */
};

/* Apply ev to state `from`. has_methods: the user has at least one active
 * method at the time of the event. Returns TG_OK, or TG_ERR_INVALID for an
 * out-of-range state or event. */
int mfa_state_apply(enum mfa_state from, enum mfa_event ev, bool has_methods,
                    struct mfa_transition *out);

/* "disabled" / "enabled" / "enforced" (Graph perUserMfaState values). */
const char *mfa_state_name(enum mfa_state s);
/* Case-insensitive parse of the names above: TG_OK or TG_ERR_INVALID. */
int mfa_state_parse(const char *s, enum mfa_state *out);
/* The admin-set event that targets state s. */
enum mfa_event mfa_event_admin_set(enum mfa_state s);

#endif
