/* SPDX-License-Identifier: MIT
 * Per-user MFA (SPEC §2), the whole matrix: state x client type x
 * registered x trusted IP x remembered device x app password, each row
 * with the expected outcome, Entra error code and MFA result detail; then
 * the exceptions' finer points (claims, verification options, step-up,
 * non-interactive sign-ins). */
#include "decision_fixture.h"

#define D MFA_STATE_DISABLED
#define E MFA_STATE_ENABLED
#define F MFA_STATE_ENFORCED
#define BR DECISION_CLIENT_BROWSER
#define MD DECISION_CLIENT_MOBILE_DESKTOP
#define EAS DECISION_CLIENT_EXCHANGE_ACTIVESYNC
#define OTH DECISION_CLIENT_OTHER
#define ALLOW DECISION_ALLOW
#define MFA DECISION_MFA_REQUIRED
#define REG DECISION_REGISTRATION_REQUIRED
#define APPPW_REQ DECISION_APP_PASSWORD_REQUIRED
#define BLOCKED DECISION_BLOCKED
#define LOC "skipped due to location"
#define REM "skipped due to remembered device"
#define APPPW "skipped due to app password"
#define NOREG "user doesn't have any verification methods registered"
#define INPROG "authentication in-progress"
#define APPPW_REQ_RD "app password required"

enum ap {
	AP_NONE,   /* no app password created; signs in with the password */
	AP_HAS,    /* has app passwords; signs in with the password */
	AP_USED,   /* has app passwords; signs in with one */
};

