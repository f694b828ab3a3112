/* SPDX-License-Identifier: MIT
 * Service layer against a real SQLite store in memory: user creation and
 * validation, CSV import (all or nothing, line numbers), bulk per-user MFA
 * state with unknown UPNs, registration completed, passwords (verify, same
 * answer for unknown users, upgrade of weaker hashes), groups and roles,
 * a group that a Conditional Access policy names kept from deletion, and
 * the audit trail of each change. */
#include "harness.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/roles.h"
#include "crypto/password.h"
#include "store/store.h"
#include "svc/svc.h"
#include "svc/svc_policy.h"

static const struct pw_params fast = {64, 1, 1};
static int64_t fixed_now(void) { return 1800000000; }

struct env { struct store *st; struct svc sv; struct tg_tenant t; };

static int setup(struct env *e)
{
	struct store_open_opts o = {.dsn = ":memory:", .create = true};
	if (store_open("sqlite", &o, &e->st))
		return -1;
	svc_init(&e->sv, e->st, &fast, "test:runner");
	e->sv.now = fixed_now;
	return svc_tenant_create(&e->sv, "contoso", "contoso.test", "Contoso", &e->t);
}

static int count_audit_cb(const struct tg_audit *a, void *arg)
{
	(void)a;
	(*(int *)arg)++;
	return 0;
}

static int audit_count(struct env *e, const char *prefix)
{
	int n = 0;
	struct audit_query q = {.action_prefix = prefix};
	store_audit_list(e->st, &q, count_audit_cb, &n);
	return n;
}

static void user_create_validates(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	struct tg_user u;
	struct svc_user_input in = {.upn = "Alice@Contoso.TEST", .email = "alice@contoso.test",
	                            .phone = "+46 701234567x12"};
	CHECK_OK(svc_user_create(&e.sv, &e.t, &in, &u));
	CHECK_STR(u.upn, "alice@contoso.test");
	CHECK_STR(u.display_name, "Alice");
	CHECK_INT(u.mfa_state, MFA_STATE_DISABLED);
	CHECK_INT(svc_user_create(&e.sv, &e.t, &in, &u), TG_ERR_EXISTS);
	static const struct { const char *upn, *email, *phone, *pw, *locale; } bad[] = {
		{"no-at-sign", NULL, NULL, NULL, NULL},
		{"a@b@c.test", NULL, NULL, NULL, NULL},
		{".dot@x.test", NULL, NULL, NULL, NULL},
		{"a..b@x.test", NULL, NULL, NULL, NULL},
		{"sp ace@x.test", NULL, NULL, NULL, NULL},
		{"a@-x.test", NULL, NULL, NULL, NULL},
		{"ok@x.test", "not-an-email", NULL, NULL, NULL},
		{"ok@x.test", NULL, "0701234567", NULL, NULL},
		{"ok@x.test", NULL, "+46 70x", NULL, NULL},
		{"ok@x.test", NULL, NULL, "short", NULL},
		{"ok@x.test", NULL, NULL, "bad\xff utf8 password", NULL},
		{"ok@x.test", NULL, NULL, NULL, "de"},
	};
	for (unsigned i = 0; i < TG_ARRAY_LEN(bad); i++) {
		struct svc_user_input b = {.upn = bad[i].upn, .email = bad[i].email, .phone = bad[i].phone,
		                           .password = bad[i].pw, .locale = bad[i].locale,
		                           .password_len = bad[i].pw ? strlen(bad[i].pw) : 0};
		e.sv.err[0] = '\0';
		if (svc_user_create(&e.sv, &e.t, &b, &u) != TG_ERR_INVALID)
			TG_T_FAIL("row %u (%s) accepted", i, bad[i].upn);
		CHECK(e.sv.err[0] != '\0');
	}
	/* nothing but the first user exists */
	int64_t n = 0;
	CHECK_OK(store_user_count(e.st, e.t.id, &n));
	CHECK_INT(n, 1);
	CHECK_INT(audit_count(&e, "user.create"), 1);
	store_close(e.st);
}

