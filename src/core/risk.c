/* SPDX-License-Identifier: MIT
 * Sign-in and user risk: fixed rules, each result carries its reason
 * (see risk.h for the rules and their order). */
#include <stdio.h>
#include <string.h>
#include "base/err.h"
#include "base/str.h"
#include "core/risk.h"

static const char *const level_names[RISK_LEVEL_COUNT_] = {
	[RISK_NONE] = "none",
	[RISK_LOW] = "low",
	[RISK_MEDIUM] = "medium",
	[RISK_HIGH] = "high",
};

const char *risk_level_name(enum risk_level l)
{
	if ((unsigned)l >= RISK_LEVEL_COUNT_)
		return level_names[RISK_NONE];
	return level_names[l];
}

int risk_level_parse(const char *s, enum risk_level *out)
{
	if (!s)
		return TG_ERR_INVALID;
	for (unsigned i = 0; i < RISK_LEVEL_COUNT_; i++) {
		if (tg_streq_ci(s, level_names[i])) {
			*out = (enum risk_level)i;
			return TG_OK;
		}
	}
	return TG_ERR_INVALID;
}

void risk_network_of(const struct cidr_ip *ip, struct cidr *out)
{
	memset(out, 0, sizeof *out);
	out->family = ip->family;
	if (ip->family == 4) {
		out->prefix = RISK_V4_NETWORK_PREFIX;
		out->mlo = 0xffffff00u;
		out->lo = ip->lo & out->mlo;
	} else {
		out->prefix = RISK_V6_NETWORK_PREFIX;
		out->mhi = 0xffffffffffff0000u;
		out->hi = ip->hi & out->mhi;
	}
}

static bool known_network(const struct risk_history *h, const struct cidr_ip *ip)
{
	size_t n = h->n_networks < TG_MAX_RISK_NETWORKS ? h->n_networks : TG_MAX_RISK_NETWORKS;
	if (!h->networks)
		return false;
	for (size_t i = 0; i < n; i++)
		if (cidr_contains(&h->networks[i], ip))
			return true;
	return false;
}

int risk_signin_evaluate(const struct risk_config *cfg, const struct risk_signin *s,
                         struct risk_result *out)
{
	char ipbuf[CIDR_STRLEN], netbuf[CIDR_STRLEN];
	unsigned threshold = RISK_DEFAULT_FAILURE_THRESHOLD;
	struct cidr net;

	if (!out)
		return TG_ERR_INVALID;
	memset(out, 0, sizeof *out);
	if (!s || (unsigned)s->platform >= PLATFORM_COUNT_)
		return TG_ERR_INVALID;
	if (cfg && cfg->failure_threshold)
		threshold = cfg->failure_threshold;

	cidr_ip_format(&s->ip, ipbuf);
	if (cfg && cfg->bad_ips && cidr_set_contains(cfg->bad_ips, &s->ip)) {
		out->level = RISK_HIGH;
		snprintf(out->reason, sizeof out->reason, "IP address %s is on the bad-IP list", ipbuf);
		return TG_OK;
	}
	if (s->recent_failures >= threshold) {
		out->level = RISK_HIGH;
		snprintf(out->reason, sizeof out->reason,
		         "%u recent failed password attempts for the account (threshold %u)",
		         s->recent_failures, threshold);
		return TG_OK;
	}
	if (!s->history || s->history->n_signins == 0) {
		out->level = RISK_NONE;
		tg_strlcpy(out->reason, "no sign-in history yet", sizeof out->reason);
		return TG_OK;
	}
	risk_network_of(&s->ip, &net);
	cidr_format(&net, netbuf);
	bool new_net = !known_network(s->history, &s->ip);
	bool new_platform = !(s->history->platforms & (1u << s->platform));
	if (new_net && new_platform) {
		out->level = RISK_MEDIUM;
		snprintf(out->reason, sizeof out->reason,
		         "first sign-in from network %s and from platform %s", netbuf,
		         platform_name(s->platform));
		return TG_OK;
	}
	out->level = RISK_NONE;
	if (new_net)
		snprintf(out->reason, sizeof out->reason, "new network %s but known platform %s",
		         netbuf, platform_name(s->platform));
	else if (new_platform)
		snprintf(out->reason, sizeof out->reason, "new platform %s but known network %s",
		         platform_name(s->platform), netbuf);
	else
		snprintf(out->reason, sizeof out->reason, "known network %s and platform %s",
		         netbuf, platform_name(s->platform));
	return TG_OK;
}

int risk_user_evaluate(bool admin_confirmed_compromised, bool reported_suspicious_prompt,
                       struct risk_result *out)
{
	if (!out)
		return TG_ERR_INVALID;
	memset(out, 0, sizeof *out);
	if (admin_confirmed_compromised) {
		out->level = RISK_HIGH;
		tg_strlcpy(out->reason, "an administrator marked the user compromised",
		           sizeof out->reason);
	} else if (reported_suspicious_prompt) {
		out->level = RISK_HIGH;
		tg_strlcpy(out->reason, "the user reported a suspicious MFA prompt", sizeof out->reason);
	}
	return TG_OK;
}