static const struct row {
	enum mfa_state state;
	enum decision_client client;
	int registered, trusted_ip, remembered;
	enum ap ap;
	enum decision_outcome outcome;
	int code;
	const char *detail;   /* the MFA step's result detail; NULL = no MFA step */
} matrix[] = {
	/* state client reg tip rem app-password -> outcome code detail */
	{D, BR, 0, 0, 0, AP_NONE, ALLOW, 0, NULL},
	{D, BR, 0, 0, 0, AP_HAS, ALLOW, 0, NULL},
	{D, BR, 0, 0, 0, AP_USED, BLOCKED, 50126, NULL},
	{D, BR, 0, 0, 1, AP_NONE, ALLOW, 0, NULL},
	{D, BR, 0, 0, 1, AP_HAS, ALLOW, 0, NULL},
	{D, BR, 0, 0, 1, AP_USED, BLOCKED, 50126, NULL},
	{D, BR, 0, 1, 0, AP_NONE, ALLOW, 0, NULL},
	{D, BR, 0, 1, 0, AP_HAS, ALLOW, 0, NULL},
	{D, BR, 0, 1, 0, AP_USED, BLOCKED, 50126, NULL},
	{D, BR, 0, 1, 1, AP_NONE, ALLOW, 0, NULL},
	{D, BR, 0, 1, 1, AP_HAS, ALLOW, 0, NULL},
	{D, BR, 0, 1, 1, AP_USED, BLOCKED, 50126, NULL},
	{D, BR, 1, 0, 0, AP_NONE, ALLOW, 0, NULL},
	{D, BR, 1, 0, 0, AP_HAS, ALLOW, 0, NULL},
	{D, BR, 1, 0, 0, AP_USED, BLOCKED, 50126, NULL},
	{D, BR, 1, 0, 1, AP_NONE, ALLOW, 0, NULL},
	{D, BR, 1, 0, 1, AP_HAS, ALLOW, 0, NULL},
	{D, BR, 1, 0, 1, AP_USED, BLOCKED, 50126, NULL},
	{D, BR, 1, 1, 0, AP_NONE, ALLOW, 0, NULL},
	{D, BR, 1, 1, 0, AP_HAS, ALLOW, 0, NULL},
	{D, BR, 1, 1, 0, AP_USED, BLOCKED, 50126, NULL},
	{D, BR, 1, 1, 1, AP_NONE, ALLOW, 0, NULL},
	{D, BR, 1, 1, 1, AP_HAS, ALLOW, 0, NULL},
	{D, BR, 1, 1, 1, AP_USED, BLOCKED, 50126, NULL},
	{D, MD, 0, 0, 0, AP_NONE, ALLOW, 0, NULL},
	{D, MD, 0, 0, 0, AP_HAS, ALLOW, 0, NULL},
	{D, MD, 0, 0, 0, AP_USED, BLOCKED, 50126, NULL},
	{D, MD, 0, 0, 1, AP_NONE, ALLOW, 0, NULL},
	{D, MD, 0, 0, 1, AP_HAS, ALLOW, 0, NULL},
	{D, MD, 0, 0, 1, AP_USED, BLOCKED, 50126, NULL},
	{D, MD, 0, 1, 0, AP_NONE, ALLOW, 0, NULL},
	{D, MD, 0, 1, 0, AP_HAS, ALLOW, 0, NULL},
	{D, MD, 0, 1, 0, AP_USED, BLOCKED, 50126, NULL},
	{D, MD, 0, 1, 1, AP_NONE, ALLOW, 0, NULL},
	{D, MD, 0, 1, 1, AP_HAS, ALLOW, 0, NULL},
	{D, MD, 0, 1, 1, AP_USED, BLOCKED, 50126, NULL},
	{D, MD, 1, 0, 0, AP_NONE, ALLOW, 0, NULL},
	{D, MD, 1, 0, 0, AP_HAS, ALLOW, 0, NULL},
	{D, MD, 1, 0, 0, AP_USED, BLOCKED, 50126, NULL},
	{D, MD, 1, 0, 1, AP_NONE, ALLOW, 0, NULL},
	{D, MD, 1, 0, 1, AP_HAS, ALLOW, 0, NULL},
	{D, MD, 1, 0, 1, AP_USED, BLOCKED, 50126, NULL},
	{D, MD, 1, 1, 0, AP_NONE, ALLOW, 0, NULL},
	{D, MD, 1, 1, 0, AP_HAS, ALLOW, 0, NULL},
	{D, MD, 1, 1, 0, AP_USED, BLOCKED, 50126, NULL},
	{D, MD, 1, 1, 1, AP_NONE, ALLOW, 0, NULL},
	{D, MD, 1, 1, 1, AP_HAS, ALLOW, 0, NULL},
	{D, MD, 1, 1, 1, AP_USED, BLOCKED, 50126, NULL},
	{D, EAS, 0, 0, 0, AP_NONE, ALLOW, 0, NULL},
	{D, EAS, 0, 0, 0, AP_HAS, ALLOW, 0, NULL},
	{D, EAS, 0, 0, 0, AP_USED, ALLOW, 0, NULL},
	{D, EAS, 0, 0, 1, AP_NONE, ALLOW, 0, NULL},
	{D, EAS, 0, 0, 1, AP_HAS, ALLOW, 0, NULL},
	{D, EAS, 0, 0, 1, AP_USED, ALLOW, 0, NULL},
	{D, EAS, 0, 1, 0, AP_NONE, ALLOW, 0, NULL},
	{D, EAS, 0, 1, 0, AP_HAS, ALLOW, 0, NULL},
	{D, EAS, 0, 1, 0, AP_USED, ALLOW, 0, NULL},
	{D, EAS, 0, 1, 1, AP_NONE, ALLOW, 0, NULL},
	{D, EAS, 0, 1, 1, AP_HAS, ALLOW, 0, NULL},
	{D, EAS, 0, 1, 1, AP_USED, ALLOW, 0, NULL},
	{D, EAS, 1, 0, 0, AP_NONE, ALLOW, 0, NULL},
	{D, EAS, 1, 0, 0, AP_HAS, ALLOW, 0, NULL},
	{D, EAS, 1, 0, 0, AP_USED, ALLOW, 0, NULL},
	{D, EAS, 1, 0, 1, AP_NONE, ALLOW, 0, NULL},
	{D, EAS, 1, 0, 1, AP_HAS, ALLOW, 0, NULL},
	{D, EAS, 1, 0, 1, AP_USED, ALLOW, 0, NULL},
	{D, EAS, 1, 1, 0, AP_NONE, ALLOW, 0, NULL},
	{D, EAS, 1, 1, 0, AP_HAS, ALLOW, 0, NULL},
	{D, EAS, 1, 1, 0, AP_USED, ALLOW, 0, NULL},
	{D, EAS, 1, 1, 1, AP_NONE, ALLOW, 0, NULL},
	{D, EAS, 1, 1, 1, AP_HAS, ALLOW, 0, NULL},
	{D, EAS, 1, 1, 1, AP_USED, ALLOW, 0, NULL},
	{D, OTH, 0, 0, 0, AP_NONE, ALLOW, 0, NULL},
	{D, OTH, 0, 0, 0, AP_HAS, ALLOW, 0, NULL},
	{D, OTH, 0, 0, 0, AP_USED, ALLOW, 0, NULL},
	{D, OTH, 0, 0, 1, AP_NONE, ALLOW, 0, NULL},
	{D, OTH, 0, 0, 1, AP_HAS, ALLOW, 0, NULL},
	{D, OTH, 0, 0, 1, AP_USED, ALLOW, 0, NULL},
	{D, OTH, 0, 1, 0, AP_NONE, ALLOW, 0, NULL},
	{D, OTH, 0, 1, 0, AP_HAS, ALLOW, 0, NULL},
	{D, OTH, 0, 1, 0, AP_USED, ALLOW, 0, NULL},
	{D, OTH, 0, 1, 1, AP_NONE, ALLOW, 0, NULL},
	{D, OTH, 0, 1, 1, AP_HAS, ALLOW, 0, NULL},
	{D, OTH, 0, 1, 1, AP_USED, ALLOW, 0, NULL},
	{D, OTH, 1, 0, 0, AP_NONE, ALLOW, 0, NULL},
	{D, OTH, 1, 0, 0, AP_HAS, ALLOW, 0, NULL},
	{D, OTH, 1, 0, 0, AP_USED, ALLOW, 0, NULL},
	{D, OTH, 1, 0, 1, AP_NONE, ALLOW, 0, NULL},
	{D, OTH, 1, 0, 1, AP_HAS, ALLOW, 0, NULL},
	{D, OTH, 1, 0, 1, AP_USED, ALLOW, 0, NULL},
	{D, OTH, 1, 1, 0, AP_NONE, ALLOW, 0, NULL},
	{D, OTH, 1, 1, 0, AP_HAS, ALLOW, 0, NULL},
	{D, OTH, 1, 1, 0, AP_USED, ALLOW, 0, NULL},
	{D, OTH, 1, 1, 1, AP_NONE, ALLOW, 0, NULL},
	{D, OTH, 1, 1, 1, AP_HAS, ALLOW, 0, NULL},
	{D, OTH, 1, 1, 1, AP_USED, ALLOW, 0, NULL},
	{E, BR, 0, 0, 0, AP_NONE, REG, 50072, NOREG},
	{E, BR, 0, 0, 0, AP_HAS, REG, 50072, NOREG},
	{E, BR, 0, 0, 0, AP_USED, BLOCKED, 50126, NULL},
	{E, BR, 0, 0, 1, AP_NONE, ALLOW, 0, REM},
	{E, BR, 0, 0, 1, AP_HAS, ALLOW, 0, REM},
	{E, BR, 0, 0, 1, AP_USED, BLOCKED, 50126, NULL},
	{E, BR, 0, 1, 0, AP_NONE, ALLOW, 0, LOC},
	{E, BR, 0, 1, 0, AP_HAS, ALLOW, 0, LOC},
	{E, BR, 0, 1, 0, AP_USED, BLOCKED, 50126, NULL},
	{E, BR, 0, 1, 1, AP_NONE, ALLOW, 0, LOC},
	{E, BR, 0, 1, 1, AP_HAS, ALLOW, 0, LOC},
	{E, BR, 0, 1, 1, AP_USED, BLOCKED, 50126, NULL},
	{E, BR, 1, 0, 0, AP_NONE, MFA, 50076, INPROG},
	{E, BR, 1, 0, 0, AP_HAS, MFA, 50076, INPROG},
	{E, BR, 1, 0, 0, AP_USED, BLOCKED, 50126, NULL},
	{E, BR, 1, 0, 1, AP_NONE, ALLOW, 0, REM},
	{E, BR, 1, 0, 1, AP_HAS, ALLOW, 0, REM},
	{E, BR, 1, 0, 1, AP_USED, BLOCKED, 50126, NULL},
	{E, BR, 1, 1, 0, AP_NONE, ALLOW, 0, LOC},
	{E, BR, 1, 1, 0, AP_HAS, ALLOW, 0, LOC},
	{E, BR, 1, 1, 0, AP_USED, BLOCKED, 50126, NULL},
	{E, BR, 1, 1, 1, AP_NONE, ALLOW, 0, LOC},
	{E, BR, 1, 1, 1, AP_HAS, ALLOW, 0, LOC},
	{E, BR, 1, 1, 1, AP_USED, BLOCKED, 50126, NULL},
	{E, MD, 0, 0, 0, AP_NONE, REG, 50072, NOREG},
	{E, MD, 0, 0, 0, AP_HAS, REG, 50072, NOREG},
	{E, MD, 0, 0, 0, AP_USED, BLOCKED, 50126, NULL},
	{E, MD, 0, 0, 1, AP_NONE, ALLOW, 0, REM},
	{E, MD, 0, 0, 1, AP_HAS, ALLOW, 0, REM},
	{E, MD, 0, 0, 1, AP_USED, BLOCKED, 50126, NULL},
	{E, MD, 0, 1, 0, AP_NONE, ALLOW, 0, LOC},
	{E, MD, 0, 1, 0, AP_HAS, ALLOW, 0, LOC},
	{E, MD, 0, 1, 0, AP_USED, BLOCKED, 50126, NULL},
	{E, MD, 0, 1, 1, AP_NONE, ALLOW, 0, LOC},
	{E, MD, 0, 1, 1, AP_HAS, ALLOW, 0, LOC},
	{E, MD, 0, 1, 1, AP_USED, BLOCKED, 50126, NULL},
	{E, MD, 1, 0, 0, AP_NONE, MFA, 50076, INPROG},
	{E, MD, 1, 0, 0, AP_HAS, MFA, 50076, INPROG},
	{E, MD, 1, 0, 0, AP_USED, BLOCKED, 50126, NULL},
	{E, MD, 1, 0, 1, AP_NONE, ALLOW, 0, REM},
	{E, MD, 1, 0, 1, AP_HAS, ALLOW, 0, REM},
	{E, MD, 1, 0, 1, AP_USED, BLOCKED, 50126, NULL},
	{E, MD, 1, 1, 0, AP_NONE, ALLOW, 0, LOC},
	{E, MD, 1, 1, 0, AP_HAS, ALLOW, 0, LOC},
	{E, MD, 1, 1, 0, AP_USED, BLOCKED, 50126, NULL},
	{E, MD, 1, 1, 1, AP_NONE, ALLOW, 0, LOC},
	{E, MD, 1, 1, 1, AP_HAS, ALLOW, 0, LOC},
	{E, MD, 1, 1, 1, AP_USED, BLOCKED, 50126, NULL},
	{E, EAS, 0, 0, 0, AP_NONE, ALLOW, 0, NULL},
	{E, EAS, 0, 0, 0, AP_HAS, ALLOW, 0, NULL},
	{E, EAS, 0, 0, 0, AP_USED, ALLOW, 0, APPPW},
	{E, EAS, 0, 0, 1, AP_NONE, ALLOW, 0, NULL},
	{E, EAS, 0, 0, 1, AP_HAS, ALLOW, 0, NULL},
	{E, EAS, 0, 0, 1, AP_USED, ALLOW, 0, APPPW},
	{E, EAS, 0, 1, 0, AP_NONE, ALLOW, 0, NULL},
	{E, EAS, 0, 1, 0, AP_HAS, ALLOW, 0, NULL},
	{E, EAS, 0, 1, 0, AP_USED, ALLOW, 0, APPPW},
	{E, EAS, 0, 1, 1, AP_NONE, ALLOW, 0, NULL},
	{E, EAS, 0, 1, 1, AP_HAS, ALLOW, 0, NULL},
	{E, EAS, 0, 1, 1, AP_USED, ALLOW, 0, APPPW},
	{E, EAS, 1, 0, 0, AP_NONE, ALLOW, 0, NULL},
	{E, EAS, 1, 0, 0, AP_HAS, ALLOW, 0, NULL},
	{E, EAS, 1, 0, 0, AP_USED, ALLOW, 0, APPPW},
	{E, EAS, 1, 0, 1, AP_NONE, ALLOW, 0, NULL},
	{E, EAS, 1, 0, 1, AP_HAS, ALLOW, 0, NULL},
	{E, EAS, 1, 0, 1, AP_USED, ALLOW, 0, APPPW},
	{E, EAS, 1, 1, 0, AP_NONE, ALLOW, 0, NULL},
	{E, EAS, 1, 1, 0, AP_HAS, ALLOW, 0, NULL},
	{E, EAS, 1, 1, 0, AP_USED, ALLOW, 0, APPPW},
	{E, EAS, 1, 1, 1, AP_NONE, ALLOW, 0, NULL},
	{E, EAS, 1, 1, 1, AP_HAS, ALLOW, 0, NULL},
	{E, EAS, 1, 1, 1, AP_USED, ALLOW, 0, APPPW},
	{E, OTH, 0, 0, 0, AP_NONE, ALLOW, 0, NULL},
	{E, OTH, 0, 0, 0, AP_HAS, ALLOW, 0, NULL},
	{E, OTH, 0, 0, 0, AP_USED, ALLOW, 0, APPPW},
	{E, OTH, 0, 0, 1, AP_NONE, ALLOW, 0, NULL},
	{E, OTH, 0, 0, 1, AP_HAS, ALLOW, 0, NULL},
	{E, OTH, 0, 0, 1, AP_USED, ALLOW, 0, APPPW},
	{E, OTH, 0, 1, 0, AP_NONE, ALLOW, 0, NULL},
	{E, OTH, 0, 1, 0, AP_HAS, ALLOW, 0, NULL},
	{E, OTH, 0, 1, 0, AP_USED, ALLOW, 0, APPPW},
	{E, OTH, 0, 1, 1, AP_NONE, ALLOW, 0, NULL},
	{E, OTH, 0, 1, 1, AP_HAS, ALLOW, 0, NULL},
	{E, OTH, 0, 1, 1, AP_USED, ALLOW, 0, APPPW},
	{E, OTH, 1, 0, 0, AP_NONE, ALLOW, 0, NULL},
	{E, OTH, 1, 0, 0, AP_HAS, ALLOW, 0, NULL},
	{E, OTH, 1, 0, 0, AP_USED, ALLOW, 0, APPPW},
	{E, OTH, 1, 0, 1, AP_NONE, ALLOW, 0, NULL},
	{E, OTH, 1, 0, 1, AP_HAS, ALLOW, 0, NULL},
	{E, OTH, 1, 0, 1, AP_USED, ALLOW, 0, APPPW},
	{E, OTH, 1, 1, 0, AP_NONE, ALLOW, 0, NULL},
	{E, OTH, 1, 1, 0, AP_HAS, ALLOW, 0, NULL},
	{E, OTH, 1, 1, 0, AP_USED, ALLOW, 0, APPPW},
	{E, OTH, 1, 1, 1, AP_NONE, ALLOW, 0, NULL},
	{E, OTH, 1, 1, 1, AP_HAS, ALLOW, 0, NULL},
	{E, OTH, 1, 1, 1, AP_USED, ALLOW, 0, APPPW},
	{F, BR, 0, 0, 0, AP_NONE, REG, 50072, NOREG},
	{F, BR, 0, 0, 0, AP_HAS, REG, 50072, NOREG},
	{F, BR, 0, 0, 0, AP_USED, BLOCKED, 50126, NULL},
	{F, BR, 0, 0, 1, AP_NONE, ALLOW, 0, REM},
	{F, BR, 0, 0, 1, AP_HAS, ALLOW, 0, REM},
	{F, BR, 0, 0, 1, AP_USED, BLOCKED, 50126, NULL},
	{F, BR, 0, 1, 0, AP_NONE, ALLOW, 0, LOC},
	{F, BR, 0, 1, 0, AP_HAS, ALLOW, 0, LOC},
	{F, BR, 0, 1, 0, AP_USED, BLOCKED, 50126, NULL},
	{F, BR, 0, 1, 1, AP_NONE, ALLOW, 0, LOC},
	{F, BR, 0, 1, 1, AP_HAS, ALLOW, 0, LOC},
	{F, BR, 0, 1, 1, AP_USED, BLOCKED, 50126, NULL},
	{F, BR, 1, 0, 0, AP_NONE, MFA, 50076, INPROG},
	{F, BR, 1, 0, 0, AP_HAS, MFA, 50076, INPROG},
	{F, BR, 1, 0, 0, AP_USED, BLOCKED, 50126, NULL},
	{F, BR, 1, 0, 1, AP_NONE, ALLOW, 0, REM},
	{F, BR, 1, 0, 1, AP_HAS, ALLOW, 0, REM},
	{F, BR, 1, 0, 1, AP_USED, BLOCKED, 50126, NULL},
	{F, BR, 1, 1, 0, AP_NONE, ALLOW, 0, LOC},
	{F, BR, 1, 1, 0, AP_HAS, ALLOW, 0, LOC},
	{F, BR, 1, 1, 0, AP_USED, BLOCKED, 50126, NULL},
	{F, BR, 1, 1, 1, AP_NONE, ALLOW, 0, LOC},
	{F, BR, 1, 1, 1, AP_HAS, ALLOW, 0, LOC},
	{F, BR, 1, 1, 1, AP_USED, BLOCKED, 50126, NULL},
	{F, MD, 0, 0, 0, AP_NONE, REG, 50072, NOREG},
	{F, MD, 0, 0, 0, AP_HAS, REG, 50072, NOREG},
	{F, MD, 0, 0, 0, AP_USED, BLOCKED, 50126, NULL},
	{F, MD, 0, 0, 1, AP_NONE, ALLOW, 0, REM},
	{F, MD, 0, 0, 1, AP_HAS, ALLOW, 0, REM},
	{F, MD, 0, 0, 1, AP_USED, BLOCKED, 50126, NULL},
	{F, MD, 0, 1, 0, AP_NONE, ALLOW, 0, LOC},
	{F, MD, 0, 1, 0, AP_HAS, ALLOW, 0, LOC},
	{F, MD, 0, 1, 0, AP_USED, BLOCKED, 50126, NULL},
	{F, MD, 0, 1, 1, AP_NONE, ALLOW, 0, LOC},
	{F, MD, 0, 1, 1, AP_HAS, ALLOW, 0, LOC},
	{F, MD, 0, 1, 1, AP_USED, BLOCKED, 50126, NULL},
	{F, MD, 1, 0, 0, AP_NONE, MFA, 50076, INPROG},
	{F, MD, 1, 0, 0, AP_HAS, MFA, 50076, INPROG},
	{F, MD, 1, 0, 0, AP_USED, BLOCKED, 50126, NULL},
	{F, MD, 1, 0, 1, AP_NONE, ALLOW, 0, REM},
	{F, MD, 1, 0, 1, AP_HAS, ALLOW, 0, REM},
	{F, MD, 1, 0, 1, AP_USED, BLOCKED, 50126, NULL},
	{F, MD, 1, 1, 0, AP_NONE, ALLOW, 0, LOC},
	{F, MD, 1, 1, 0, AP_HAS, ALLOW, 0, LOC},
	{F, MD, 1, 1, 0, AP_USED, BLOCKED, 50126, NULL},
	{F, MD, 1, 1, 1, AP_NONE, ALLOW, 0, LOC},
	{F, MD, 1, 1, 1, AP_HAS, ALLOW, 0, LOC},
	{F, MD, 1, 1, 1, AP_USED, BLOCKED, 50126, NULL},
	{F, EAS, 0, 0, 0, AP_NONE, APPPW_REQ, 50076, APPPW_REQ_RD},
	{F, EAS, 0, 0, 0, AP_HAS, APPPW_REQ, 50076, APPPW_REQ_RD},
	{F, EAS, 0, 0, 0, AP_USED, ALLOW, 0, APPPW},
	{F, EAS, 0, 0, 1, AP_NONE, APPPW_REQ, 50076, APPPW_REQ_RD},
	{F, EAS, 0, 0, 1, AP_HAS, APPPW_REQ, 50076, APPPW_REQ_RD},
	{F, EAS, 0, 0, 1, AP_USED, ALLOW, 0, APPPW},
	{F, EAS, 0, 1, 0, AP_NONE, ALLOW, 0, LOC},
	{F, EAS, 0, 1, 0, AP_HAS, APPPW_REQ, 50076, APPPW_REQ_RD},
	{F, EAS, 0, 1, 0, AP_USED, ALLOW, 0, APPPW},
	{F, EAS, 0, 1, 1, AP_NONE, ALLOW, 0, LOC},
	{F, EAS, 0, 1, 1, AP_HAS, APPPW_REQ, 50076, APPPW_REQ_RD},
	{F, EAS, 0, 1, 1, AP_USED, ALLOW, 0, APPPW},
	{F, EAS, 1, 0, 0, AP_NONE, APPPW_REQ, 50076, APPPW_REQ_RD},
	{F, EAS, 1, 0, 0, AP_HAS, APPPW_REQ, 50076, APPPW_REQ_RD},
	{F, EAS, 1, 0, 0, AP_USED, ALLOW, 0, APPPW},
	{F, EAS, 1, 0, 1, AP_NONE, APPPW_REQ, 50076, APPPW_REQ_RD},
	{F, EAS, 1, 0, 1, AP_HAS, APPPW_REQ, 50076, APPPW_REQ_RD},
	{F, EAS, 1, 0, 1, AP_USED, ALLOW, 0, APPPW},
	{F, EAS, 1, 1, 0, AP_NONE, ALLOW, 0, LOC},
	{F, EAS, 1, 1, 0, AP_HAS, APPPW_REQ, 50076, APPPW_REQ_RD},
	{F, EAS, 1, 1, 0, AP_USED, ALLOW, 0, APPPW},
	{F, EAS, 1, 1, 1, AP_NONE, ALLOW, 0, LOC},
	{F, EAS, 1, 1, 1, AP_HAS, APPPW_REQ, 50076, APPPW_REQ_RD},
	{F, EAS, 1, 1, 1, AP_USED, ALLOW, 0, APPPW},
	{F, OTH, 0, 0, 0, AP_NONE, APPPW_REQ, 50076, APPPW_REQ_RD},
	{F, OTH, 0, 0, 0, AP_HAS, APPPW_REQ, 50076, APPPW_REQ_RD},
	{F, OTH, 0, 0, 0, AP_USED, ALLOW, 0, APPPW},
	{F, OTH, 0, 0, 1, AP_NONE, APPPW_REQ, 50076, APPPW_REQ_RD},
	{F, OTH, 0, 0, 1, AP_HAS, APPPW_REQ, 50076, APPPW_REQ_RD},
	{F, OTH, 0, 0, 1, AP_USED, ALLOW, 0, APPPW},
	{F, OTH, 0, 1, 0, AP_NONE, ALLOW, 0, LOC},
	{F, OTH, 0, 1, 0, AP_HAS, APPPW_REQ, 50076, APPPW_REQ_RD},
	{F, OTH, 0, 1, 0, AP_USED, ALLOW, 0, APPPW},
	{F, OTH, 0, 1, 1, AP_NONE, ALLOW, 0, LOC},
	{F, OTH, 0, 1, 1, AP_HAS, APPPW_REQ, 50076, APPPW_REQ_RD},
	{F, OTH, 0, 1, 1, AP_USED, ALLOW, 0, APPPW},
	{F, OTH, 1, 0, 0, AP_NONE, APPPW_REQ, 50076, APPPW_REQ_RD},
	{F, OTH, 1, 0, 0, AP_HAS, APPPW_REQ, 50076, APPPW_REQ_RD},
	{F, OTH, 1, 0, 0, AP_USED, ALLOW, 0, APPPW},
	{F, OTH, 1, 0, 1, AP_NONE, APPPW_REQ, 50076, APPPW_REQ_RD},
	{F, OTH, 1, 0, 1, AP_HAS, APPPW_REQ, 50076, APPPW_REQ_RD},
	{F, OTH, 1, 0, 1, AP_USED, ALLOW, 0, APPPW},
	{F, OTH, 1, 1, 0, AP_NONE, ALLOW, 0, LOC},
	{F, OTH, 1, 1, 0, AP_HAS, APPPW_REQ, 50076, APPPW_REQ_RD},
	{F, OTH, 1, 1, 0, AP_USED, ALLOW, 0, APPPW},
	{F, OTH, 1, 1, 1, AP_NONE, ALLOW, 0, LOC},
	{F, OTH, 1, 1, 1, AP_HAS, APPPW_REQ, 50076, APPPW_REQ_RD},
	{F, OTH, 1, 1, 1, AP_USED, ALLOW, 0, APPPW},
};