static void passwords_verify_and_upgrade(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	const char *pw = "correct horse battery staple";
	struct svc_user_input in = {.upn = "bob@contoso.test", .password = pw, .password_len = strlen(pw)};
	struct tg_user u;
	CHECK_OK(svc_user_create(&e.sv, &e.t, &in, &u));
	CHECK_OK(svc_password_check(&e.sv, "BOB@contoso.test", pw, strlen(pw), &u));
	CHECK_INT(svc_password_check(&e.sv, "bob@contoso.test", "wrong password!", 15, NULL), TG_ERR_DENIED);
	CHECK_INT(svc_password_check(&e.sv, "nobody@contoso.test", pw, strlen(pw), NULL), TG_ERR_DENIED);
	CHECK_INT(svc_password_check(&e.sv, "not a upn", pw, strlen(pw), NULL), TG_ERR_DENIED);
	/* stronger parameters now: the next success rehashes */
	struct tg_user before;
	CHECK_OK(store_user_get_by_upn(e.st, "bob@contoso.test", &before));
	CHECK(strstr(before.pwhash, "m=64,t=1,p=1") != NULL);
	e.sv.pw.t_cost = 2;
	CHECK_OK(svc_password_check(&e.sv, "bob@contoso.test", pw, strlen(pw), NULL));
	struct tg_user after;
	CHECK_OK(store_user_get_by_upn(e.st, "bob@contoso.test", &after));
	CHECK(strstr(after.pwhash, "m=64,t=2,p=1") != NULL);
	CHECK_OK(svc_password_check(&e.sv, "bob@contoso.test", pw, strlen(pw), NULL));
	/* a disabled account is refused after the password check */
	struct svc_user_changes ch = {.enabled = 0};
	CHECK_OK(svc_user_update(&e.sv, &e.t, "bob@contoso.test", &ch, NULL));
	CHECK_INT(svc_password_check(&e.sv, "bob@contoso.test", pw, strlen(pw), NULL), TG_ERR_DISABLED);
	CHECK_INT(audit_count(&e, "user.disable"), 1);
	/* a user without a password cannot sign in */
	struct svc_user_input np = {.upn = "nopw@contoso.test"};
	CHECK_OK(svc_user_create(&e.sv, &e.t, &np, NULL));
	CHECK_INT(svc_password_check(&e.sv, "nopw@contoso.test", "", 0, NULL), TG_ERR_DENIED);
	store_close(e.st);
}

