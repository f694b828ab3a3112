/* SPDX-License-Identifier: MIT
 * Directory role table: Entra template ids, lookups, privileged flags. */
#include "harness.h"
#include "core/roles.h"
#include "core/uuid.h"

static void ids_are_entra_template_ids(void)
{
	CHECK_STR(role_find("Global Administrator")->id, "62e90394-69f5-4237-9190-012177145e10");
	CHECK_STR(role_find("global-reader")->id, "f2ef992c-3afb-46b9-b7cf-a126ee74c451");
	CHECK_STR(role_find("CONDITIONAL ACCESS ADMINISTRATOR")->id, "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9");
	CHECK_STR(role_find("194ae4cb-b126-40b2-bd5b-6091b380977d")->name, "Security Administrator");
	CHECK(role_find("Admin agent") != NULL);
	CHECK(role_find("Sales agent") != NULL);
	CHECK(role_find("Helpdesk agent") != NULL);
	CHECK(role_find("Chief Tea Officer") == NULL);
}

static void table_well_formed(void)
{
	size_t n = role_count();
	CHECK(n >= 23);
	for (size_t i = 0; i < n; i++) {
		CHECK(uuid_is_valid(role_table[i].id));
		if (i)
			CHECK(strcasecmp(role_table[i - 1].name, role_table[i].name) < 0);
		for (size_t j = i + 1; j < n; j++)
			CHECK(strcmp(role_table[i].id, role_table[j].id) != 0);
	}
}

static void privileged_roles(void)
{
	CHECK(role_is_privileged(ROLE_ID_GLOBAL_ADMIN));
	CHECK(role_is_privileged(ROLE_ID_AUTH_POLICY_ADMIN));
	CHECK(role_is_privileged("45d8d3c5-c802-45c6-b32a-1d70b5e1e86e"));
	CHECK(!role_is_privileged(ROLE_ID_GLOBAL_READER));
	CHECK(!role_is_privileged(ROLE_ID_ADMIN_AGENT));
	CHECK(!role_is_privileged("not-a-role"));
}

int main(void)
{
	TEST(ids_are_entra_template_ids);
	TEST(table_well_formed);
	TEST(privileged_roles);
	return tg_test_done();
}