static void setup_row(struct fx *f, const struct row *r)
{
	f->tenant.remember_mfa_days = 90;
	f->user.state = r->state;
	f->user.methods = r->registered ? CA_METHOD_SOFTWARE_OATH : 0;
	f->user.has_app_passwords = r->ap != AP_NONE;
	f->in.client = r->client;
	f->in.ip = fx_ip(r->trusted_ip ? "10.1.2.3" : "198.51.100.7");
	f->in.remembered_device = r->remembered;
	f->in.credential = r->ap == AP_USED ? DECISION_CRED_APP_PASSWORD : DECISION_CRED_PASSWORD;
}

static void whole_matrix(void)
{
	CHECK_INT(TG_ARRAY_LEN(matrix), 3 * 4 * 2 * 2 * 2 * 3);
	for (size_t i = 0; i < TG_ARRAY_LEN(matrix); i++) {
		const struct row *r = &matrix[i];
		struct fx f;
		fx_init(&f);
		setup_row(&f, r);
		CHECK_OK(fx_decide(&f));
		const char *got = f.d.mfa_detail;
		bool detail_ok = (!got && !r->detail) || (got && r->detail && strcmp(got, r->detail) == 0);
		if (f.d.outcome != r->outcome || f.d.error_code != r->code || !detail_ok)
			TG_T_FAIL("row %zu (%s %s reg=%d tip=%d rem=%d ap=%d): %s/%d/\"%s\", expected %s/%d/\"%s\"",
			          i, mfa_state_name(r->state), decision_client_name(r->client), r->registered,
			          r->trusted_ip, r->remembered, r->ap, decision_outcome_name(f.d.outcome),
			          f.d.error_code, got ? got : "(none)", decision_outcome_name(r->outcome),
			          r->code, r->detail ? r->detail : "(none)");
		/* every refusal says why; an allowed sign-in has no failure reason */
		if (r->outcome == ALLOW)
			CHECK_STR(f.d.failure_reason, "");
		else
			CHECK(f.d.failure_reason && f.d.failure_reason[0]);
		/* per-user MFA is the only source here: its provider is "user" */
		for (size_t k = 0; k < f.d.n_sources; k++)
			CHECK_INT(f.d.sources[k].provider, DECISION_PROVIDER_USER);
		if (r->state == D)
			CHECK_INT(f.d.n_sources, 0);
		/* MFA required offers exactly the registered method */
		if (r->outcome == MFA)
			CHECK_INT(f.d.methods, CA_METHOD_SOFTWARE_OATH);
		fx_cleanup(&f);
	}
}