static void import_all_or_nothing(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	const char *bad =
		"userPrincipalName,displayName,mail,mobilePhone,password\n"
		"a1@contoso.test,A One,a1@contoso.test,+46 701234561,\n"
		"a2@contoso.test,A Two,not-an-email,,\n"
		"\"a3@contoso.test\",\"Three, A\",,,\n"
		"a1@contoso.test,dup,,,\n"
		"a5@contoso.test,short pw,,,abc\n";
	struct svc_import_report rep;
	CHECK_INT(svc_user_import_csv(&e.sv, &e.t, bad, strlen(bad), false, &rep), TG_ERR_INVALID);
	CHECK_INT(rep.rows, 5);
	CHECK_INT(rep.created, 0);
	CHECK_INT(rep.nerrors, 3);
	CHECK_INT(rep.errors[0].line, 3);   /* bad email */
	CHECK_INT(rep.errors[1].line, 5);   /* duplicate of line 2 */
	CHECK(strstr(rep.errors[1].message, "line 2") != NULL);
	CHECK_INT(rep.errors[2].line, 6);   /* short password */
	int64_t n = -1;
	CHECK_OK(store_user_count(e.st, e.t.id, &n));
	CHECK_INT(n, 0);

	const char *good =
		"\xef\xbb\xbfmail,userPrincipalName,displayName,passwordHash,preferredLanguage\r\n"
		"x@contoso.test,b1@contoso.test,B One,,sv\r\n"
		",b2@contoso.test,\"Two \"\"quoted\"\"\",\"$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA\",en\r\n";
	CHECK_OK(svc_user_import_csv(&e.sv, &e.t, good, strlen(good), false, &rep));
	CHECK_INT(rep.created, 2);
	struct tg_user u;
	CHECK_OK(store_user_get_by_upn(e.st, "b2@contoso.test", &u));
	CHECK_STR(u.display_name, "Two \"quoted\"");
	CHECK_STR(u.locale, "en");
	CHECK(u.pwhash[0] == '$');
	/* importing again: every row exists, nothing applied */
	CHECK_INT(svc_user_import_csv(&e.sv, &e.t, good, strlen(good), false, &rep), TG_ERR_INVALID);
	CHECK_INT(rep.nerrors, 2);
	CHECK(strstr(rep.errors[0].message, "already exists") != NULL);
	/* header problems */
	const char *hdr[] = {"", "displayName\nx\n", "userPrincipalName,shoeSize\na@b.test,4\n",
	                     "userPrincipalName,userPrincipalName\n", "userPrincipalName\n",
	                     "userPrincipalName,displayName\nc@contoso.test\n",
	                     "userPrincipalName\n\"open@contoso.test\n"};
	for (unsigned i = 0; i < TG_ARRAY_LEN(hdr); i++) {
		if (svc_user_import_csv(&e.sv, &e.t, hdr[i], strlen(hdr[i]), false, &rep) == TG_OK)
			TG_T_FAIL("bad file %u accepted", i);
	}
	CHECK_OK(store_user_count(e.st, e.t.id, &n));
	CHECK_INT(n, 2);
	/* dry run validates but writes nothing */
	const char *more = "userPrincipalName\nc1@contoso.test\n";
	CHECK_OK(svc_user_import_csv(&e.sv, &e.t, more, strlen(more), true, &rep));
	CHECK_OK(store_user_count(e.st, e.t.id, &n));
	CHECK_INT(n, 2);
	store_close(e.st);
}

static void mfa_bulk_with_unknown_upns(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	const char *names[] = {"u1@contoso.test", "u2@contoso.test", "u3@contoso.test"};
	for (int i = 0; i < 3; i++) {
		struct svc_user_input in = {.upn = names[i]};
		CHECK_OK(svc_user_create(&e.sv, &e.t, &in, NULL));
	}
	/* a user of another tenant is "not found" from this tenant */
	struct tg_tenant other;
	CHECK_OK(svc_tenant_create(&e.sv, "fabrikam", NULL, NULL, &other));
	struct svc_user_input o = {.upn = "x@fabrikam.test"};
	CHECK_OK(svc_user_create(&e.sv, &other, &o, NULL));

	const char *list[] = {"U1@contoso.test", "ghost@contoso.test", "u2@contoso.test",
	                      "x@fabrikam.test", "not a upn"};
	struct svc_mfa_report rep;
	CHECK_OK(svc_mfa_set(&e.sv, &e.t, MFA_STATE_ENABLED, list, 5, false, false, &rep));
	CHECK_INT(rep.changed, 2);
	CHECK_INT(rep.unchanged, 0);
	CHECK_INT(rep.not_found, 3);
	CHECK_STR(rep.not_found_upns[0], "ghost@contoso.test");
	CHECK_STR(rep.not_found_upns[1], "x@fabrikam.test");
	svc_mfa_report_cleanup(&rep);
	CHECK_INT(audit_count(&e, "user.mfa_state"), 2);

	/* --all: one more changes, two unchanged; dry run changes nothing */
	CHECK_OK(svc_mfa_set(&e.sv, &e.t, MFA_STATE_ENABLED, NULL, 0, true, true, &rep));
	CHECK_INT(rep.changed, 1);
	CHECK_INT(rep.unchanged, 2);
	svc_mfa_report_cleanup(&rep);
	struct tg_user u;
	CHECK_OK(store_user_get_by_upn(e.st, "u3@contoso.test", &u));
	CHECK_INT(u.mfa_state, MFA_STATE_DISABLED);
	CHECK_OK(svc_mfa_set(&e.sv, &e.t, MFA_STATE_ENABLED, NULL, 0, true, false, &rep));
	CHECK_INT(rep.changed, 1);
	svc_mfa_report_cleanup(&rep);
	CHECK_OK(store_user_get_by_upn(e.st, "x@fabrikam.test", &u));
	CHECK_INT(u.mfa_state, MFA_STATE_DISABLED); /* other tenant untouched */

	/* registration completed moves enabled -> enforced, audited */
	CHECK_OK(store_user_get_by_upn(e.st, "u1@contoso.test", &u));
	CHECK_OK(svc_mfa_registration_completed(&e.sv, &e.t, u.id));
	CHECK_OK(store_user_get(e.st, u.id, &u));
	CHECK_INT(u.mfa_state, MFA_STATE_ENFORCED);
	CHECK_INT(audit_count(&e, "user.mfa_state"), 4);
	store_close(e.st);
}

