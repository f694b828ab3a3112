/* SPDX-License-Identifier: MIT
 * Notices: plain messages to a user that hold no code (see channel.h), with
 * their built-in English and Swedish text, rendered and handed to the email
 * transport (channel_smtp.c or channel_outbox.c). Used by svc_notify.c.
 *
 * The text says who is asking (the organization), what will happen at the
 * next sign-in and what to have ready, and gives the sign-in address as
 * plain text to reach as usual — never a code, never "click here": a notice
 * must not teach users to follow emailed sign-in links. The Swedish strings
 * are UTF-8. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "svc/channel.h"
#include "svc/channel_int.h"

#define NKINDS 2

static const char *const subjects[NKINDS][AUTH_LANG_COUNT] = {
	[CHANNEL_NOTICE_MFA_REGISTER] = {
		"Set up multifactor authentication at your next sign-in",
		"Konfigurera multifaktorautentisering vid nästa inloggning",
	},
	[CHANNEL_NOTICE_MFA_REQUIRED] = {
		"Multifactor authentication is now required for your account",
		"Multifaktorautentisering krävs nu för ditt konto",
	},
};

#define FOOTER_EN \
	"Sign in as usual, at the address you always use:\n\n" \
	"  {url}\n\n" \
	"This message is for your information only: it contains no code, and you\n" \
	"do not need to reply or to click anything. Your organization will never\n" \
	"ask for your password or a code by email. If you did not expect this\n" \
	"message, contact your administrator.\n"

#define FOOTER_SV \
	"Logga in som vanligt, på adressen du brukar använda:\n\n" \
	"  {url}\n\n" \
	"Det här meddelandet är bara för din information: det innehåller ingen kod,\n" \
	"och du behöver inte svara eller klicka på något. Din organisation ber dig\n" \
	"aldrig om ditt lösenord eller en kod via e-post. Om du inte väntade dig\n" \
	"det här meddelandet, kontakta din administratör.\n"

static const char *const bodies[NKINDS][AUTH_LANG_COUNT] = {
	[CHANNEL_NOTICE_MFA_REGISTER] = {
		"Hello {name},\n\n"
		"your organization, {issuer}, has turned on multifactor authentication\n"
		"(MFA) for your account {upn}.\n\n"
		"The next time you sign in, you will be asked to register security info:\n"
		"a second way to prove that it is you, besides your password. It takes a\n"
		"few minutes. Have one of these ready:\n\n"
		"  - your phone with an authenticator app, such as Microsoft Authenticator\n"
		"    or any other app for time-based one-time codes (TOTP); or\n"
		"  - the mobile phone number or the email address where you want to\n"
		"    receive sign-in codes.\n\n"
		FOOTER_EN,
		"Hej {name}!\n\n"
		"Din organisation, {issuer}, har aktiverat multifaktorautentisering (MFA)\n"
		"för ditt konto {upn}.\n\n"
		"Nästa gång du loggar in blir du ombedd att registrera säkerhetsinformation:\n"
		"ett andra sätt att bevisa att det är du, utöver ditt lösenord. Det tar\n"
		"några minuter. Ha något av detta till hands:\n\n"
		"  - din telefon med en autentiseringsapp, till exempel Microsoft Authenticator\n"
		"    eller någon annan app för tidsbaserade engångskoder (TOTP), eller\n"
		"  - det mobilnummer eller den e-postadress där du vill få\n"
		"    inloggningskoder.\n\n"
		FOOTER_SV,
	},
	[CHANNEL_NOTICE_MFA_REQUIRED] = {
		"Hello {name},\n\n"
		"your organization, {issuer}, now requires multifactor authentication\n"
		"(MFA) for your account {upn}.\n\n"
		"You have already registered security info, so there is nothing to set\n"
		"up: from your next sign-in you will be asked, after your password, to\n"
		"confirm with one of your registered methods - a code from your\n"
		"authenticator app, or a code sent to your phone or email address. Keep\n"
		"it at hand.\n\n"
		FOOTER_EN,
		"Hej {name}!\n\n"
		"Din organisation, {issuer}, kräver nu multifaktorautentisering (MFA) för\n"
		"ditt konto {upn}.\n\n"
		"Du har redan registrerat säkerhetsinformation, så du behöver inte\n"
		"konfigurera något: från nästa inloggning blir du ombedd att, efter ditt\n"
		"lösenord, bekräfta med någon av dina registrerade metoder - en kod från\n"
		"din autentiseringsapp eller en kod som skickas till din telefon eller\n"
		"e-postadress. Ha den till hands.\n\n"
		FOOTER_SV,
	},
};

char *channel_notice_render(const struct channel_notice *n, const char *which)
{
	unsigned k = (unsigned)n->kind < NKINDS ? (unsigned)n->kind : CHANNEL_NOTICE_MFA_REGISTER;
	int lang = channel_lang(n->locale);
	const char *tmpl = strcmp(which, "subject") == 0 ? subjects[k][lang] : bodies[k][lang];
	const char *upn = n->upn ? n->upn : "";
	const struct channel_var vars[] = {
		{"{name}", n->name && *n->name ? n->name : upn},
		{"{upn}", upn},
		{"{issuer}", n->issuer && *n->issuer ? n->issuer : "Tollgate"},
		{"{url}", n->url ? n->url : ""},
	};
	return channel_subst(tmpl, vars, TG_ARRAY_LEN(vars));
}

int channel_send_notice(const struct auth_config *cfg, const struct channel_notice *n, char *err,
                        size_t err_size)
{
	err[0] = '\0';
	if (!n->to || !*n->to) {
		snprintf(err, err_size, "no email address to send to");
		return TG_ERR_INVALID;
	}
	char *subject = channel_notice_render(n, "subject");
	char *body = channel_notice_render(n, "body");
	int r = channel_transport_for(cfg, CHANNEL_EMAIL) == CHANNEL_SMTP
	          ? channel_smtp_send_notice(cfg, n, subject, body, err, err_size)
	          : channel_outbox_write_notice(cfg, n, subject, body, err, err_size);
	free(body);
	free(subject);
	return r;
}