static void requirement_and_sources_named(void)
{
	struct fx f;
	fx_init(&f);
	f.user.state = F;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, MFA, DECISION_CODE_MFA_REQUIRED);
	CHECK(f.d.multi_factor);
	REQUIRE(f.d.n_sources == 1);
	CHECK_STR(decision_provider_name(f.d.sources[0].provider), "user");
	CHECK_STR(f.d.sources[0].detail, "per-user MFA enforced");
	CHECK_INT(f.d.sources[0].status, DECISION_SRC_PENDING);
	/* lifted by a trusted IP: single factor */
	f.in.ip = fx_ip("10.9.9.9");
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, ALLOW, 0);
	CHECK(!f.d.multi_factor);
	CHECK_INT(f.d.sources[0].status, DECISION_SRC_SKIPPED);
	/* enabled user on a legacy client: the source is there, asks nothing */
	f.user.state = E;
	f.in.ip = fx_ip("198.51.100.7");
	f.in.client = OTH;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, ALLOW, 0);
	REQUIRE(f.d.n_sources == 1);
	CHECK_INT(f.d.sources[0].status, DECISION_SRC_NOT_REQUIRED);
	CHECK(!f.d.multi_factor);
	fx_cleanup(&f);
}

static void claim_in_token_satisfies(void)
{
	struct fx f;
	fx_init(&f);
	f.user.state = F;
	f.in.session.mfa_time = FX_NOW - 3600;
	f.in.session.mfa_methods = CA_METHOD_SMS;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, ALLOW, 0);
	CHECK_STR(f.d.mfa_detail, "satisfied by claim in the token");
	CHECK(f.d.multi_factor);
	/* the MFA just done in this sign-in */
	f.in.session.mfa_time = FX_NOW;
	f.in.session.mfa_this_signin = true;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, ALLOW, 0);
	CHECK_STR(f.d.mfa_detail, "successfully completed");
	/* a token refresh carrying the claim */
	f.in.session.mfa_this_signin = false;
	f.in.credential = DECISION_CRED_SESSION;
	f.in.interactive = false;
	f.in.session.auth_time = FX_NOW - 7200;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, ALLOW, 0);
	CHECK_STR(f.d.mfa_detail, "satisfied by claim in the token");
	fx_cleanup(&f);
}