static void groups_and_roles(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	struct svc_user_input in = {.upn = "g@contoso.test"};
	CHECK_OK(svc_user_create(&e.sv, &e.t, &in, NULL));
	CHECK_OK(svc_group_create(&e.sv, &e.t, "outer", NULL, NULL));
	CHECK_OK(svc_group_create(&e.sv, &e.t, "inner", "nested", NULL));
	CHECK_INT(svc_group_create(&e.sv, &e.t, "outer", NULL, NULL), TG_ERR_EXISTS);
	CHECK_INT(svc_group_create(&e.sv, &e.t, "", NULL, NULL), TG_ERR_INVALID);
	CHECK_OK(svc_group_member(&e.sv, &e.t, "outer", "inner", true, true));
	CHECK_OK(svc_group_member(&e.sv, &e.t, "inner", "g@contoso.test", false, true));
	CHECK_INT(svc_group_member(&e.sv, &e.t, "inner", "outer", true, true), TG_ERR_CYCLE);
	CHECK(strstr(e.sv.err, "cycle") != NULL);
	CHECK_INT(svc_group_member(&e.sv, &e.t, "nope", "inner", true, true), TG_ERR_NOT_FOUND);
	CHECK_OK(svc_role_assign(&e.sv, &e.t, "g@contoso.test", "Global Reader", true));
	CHECK_INT(svc_role_assign(&e.sv, &e.t, "g@contoso.test", "global-reader", true), TG_ERR_EXISTS);
	CHECK_INT(svc_role_assign(&e.sv, &e.t, "g@contoso.test", "Emperor", true), TG_ERR_INVALID);
	CHECK_OK(svc_role_assign(&e.sv, &e.t, "g@contoso.test", ROLE_ID_GLOBAL_READER, false));
	CHECK_INT(audit_count(&e, "group."), 4);
	CHECK_INT(audit_count(&e, "role."), 2);

	/* create with members: all or nothing */
	struct svc_member_ref bad[] = {{"g@contoso.test", false}, {"ghost@contoso.test", false}};
	CHECK_INT(svc_group_create_with_members(&e.sv, &e.t, "team", NULL, bad, 2, NULL),
	          TG_ERR_NOT_FOUND);
	struct tg_group g;
	CHECK_INT(store_group_get(e.st, e.t.id, "team", &g), TG_ERR_NOT_FOUND);
	struct svc_member_ref good[] = {{"g@contoso.test", false}, {"inner", true}};
	CHECK_OK(svc_group_create_with_members(&e.sv, &e.t, "team", "t", good, 2, &g));
	CHECK_INT(audit_count(&e, "group."), 7);
	/* update: rename, a taken name, a cycle rolls the rename back */
	struct svc_group_changes ch = {.name = "outer"};
	CHECK_INT(svc_group_update(&e.sv, &e.t, g.id, &ch, NULL, 0, NULL), TG_ERR_EXISTS);
	ch.name = "";
	CHECK_INT(svc_group_update(&e.sv, &e.t, g.id, &ch, NULL, 0, NULL), TG_ERR_INVALID);
	ch.name = "crew";
	ch.description = "";
	struct svc_member_ref cyc[] = {{"outer", true}};
	CHECK_OK(svc_group_member(&e.sv, &e.t, "outer", g.id, true, true));
	CHECK_INT(svc_group_update(&e.sv, &e.t, g.id, &ch, cyc, 1, NULL), TG_ERR_CYCLE);
	CHECK_OK(store_group_get(e.st, e.t.id, g.id, &g));
	CHECK_STR(g.name, "team");
	struct tg_group after;
	CHECK_OK(svc_group_update(&e.sv, &e.t, g.id, &ch, NULL, 0, &after));
	CHECK_STR(after.name, "crew");
	CHECK_STR(after.description, "");
	CHECK_INT(audit_count(&e, "group.update"), 1);
	CHECK_OK(svc_group_update(&e.sv, &e.t, "crew", &ch, NULL, 0, NULL)); /* no change */
	CHECK_INT(audit_count(&e, "group.update"), 1);
	CHECK_INT(svc_group_update(&e.sv, &e.t, "nope", &ch, NULL, 0, NULL), TG_ERR_NOT_FOUND);
	store_close(e.st);
}

