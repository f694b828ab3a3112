/* SPDX-License-Identifier: MIT
 * The per-user MFA state machine, the whole table: every state x event x
 * has-methods combination with its expected next state (SPEC §2). */
#include "harness.h"
#include "base/err.h"
#include "core/mfa_state.h"

#define D MFA_STATE_DISABLED
#define E MFA_STATE_ENABLED
#define F MFA_STATE_ENFORCED

static const struct {
	enum mfa_state from;
	enum mfa_event ev;
	bool has_methods;
	enum mfa_state to;
} table[] = {
	/* admin may set any state from any state, methods or not */
	{D, MFA_EV_ADMIN_SET_DISABLED, false, D}, {D, MFA_EV_ADMIN_SET_DISABLED, true, D},
	{D, MFA_EV_ADMIN_SET_ENABLED, false, E},  {D, MFA_EV_ADMIN_SET_ENABLED, true, E},
	{D, MFA_EV_ADMIN_SET_ENFORCED, false, F}, {D, MFA_EV_ADMIN_SET_ENFORCED, true, F},
	{E, MFA_EV_ADMIN_SET_DISABLED, false, D}, {E, MFA_EV_ADMIN_SET_DISABLED, true, D},
	{E, MFA_EV_ADMIN_SET_ENABLED, false, E},  {E, MFA_EV_ADMIN_SET_ENABLED, true, E},
	{E, MFA_EV_ADMIN_SET_ENFORCED, false, F}, {E, MFA_EV_ADMIN_SET_ENFORCED, true, F},
	{F, MFA_EV_ADMIN_SET_DISABLED, false, D}, {F, MFA_EV_ADMIN_SET_DISABLED, true, D},
	/* re-enabled with methods already: stays enabled (no registration event) */
	{F, MFA_EV_ADMIN_SET_ENABLED, false, E},  {F, MFA_EV_ADMIN_SET_ENABLED, true, E},
	{F, MFA_EV_ADMIN_SET_ENFORCED, false, F}, {F, MFA_EV_ADMIN_SET_ENFORCED, true, F},
	/* registration completed: only enabled moves, to enforced */
	{D, MFA_EV_REGISTRATION_COMPLETED, true, D},
	{E, MFA_EV_REGISTRATION_COMPLETED, true, F},
	{F, MFA_EV_REGISTRATION_COMPLETED, true, F},
	{D, MFA_EV_REGISTRATION_COMPLETED, false, D},
	{E, MFA_EV_REGISTRATION_COMPLETED, false, F},
	{F, MFA_EV_REGISTRATION_COMPLETED, false, F},
	/* removing methods never changes the state */
	{D, MFA_EV_METHODS_REMOVED, false, D}, {D, MFA_EV_METHODS_REMOVED, true, D},
	{E, MFA_EV_METHODS_REMOVED, false, E}, {E, MFA_EV_METHODS_REMOVED, true, E},
	{F, MFA_EV_METHODS_REMOVED, false, F}, {F, MFA_EV_METHODS_REMOVED, true, F},
};

static void whole_table(void)
{
	for (unsigned i = 0; i < sizeof table / sizeof table[0]; i++) {
		struct mfa_transition t;
		CHECK_OK(mfa_state_apply(table[i].from, table[i].ev, table[i].has_methods, &t));
		if (t.to != table[i].to)
			TG_T_FAIL("row %u: %s --ev %d (methods=%d)--> %s, expected %s", i,
			          mfa_state_name(table[i].from), table[i].ev, table[i].has_methods,
			          mfa_state_name(t.to), mfa_state_name(table[i].to));
		CHECK_INT(t.from, table[i].from);
		CHECK_INT(t.changed, table[i].from != table[i].to);
		CHECK_INT(t.audit, t.changed);
		CHECK(t.why != NULL);
	}
	CHECK_INT(sizeof table / sizeof table[0], 3 * 5 * 2);
}

static void bad_values_refused(void)
{
	struct mfa_transition t;
	CHECK_INT(mfa_state_apply((enum mfa_state)3, MFA_EV_ADMIN_SET_ENABLED, false, &t), TG_ERR_INVALID);
	CHECK_INT(mfa_state_apply(D, (enum mfa_event)99, false, &t), TG_ERR_INVALID);
}

static void names_round_trip(void)
{
	enum mfa_state s;
	for (int i = 0; i < 3; i++) {
		CHECK_OK(mfa_state_parse(mfa_state_name((enum mfa_state)i), &s));
		CHECK_INT(s, i);
	}
	CHECK_OK(mfa_state_parse("ENFORCED", &s));
	CHECK_INT(s, F);
	CHECK_INT(mfa_state_parse("on", &s), TG_ERR_INVALID);
	CHECK_INT(mfa_state_parse("", &s), TG_ERR_INVALID);
	CHECK_INT(mfa_event_admin_set(E), MFA_EV_ADMIN_SET_ENABLED);
	CHECK_INT(mfa_event_admin_set(F), MFA_EV_ADMIN_SET_ENFORCED);
	CHECK_INT(mfa_event_admin_set(D), MFA_EV_ADMIN_SET_DISABLED);
}

int main(void)
{
	TEST(whole_table);
	TEST(bad_values_refused);
	TEST(names_round_trip);
	return tg_test_done();
}