static void remembered_device_needs_the_feature_on(void)
{
	struct fx f;
	fx_init(&f);
	f.user.state = F;
	f.in.remembered_device = true;
	f.tenant.remember_mfa_days = 0;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, MFA, DECISION_CODE_MFA_REQUIRED);
	f.tenant.remember_mfa_days = 14;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, ALLOW, 0);
	CHECK_STR(f.d.mfa_detail, REM);
	CHECK(f.d.remember_device_allowed);
	/* never offered to guests nor outside the browser */
	f.user.is_guest = true;
	CHECK_OK(fx_decide(&f));
	CHECK(!f.d.remember_device_allowed);
	f.user.is_guest = false;
	f.in.client = MD;
	CHECK_OK(fx_decide(&f));
	CHECK(!f.d.remember_device_allowed);
	fx_cleanup(&f);
}

static void verification_options_limit_methods(void)
{
	struct fx f;
	fx_init(&f);
	f.user.state = F;
	f.user.methods = CA_METHOD_SMS | CA_METHOD_SOFTWARE_OATH | CA_METHOD_EMAIL;
	f.tenant.verification_options = DECISION_VERIFY_SMS | DECISION_VERIFY_EMAIL;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, MFA, DECISION_CODE_MFA_REQUIRED);
	CHECK_INT(f.d.methods, CA_METHOD_SMS | CA_METHOD_EMAIL);
	/* only SMS registered, SMS switched off: as good as unregistered */
	f.user.methods = CA_METHOD_SMS;
	f.tenant.verification_options = DECISION_VERIFY_APP_CODE;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, REG, DECISION_CODE_REGISTRATION_INTERRUPT);
	CHECK_STR(f.d.mfa_detail, NOREG);
	/* recovery codes are not governed by the verification options */
	f.user.methods = CA_METHOD_RECOVERY_CODE;
	f.tenant.verification_options = 0;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, MFA, DECISION_CODE_MFA_REQUIRED);
	CHECK_INT(f.d.methods, CA_METHOD_RECOVERY_CODE);
	CHECK_INT(decision_usable_methods(0xff, DECISION_VERIFY_APP_CODE),
	          CA_METHOD_SOFTWARE_OATH | CA_METHOD_HARDWARE_OATH | CA_METHOD_RECOVERY_CODE |
	          CA_METHOD_FIDO2 | CA_METHOD_TAP);
	fx_cleanup(&f);
}