/* The tenant always keeps an enabled Global Administrator. */
static void last_global_admin_kept(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	struct svc_user_input a = {.upn = "ga1@contoso.test"}, b = {.upn = "ga2@contoso.test"};
	CHECK_OK(svc_user_create(&e.sv, &e.t, &a, NULL));
	CHECK_OK(svc_user_create(&e.sv, &e.t, &b, NULL));
	CHECK_OK(svc_role_assign(&e.sv, &e.t, "ga1@contoso.test", "global-admin", true));
	int before = audit_count(&e, "");
	CHECK_INT(svc_role_assign(&e.sv, &e.t, "ga1@contoso.test", "global-admin", false), TG_ERR_CONFLICT);
	CHECK(strstr(e.sv.err, "another user") != NULL);
	CHECK_INT(svc_user_delete(&e.sv, &e.t, "ga1@contoso.test"), TG_ERR_CONFLICT);
	struct svc_user_changes off = {.enabled = 0};
	CHECK_INT(svc_user_update(&e.sv, &e.t, "ga1@contoso.test", &off, NULL), TG_ERR_CONFLICT);
	CHECK_INT(audit_count(&e, ""), before);     /* nothing changed */
	/* a disabled second Global Administrator does not count */
	CHECK_OK(svc_role_assign(&e.sv, &e.t, "ga2@contoso.test", "global-admin", true));
	CHECK_OK(svc_user_update(&e.sv, &e.t, "ga2@contoso.test", &off, NULL));
	CHECK_INT(svc_user_delete(&e.sv, &e.t, "ga1@contoso.test"), TG_ERR_CONFLICT);
	/* an enabled one does: then each change is allowed, one at a time */
	struct svc_user_changes on = {.enabled = 1};
	CHECK_OK(svc_user_update(&e.sv, &e.t, "ga2@contoso.test", &on, NULL));
	CHECK_OK(svc_user_update(&e.sv, &e.t, "ga1@contoso.test", &off, NULL));
	CHECK_INT(svc_role_assign(&e.sv, &e.t, "ga2@contoso.test", "global-admin", false), TG_ERR_CONFLICT);
	CHECK_OK(svc_role_assign(&e.sv, &e.t, "ga1@contoso.test", "global-admin", false));
	CHECK_OK(svc_user_delete(&e.sv, &e.t, "ga1@contoso.test"));
	CHECK_INT(svc_user_delete(&e.sv, &e.t, "ga2@contoso.test"), TG_ERR_CONFLICT);
	/* users without the role are not affected */
	struct svc_user_input c = {.upn = "plain@contoso.test"};
	CHECK_OK(svc_user_create(&e.sv, &e.t, &c, NULL));
	CHECK_OK(svc_user_update(&e.sv, &e.t, "plain@contoso.test", &off, NULL));
	CHECK_OK(svc_user_delete(&e.sv, &e.t, "plain@contoso.test"));
	store_close(e.st);
}

