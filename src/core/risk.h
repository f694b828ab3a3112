/* SPDX-License-Identifier: MIT
 * Deterministic, explainable sign-in and user risk (SPEC §5). Pure: the
 * caller supplies the bad-IP list, the failure count and a summary of the
 * user's sign-in history; nothing here reads a clock or a store.
 * Thread-safe (no state). docs/internals/decision.md explains the rules.
 *
 * Sign-in risk, first rule that matches wins:
 *   high    the IP is in the administrator's bad-IP list;
 *   high    the account has >= failure_threshold recent password failures
 *           (RISK_DEFAULT_FAILURE_THRESHOLD = 10 when the config says 0;
 *           "recent" is the caller's window, the lockout window of SPEC §6);
 *   medium  the user has a sign-in history, and this sign-in comes from a
 *           network (IPv4 /24, IPv6 /48) AND a platform never seen in it;
 *   none    otherwise. A user with no history at all is `none` ("no sign-in
 *           history yet"): otherwise every first sign-in would be risky and
 *           an unregistered new user facing a risk policy could never
 *           register (53004).
 * User risk: high when an administrator marked the user compromised or the
 * user reported a suspicious MFA prompt; none otherwise. */
#ifndef TG_CORE_RISK_H
#define TG_CORE_RISK_H
#include <stdbool.h>
#include <stddef.h>
#include "base/limits.h"
#include "core/cidr.h"
#include "core/platform.h"

/* Recent = within this many seconds (used by the service layer's query). */
#define RISK_FAILURE_WINDOW 3600
#define RISK_DEFAULT_FAILURE_THRESHOLD 10
#define RISK_V4_NETWORK_PREFIX 24
#define RISK_V6_NETWORK_PREFIX 48

/* Graph riskLevel values Tollgate produces ("low" and "hidden" are never
 * produced but exist so CA's signInRiskLevels can be matched uniformly). */
enum risk_level {
	RISK_NONE = 0,
	RISK_LOW,
	RISK_MEDIUM,
	RISK_HIGH,
	RISK_LEVEL_COUNT_
};

/* A level and why. reason is "" for a plain none. */
struct risk_result {
	enum risk_level level;
	char reason[TG_MAX_RISK_REASON + 1];
};

/* Administrator configuration. bad_ips may be NULL (empty list). */
struct risk_config {
	const struct cidr_set *bad_ips;
	unsigned failure_threshold;          /* 0 = RISK_DEFAULT_FAILURE_THRESHOLD */
};

/* The user's earlier successful sign-ins, summarised by the caller with
 * risk_network_of() and platform bits (1u << enum platform). */
struct risk_history {
	size_t n_signins;                    /* 0 = no history: risk cannot be medium */
	const struct cidr *networks;         /* known networks, n_networks of them */
	size_t n_networks;                   /* at most TG_MAX_RISK_NETWORKS are looked at */
	unsigned platforms;                  /* bit (1u << p) for each platform seen */
};

struct risk_signin {
	struct cidr_ip ip;
	enum platform platform;
	unsigned recent_failures;            /* failed password attempts, caller's window */
	const struct risk_history *history;  /* may be NULL = no history */
};

/* The network a sign-in from ip counts as: ip/24 for IPv4, ip/48 for IPv6. */
void risk_network_of(const struct cidr_ip *ip, struct cidr *out);

/* Sign-in risk of s under cfg (cfg may be NULL: no bad IPs, default
 * threshold). Fills *out completely. Returns TG_OK, or TG_ERR_INVALID for a
 * NULL s/out or an out-of-range platform (out then holds none). */
int risk_signin_evaluate(const struct risk_config *cfg, const struct risk_signin *s,
                         struct risk_result *out);

/* User risk from the two flags kept on the user. Fills *out; TG_OK, or
 * TG_ERR_INVALID for a NULL out. */
int risk_user_evaluate(bool admin_confirmed_compromised, bool reported_suspicious_prompt,
                       struct risk_result *out);

/* "none", "low", "medium", "high"; "none" for out-of-range values. */
const char *risk_level_name(enum risk_level l);
/* Case-insensitive parse of the names above: TG_OK or TG_ERR_INVALID. */
int risk_level_parse(const char *s, enum risk_level *out);

#endif