static void non_interactive_registration_is_50079(void)
{
	struct fx f;
	fx_init(&f);
	f.user.state = E;
	f.user.methods = 0;
	f.in.client = MD;
	f.in.credential = DECISION_CRED_SESSION;
	f.in.interactive = false;
	f.in.session.auth_time = FX_NOW - 600;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, REG, DECISION_CODE_REGISTRATION_REQUIRED);
	/* and a registered one is asked for MFA at the refresh (enabled: "after
	 * the access token expires") */
	f.user.methods = CA_METHOD_SOFTWARE_OATH;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, MFA, DECISION_CODE_MFA_REQUIRED);
	fx_cleanup(&f);
}

static void step_up_request_is_its_own_source(void)
{
	struct fx f;
	fx_init(&f);
	f.in.step_up_mfa = true;
	f.in.ip = fx_ip("10.1.1.1");   /* trusted IPs lift per-user MFA only */
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, MFA, DECISION_CODE_MFA_REQUIRED);
	const struct decision_source *s = fx_source(&f, DECISION_PROVIDER_REQUEST);
	REQUIRE(s);
	CHECK_STR(decision_provider_name(s->provider), "request");
	CHECK_INT(s->status, DECISION_SRC_PENDING);
	/* a remembered device satisfies it (no sign-in frequency here) */
	f.tenant.remember_mfa_days = 30;
	f.in.remembered_device = true;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, ALLOW, 0);
	fx_cleanup(&f);
}