/* A policy of any state naming GROUP in includeGroups or excludeGroups. */
static int policy_naming(struct env *e, const struct tg_tenant *t, const char *name, const char *state,
                         const char *list, const char *group, char id_out[TG_ID_BUF])
{
	char json[1024];
	int n = snprintf(json, sizeof json,
	                 "{\"displayName\": \"%s\", \"state\": \"%s\", \"conditions\": {\"users\": "
	                 "{\"includeUsers\": [\"All\"], \"%s\": [\"%s\"]}, \"applications\": "
	                 "{\"includeApplications\": [\"All\"]}}, \"grantControls\": "
	                 "{\"operator\": \"OR\", \"builtInControls\": [\"mfa\"]}}",
	                 name, state, list, group);
	if (n < 0 || (size_t)n >= sizeof json)
		return -1;
	struct ca_policy p;
	ca_policy_init(&p);
	int r = svc_policy_create(&e->sv, t, json, (size_t)n, &p, NULL);
	if (!r && id_out)
		tg_strlcpy(id_out, p.id, TG_ID_BUF);
	ca_policy_cleanup(&p);
	return r;
}

/* A group that a Conditional Access policy names (included or excluded,
 * whatever the policy's state) cannot be deleted: deleting it would
 * silently change whom the policy covers. */
static void group_named_by_policy_kept(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	struct tg_group fin, staff, spare, free_g;
	CHECK_OK(svc_group_create(&e.sv, &e.t, "finance", NULL, &fin));
	CHECK_OK(svc_group_create(&e.sv, &e.t, "staff", NULL, &staff));
	CHECK_OK(svc_group_create(&e.sv, &e.t, "spare", NULL, &spare));
	CHECK_OK(svc_group_create(&e.sv, &e.t, "free", NULL, &free_g));
	char ro_id[TG_ID_BUF];
	CHECK_OK(policy_naming(&e, &e.t, "Finance MFA", "enabled", "includeGroups", fin.id, NULL));
	CHECK_OK(policy_naming(&e, &e.t, "Staff spared", "enabledForReportingButNotEnforced",
	                       "excludeGroups", staff.id, ro_id));
	CHECK_OK(policy_naming(&e, &e.t, "Spare off", "disabled", "includeGroups", spare.id, NULL));
	int audits = audit_count(&e, "");

	/* included by an enabled policy: refused, named, the way out said */
	CHECK_INT(svc_group_delete(&e.sv, &e.t, "finance"), TG_ERR_CONFLICT);
	CHECK(strstr(e.sv.err, "\"finance\" is named in 1 Conditional Access policy (\"Finance MFA\")") != NULL);
	CHECK(strstr(e.sv.err, "remove the group from these policies first") != NULL);
	/* by id too; excluded by a report-only one; included by a disabled one */
	CHECK_INT(svc_group_delete(&e.sv, &e.t, fin.id), TG_ERR_CONFLICT);
	CHECK_INT(svc_group_delete(&e.sv, &e.t, "staff"), TG_ERR_CONFLICT);
	CHECK(strstr(e.sv.err, "\"Staff spared\"") != NULL);
	CHECK_INT(svc_group_delete(&e.sv, &e.t, "spare"), TG_ERR_CONFLICT);
	CHECK(strstr(e.sv.err, "\"Spare off\"") != NULL);
	CHECK_INT(audit_count(&e, ""), audits);      /* nothing changed */
	struct tg_group g;
	CHECK_OK(store_group_get(e.st, e.t.id, fin.id, &g));
	CHECK_OK(store_group_get(e.st, e.t.id, staff.id, &g));

	/* many policies: three named, then "and N more" */
	for (int i = 0; i < 4; i++) {
		char name[32];
		snprintf(name, sizeof name, "More %d", i);
		CHECK_OK(policy_naming(&e, &e.t, name, "disabled", "excludeGroups", fin.id, NULL));
	}
	CHECK_INT(svc_group_delete(&e.sv, &e.t, "finance"), TG_ERR_CONFLICT);
	/* (same clock: the list order is by id, so which three is not fixed) */
	CHECK(strstr(e.sv.err, "in 5 Conditional Access policies (\"") != NULL);
	CHECK(strstr(e.sv.err, "\" and 2 more): remove") != NULL);
	int shown = 0;
	for (const char *q = e.sv.err; (q = strstr(q, "\"More ")) != NULL; q++)
		shown++;
	CHECK(shown == 3 || (shown == 2 && strstr(e.sv.err, "\"Finance MFA\"") != NULL));

	/* long names are cut at a character boundary and the message stays whole */
	char longname[TG_MAX_GROUP_NAME + 1];
	memset(longname, 0, sizeof longname);
	longname[0] = 'x';                          /* then byte 60 continues an å */
	for (size_t i = 1; i + 2 <= TG_MAX_GROUP_NAME; i += 2)
		memcpy(longname + i, "\xc3\xa5", 2);     /* å, two bytes each */
	struct tg_group lg;
	CHECK_OK(svc_group_create(&e.sv, &e.t, longname, NULL, &lg));
	char ltitle[200];
	memset(ltitle, 0, sizeof ltitle);
	ltitle[0] = 'x';                            /* then byte 60 continues a € */
	for (size_t i = 1; i + 3 <= 190; i += 3)
		memcpy(ltitle + i, "\xe2\x82\xac", 3); /* €, three bytes each */
	CHECK_OK(policy_naming(&e, &e.t, ltitle, "disabled", "includeGroups", lg.id, NULL));
	CHECK_INT(svc_group_delete(&e.sv, &e.t, lg.id), TG_ERR_CONFLICT);
	CHECK(tg_utf8_valid(e.sv.err, strlen(e.sv.err), NULL));
	CHECK(strstr(e.sv.err, "\xe2\x80\xa6\" is named in 1") != NULL);   /* …" */
	CHECK(strstr(e.sv.err, "remove the group from these policies first") != NULL);

	/* another tenant's policy cannot name the group at all; an unnamed group goes */
	struct tg_tenant t2;
	CHECK_OK(svc_tenant_create(&e.sv, "fabrikam", "fabrikam.test", "Fabrikam", &t2));
	CHECK_INT(policy_naming(&e, &t2, "Elsewhere", "disabled", "includeGroups", free_g.id, NULL),
	          TG_ERR_INVALID);
	CHECK_OK(svc_group_delete(&e.sv, &e.t, "free"));
	CHECK_INT(store_group_get(e.st, e.t.id, free_g.id, &g), TG_ERR_NOT_FOUND);

	/* once the policy drops the group, it can go */
	char upd[512];
	int n = snprintf(upd, sizeof upd,
	                 "{\"displayName\": \"Staff spared\", \"state\": \"enabledForReportingButNotEnforced\","
	                 " \"conditions\": {\"users\": {\"includeUsers\": [\"All\"]}, \"applications\":"
	                 " {\"includeApplications\": [\"All\"]}}, \"grantControls\": {\"operator\": \"OR\","
	                 " \"builtInControls\": [\"mfa\"]}}");
	REQUIRE(n > 0 && (size_t)n < sizeof upd);
	CHECK_OK(svc_policy_update(&e.sv, &e.t, ro_id, upd, (size_t)n, NULL, NULL));
	int deletes = audit_count(&e, "group.delete");
	CHECK_OK(svc_group_delete(&e.sv, &e.t, "staff"));
	CHECK_INT(audit_count(&e, "group.delete"), deletes + 1);
	CHECK_INT(store_group_get(e.st, e.t.id, staff.id, &g), TG_ERR_NOT_FOUND);
	store_close(e.st);
}

/* A group inside a group that a policy names cannot be deleted either:
 * its members would drop out of the parent, and so out of the policy (or
 * out of its exclusion). The message says through which group. */