static void app_password_never_for_administration(void)
{
	struct fx f;
	fx_init(&f);
	f.user.state = F;
	f.user.has_app_passwords = true;
	f.in.client = OTH;
	f.in.credential = DECISION_CRED_APP_PASSWORD;
	f.app.privileged = true;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, BLOCKED, DECISION_CODE_BAD_CREDENTIALS);
	f.app.privileged = false;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, ALLOW, 0);
	CHECK_STR(f.d.mfa_detail, APPPW);
	fx_cleanup(&f);
}

static void invalid_input_denies(void)
{
	struct fx f;
	fx_init(&f);
	f.in.client = (enum decision_client)9;
	CHECK_INT(fx_decide(&f), TG_ERR_INVALID);
	CHECK_INT(f.d.outcome, BLOCKED);
	f.in.client = BR;
	f.in.user = NULL;
	CHECK_INT(fx_decide(&f), TG_ERR_INVALID);
	CHECK_INT(f.d.outcome, BLOCKED);
	CHECK_INT(decision_evaluate(&f.in, NULL), TG_ERR_INVALID);
	fx_cleanup(&f);
}

int main(void)
{
	TEST(whole_matrix);
	TEST(requirement_and_sources_named);
	TEST(claim_in_token_satisfies);
	TEST(remembered_device_needs_the_feature_on);
	TEST(verification_options_limit_methods);
	TEST(non_interactive_registration_is_50079);
	TEST(step_up_request_is_its_own_source);
	TEST(app_password_never_for_administration);
	TEST(invalid_input_denies);
	return tg_test_done();
}