static void nested_group_named_by_policy_kept(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	struct tg_group top, mid, leaf, other;
	CHECK_OK(svc_group_create(&e.sv, &e.t, "Parent", NULL, &top));
	CHECK_OK(svc_group_create(&e.sv, &e.t, "middle", NULL, &mid));
	CHECK_OK(svc_group_create(&e.sv, &e.t, "leaf", NULL, &leaf));
	CHECK_OK(svc_group_create(&e.sv, &e.t, "other", NULL, &other));
	CHECK_OK(svc_group_member(&e.sv, &e.t, "Parent", "middle", true, true));
	CHECK_OK(svc_group_member(&e.sv, &e.t, "middle", "leaf", true, true));
	char pid[TG_ID_BUF];
	CHECK_OK(policy_naming(&e, &e.t, "Parent MFA", "disabled", "includeGroups", top.id, pid));
	int audits = audit_count(&e, "");

	/* two levels down, through "Parent" */
	CHECK_INT(svc_group_delete(&e.sv, &e.t, "leaf"), TG_ERR_CONFLICT);
	CHECK(strstr(e.sv.err, "\"leaf\" is named in 1 Conditional Access policy through a group that "
	             "contains it (\"Parent MFA\" names group \"Parent\", which contains this group)") != NULL);
	CHECK(strstr(e.sv.err, "take the group out of that group, or that group out of the policy") != NULL);
	CHECK_INT(svc_group_delete(&e.sv, &e.t, "middle"), TG_ERR_CONFLICT);
	CHECK(strstr(e.sv.err, "names group \"Parent\", which contains this group") != NULL);
	/* an excluding policy counts too; several are counted */
	CHECK_OK(policy_naming(&e, &e.t, "Middle spared", "enabledForReportingButNotEnforced", "excludeGroups",
	                       mid.id, NULL));
	audits = audit_count(&e, "");
	CHECK_INT(svc_group_delete(&e.sv, &e.t, "leaf"), TG_ERR_CONFLICT);
	CHECK(strstr(e.sv.err, "in 2 Conditional Access policies through a group that contains it") != NULL);
	CHECK(strstr(e.sv.err, ", and 1 more): take the group out of those groups") != NULL);
	/* a policy naming the group itself is reported as before */
	CHECK_INT(svc_group_delete(&e.sv, &e.t, "middle"), TG_ERR_CONFLICT);
	CHECK(strstr(e.sv.err, "\"middle\" is named in 1 Conditional Access policy (\"Middle spared\")") != NULL);
	CHECK_INT(audit_count(&e, ""), audits);     /* nothing changed */
	struct tg_group g;
	CHECK_OK(store_group_get(e.st, e.t.id, leaf.id, &g));
	CHECK_OK(store_group_get(e.st, e.t.id, mid.id, &g));

	/* a group outside the named ones goes; so does leaf once out of middle */
	CHECK_OK(svc_group_delete(&e.sv, &e.t, "other"));
	CHECK_OK(svc_group_member(&e.sv, &e.t, "middle", "leaf", true, false));
	CHECK_OK(svc_group_delete(&e.sv, &e.t, "leaf"));
	CHECK_INT(store_group_get(e.st, e.t.id, leaf.id, &g), TG_ERR_NOT_FOUND);
	store_close(e.st);
}

static void tenant_rules(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	struct tg_tenant t;
	CHECK_INT(svc_tenant_create(&e.sv, "Upper", NULL, NULL, &t), TG_ERR_INVALID);
	CHECK_INT(svc_tenant_create(&e.sv, "contoso", NULL, NULL, &t), TG_ERR_EXISTS);
	CHECK_INT(svc_tenant_create(&e.sv, "ok", "bad domain", NULL, &t), TG_ERR_INVALID);
	CHECK_OK(svc_tenant_resolve(&e.sv, NULL, &t));      /* the only one */
	CHECK_OK(svc_tenant_create(&e.sv, "second", NULL, NULL, &t));
	CHECK_INT(svc_tenant_resolve(&e.sv, NULL, &t), TG_ERR_INVALID); /* ambiguous */
	CHECK_OK(svc_tenant_resolve(&e.sv, "second", &t));
	CHECK_STR(t.domain, "second.tollgate.local");
	CHECK_INT(svc_tenant_resolve(&e.sv, "third", &t), TG_ERR_NOT_FOUND);
	store_close(e.st);
}

int main(void)
{
	TEST(user_create_validates);
	TEST(passwords_verify_and_upgrade);
	TEST(import_all_or_nothing);
	TEST(mfa_bulk_with_unknown_upns);
	TEST(groups_and_roles);
	TEST(last_global_admin_kept);
	TEST(group_named_by_policy_kept);
	TEST(nested_group_named_by_policy_kept);
	TEST(tenant_rules);
	return tg_test_done();
}
