/* SPDX-License-Identifier: MIT
 * Compiling a tenant's Conditional Access policies into an index, and
 * looking up the candidate policies of one sign-in (see ca_compile.h).
 * Sections: hashing, compile, free and accessors, candidate lookup. */
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/limits.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/ca_compile_int.h"

/* ---- hashing ----------------------------------------------------------- */

/* The words of the id, every byte ORed with 0x20 (which maps ASCII
 * letters of either case together, so it agrees with tg_streq_ci equality:
 * ids are compared exactly after a hash match), multiplied by distinct odd
 * constants and summed: the multiplications are independent, so the CPU
 * overlaps them (a UUID hashes in a few nanoseconds), then one final mix
 * spreads the high bits into the low ones that index the table. */
uint64_t ca_compile_hash(const char *s, unsigned kind)
{
	static const uint64_t k[4] = {
		UINT64_C(0x9e3779b97f4a7c15), UINT64_C(0xbf58476d1ce4e5b9),
		UINT64_C(0x94d049bb133111eb), UINT64_C(0xd6e8feb86659fd93),
	};
	const uint64_t fold = UINT64_C(0x2020202020202020);
	size_t n = strlen(s);
	uint64_t h = ((uint64_t)kind << 56) ^ n, w;
	unsigned lane = 0;

	while (n >= 8) {
		memcpy(&w, s, 8);
		h += (w | fold) * k[lane++ & 3];
		s += 8;
		n -= 8;
	}
	if (n) {
		w = 0;
		for (size_t i = 0; i < n; i++)   /* little or big endian: any fixed order will do */
			w = (w << 8) | (uint8_t)(s[i] | 0x20);
		h += w * k[lane & 3];
	}
	h ^= h >> 32;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 29;
	return h ? h : 1;
}

/* At most 8 leading bytes, read one by one (never past the NUL). */
uint64_t ca_compile_prefix(const char *s)
{
	uint64_t w = 0;
	for (int i = 0; i < 8 && s[i]; i++)
		w = (w << 8) | (uint8_t)(s[i] | 0x20);
	return w * UINT64_C(0x9e3779b97f4a7c15);
}

static bool filter_has(const struct ca_compiled *c, const char *id)
{
	uint64_t bit = ca_compile_prefix(id) >> c->filter_shift;
	return (c->filter[bit >> 6] >> (bit & 63)) & 1;
}

/* ---- compile ----------------------------------------------------------- */

static void u32s_push(struct ca_u32s *l, size_t *cap, uint32_t v)
{
	if (l->n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		l->v = xrealloc(l->v, *cap * sizeof *l->v);
	}
	l->v[l->n++] = v;
}

static unsigned client_mask_of(unsigned types)
{
	if (types == 0 || (types & CA_CLIENT_ALL))
		return CA_CLIENT_BROWSER | CA_CLIENT_MOBILE_DESKTOP | CA_CLIENT_LEGACY;
	return types;
}

static uint32_t resolve_location(const struct ca_compiled *c, const char *id)
{
	if (strcmp(id, CA_LOCATION_ID_MFA_TRUSTED_IPS) == 0)
		return CA_LOC_MFA_TRUSTED_IPS;
	for (size_t i = 0; i < c->n_locs; i++)
		if (tg_streq_ci(c->locs[i].id, id))
			return (uint32_t)i;
	return CA_LOC_MISSING;
}

static void resolve_locations(const struct ca_compiled *c, const struct ca_ids *ids,
                              struct ca_u32s *out)
{
	out->n = 0;
	out->v = ids->n ? xcalloc(ids->n, sizeof *out->v) : NULL;
	for (size_t i = 0; i < ids->n; i++)
		out->v[out->n++] = resolve_location(c, ids->v[i]);
}

static bool users_can_match(const struct ca_users *u)
{
	if (u->include_kw & CA_USERS_NONE)
		return false;
	return (u->include_kw & (CA_USERS_ALL | CA_USERS_GUESTS)) || u->include_users.n ||
	       u->include_groups.n || u->include_roles.n;
}

static bool apps_can_match(const struct ca_apps *a)
{
	return (a->include_kw & (CA_APPS_ALL | CA_APPS_ADMIN_PORTALS)) || a->include_apps.n ||
	       a->user_actions;
}

static enum ca_primary primary_of(const struct ca_policy *p)
{
	if (p->state != CA_STATE_ENABLED && p->state != CA_STATE_REPORT_ONLY)
		return CA_PRIMARY_NEVER;
	if (!users_can_match(&p->cond.users) || !apps_can_match(&p->cond.apps))
		return CA_PRIMARY_NEVER;
	if (!(p->cond.users.include_kw & CA_USERS_ALL))
		return CA_PRIMARY_USER;
	if (!(p->cond.apps.include_kw & CA_APPS_ALL) || p->cond.apps.user_actions)
		return CA_PRIMARY_APP;
	return CA_PRIMARY_ALWAYS;
}

/* The id lists that go into the hash table. */
struct keyed_list {
	size_t off;
	uint8_t kind;
	bool excluded;
};

#define KL(member, kind, exc) {offsetof(struct ca_policy, member), kind, exc}
static const struct keyed_list keyed_lists[] = {
	KL(cond.users.include_users, CA_KEY_USER, false),
	KL(cond.users.exclude_users, CA_KEY_USER, true),
	KL(cond.users.include_groups, CA_KEY_GROUP, false),
	KL(cond.users.exclude_groups, CA_KEY_GROUP, true),
	KL(cond.users.include_roles, CA_KEY_ROLE, false),
	KL(cond.users.exclude_roles, CA_KEY_ROLE, true),
	KL(cond.apps.include_apps, CA_KEY_APP, false),
	KL(cond.apps.exclude_apps, CA_KEY_APP, true),
};
#undef KL

static const struct ca_ids *list_at(const struct ca_policy *p, size_t i)
{
	return (const struct ca_ids *)(const void *)((const char *)p + keyed_lists[i].off);
}

/* Find the slot of (kind, key), or the empty slot where it belongs. */
static struct ca_slot *slot_find(struct ca_slot *tab, size_t mask, uint64_t h, unsigned kind,
                                 const char *key)
{
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct ca_slot *s = &tab[i];
		if (s->hash == 0)
			return s;
		if (s->hash == h && s->kind == kind && tg_streq_ci(s->key, key))
			return s;
	}
}

static void build_table(struct ca_compiled *c)
{
	size_t n_keys = 0, slots = 16;
	for (size_t p = 0; p < c->n; p++) {
		if (c->pols[p].pol.state == CA_STATE_DISABLED || c->pols[p].pol.state == CA_STATE_UNSET)
			continue;
		for (size_t l = 0; l < TG_ARRAY_LEN(keyed_lists); l++)
			n_keys += list_at(&c->pols[p].pol, l)->n;
	}
	if (n_keys == 0)
		return;
	while (slots < 2 * n_keys)
		slots *= 2;
	c->tab = xcalloc(slots, sizeof *c->tab);
	c->tab_mask = slots - 1;
	c->refs = xcalloc(n_keys, sizeof *c->refs);
	c->n_refs = n_keys;
	/* filter: 16 bits per key (a few % false positives), at least 4096 */
	unsigned log2bits = 12;
	while (((size_t)1 << log2bits) < 16 * n_keys && log2bits < 24)
		log2bits++;
	c->filter = xcalloc(((size_t)1 << log2bits) / 64, sizeof *c->filter);
	c->filter_shift = 64 - log2bits;

	/* pass 1: distinct keys and their counts; pass 2: fill refs in policy order */
	for (int pass = 1; pass <= 2; pass++) {
		for (size_t p = 0; p < c->n; p++) {
			const struct ca_policy *pol = &c->pols[p].pol;
			if (pol->state == CA_STATE_DISABLED || pol->state == CA_STATE_UNSET)
				continue;
			for (size_t l = 0; l < TG_ARRAY_LEN(keyed_lists); l++) {
				const struct ca_ids *ids = list_at(pol, l);
				unsigned kind = keyed_lists[l].kind;
				for (size_t i = 0; i < ids->n; i++) {
					uint64_t h = ca_compile_hash(ids->v[i], kind);
					struct ca_slot *s = slot_find(c->tab, c->tab_mask, h, kind, ids->v[i]);
					if (pass == 1) {
						uint64_t bit = ca_compile_prefix(ids->v[i]) >> c->filter_shift;
						c->filter[bit >> 6] |= UINT64_C(1) << (bit & 63);
						if (s->hash == 0) {
							s->hash = h;
							s->kind = (uint8_t)kind;
							s->key = ids->v[i];
						}
						s->count++;
					} else {
						c->refs[s->start + s->count++] =
							((uint32_t)p << 1) | (keyed_lists[l].excluded ? 1u : 0u);
					}
				}
			}
		}
		if (pass == 1) {
			uint32_t start = 0;
			for (size_t i = 0; i <= c->tab_mask; i++) {
				if (c->tab[i].hash == 0)
					continue;
				c->tab[i].start = start;
				start += c->tab[i].count;
				c->tab[i].count = 0;
			}
		}
	}
}

static void build_lists(struct ca_compiled *c)
{
	static const unsigned class_bits[CA_CLASS_COUNT_] = {
		[CA_CLASS_BROWSER] = CA_CLIENT_BROWSER,
		[CA_CLASS_MOBILE] = CA_CLIENT_MOBILE_DESKTOP,
		[CA_CLASS_EAS] = CA_CLIENT_EXCHANGE_ACTIVESYNC | CA_CLIENT_EAS_SUPPORTED,
		[CA_CLASS_OTHER] = CA_CLIENT_OTHER,
	};
	size_t cap_always[CA_CLASS_COUNT_] = {0}, cap_g = 0, cap_a = 0, cap_u = 0, cap_all = 0;

	for (size_t p = 0; p < c->n; p++) {
		const struct ca_cpol *cp = &c->pols[p];
		uint32_t i = (uint32_t)p;
		if (cp->pol.state == CA_STATE_ENABLED || cp->pol.state == CA_STATE_REPORT_ONLY)
			u32s_push(&c->all_active, &cap_all, i);
		switch (cp->primary) {
		case CA_PRIMARY_USER:
			if (cp->pol.cond.users.include_kw & CA_USERS_GUESTS)
				u32s_push(&c->guests, &cap_g, i);
			break;
		case CA_PRIMARY_APP:
			if (cp->pol.cond.apps.include_kw & CA_APPS_ADMIN_PORTALS)
				u32s_push(&c->admin_portals, &cap_a, i);
			if (cp->pol.cond.apps.user_actions)
				u32s_push(&c->user_actions, &cap_u, i);
			break;
		case CA_PRIMARY_ALWAYS:
			for (int k = 0; k < CA_CLASS_COUNT_; k++)
				if (cp->client_mask & class_bits[k])
					u32s_push(&c->always[k], &cap_always[k], i);
			break;
		case CA_PRIMARY_NEVER:
			break;
		}
	}
}

int ca_compile(const struct ca_policy *policies, size_t n, const struct named_location *locs,
               size_t n_locs, unsigned flags, struct ca_compiled **out)
{
	struct ca_compiled *c = NULL;
	struct cidr *trusted = NULL;
	size_t n_trusted = 0;

	if (!out)
		return TG_ERR_INVALID;
	*out = NULL;
	if ((n && !policies) || (n_locs && !locs))
		return TG_ERR_INVALID;
	if (n > TG_MAX_CA_POLICIES || n_locs > TG_MAX_NAMED_LOCATIONS)
		return TG_ERR_TOO_LARGE;

	c = xcalloc(1, sizeof *c);
	c->flags = flags;

	c->n_locs = n_locs;
	if (n_locs) {
		size_t total = 0;
		c->locs = xcalloc(n_locs, sizeof *c->locs);
		c->loc_sets = xcalloc(n_locs, sizeof *c->loc_sets);
		for (size_t i = 0; i < n_locs; i++) {
			named_location_dup(&c->locs[i], &locs[i]);
			cidr_set_build(&c->loc_sets[i], c->locs[i].ranges, c->locs[i].n_ranges);
			if (c->locs[i].is_trusted)
				total += c->locs[i].n_ranges;
		}
		if (total) {
			trusted = xcalloc(total, sizeof *trusted);
			for (size_t i = 0; i < n_locs; i++) {
				if (!c->locs[i].is_trusted)
					continue;
				memcpy(trusted + n_trusted, c->locs[i].ranges,
				       c->locs[i].n_ranges * sizeof *trusted);
				n_trusted += c->locs[i].n_ranges;
			}
		}
	}
	cidr_set_build(&c->trusted_locs, trusted, n_trusted);
	free(trusted);

	c->n = n;
	c->pols = n ? xcalloc(n, sizeof *c->pols) : NULL;
	for (size_t i = 0; i < n; i++) {
		struct ca_cpol *cp = &c->pols[i];
		ca_policy_dup(&cp->pol, &policies[i]);
		cp->client_mask = client_mask_of(cp->pol.cond.client_app_types);
		resolve_locations(c, &cp->pol.cond.locations.include, &cp->inc_loc);
		resolve_locations(c, &cp->pol.cond.locations.exclude, &cp->exc_loc);
		cp->sif = ca_policy_sif_seconds(&cp->pol);
		cp->primary = primary_of(&cp->pol);
	}
	if (!(flags & CA_COMPILE_NO_INDEX))
		build_table(c);
	build_lists(c);
	*out = c;
	return TG_OK;
}

/* ---- free and accessors ------------------------------------------------ */

void ca_compiled_free(struct ca_compiled *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		ca_policy_cleanup(&c->pols[i].pol);
		free(c->pols[i].inc_loc.v);
		free(c->pols[i].exc_loc.v);
	}
	free(c->pols);
	for (size_t i = 0; i < c->n_locs; i++) {
		named_location_cleanup(&c->locs[i]);
		cidr_set_cleanup(&c->loc_sets[i]);
	}
	free(c->locs);
	free(c->loc_sets);
	cidr_set_cleanup(&c->trusted_locs);
	free(c->tab);
	free(c->refs);
	free(c->filter);
	for (int k = 0; k < CA_CLASS_COUNT_; k++)
		free(c->always[k].v);
	free(c->guests.v);
	free(c->admin_portals.v);
	free(c->user_actions.v);
	free(c->all_active.v);
	free(c);
}

size_t ca_compiled_count(const struct ca_compiled *c)
{
	return c ? c->n : 0;
}

const struct ca_policy *ca_compiled_policy(const struct ca_compiled *c, size_t i)
{
	if (!c || i >= c->n)
		return NULL;
	return &c->pols[i].pol;
}

const struct named_location *ca_compiled_location(const struct ca_compiled *c, const char *id)
{
	if (!c || !id)
		return NULL;
	uint32_t i = resolve_location(c, id);
	return i < c->n_locs ? &c->locs[i] : NULL;
}

/* ---- candidate lookup -------------------------------------------------- */

void ca_candidates_init(struct ca_candidates *cand)
{
	memset(cand, 0, sizeof *cand);
}

void ca_candidates_cleanup(struct ca_candidates *cand)
{
	if (!cand)
		return;
	free(cand->idx);
	free(cand->hint);
	free(cand->touched);
	memset(cand, 0, sizeof *cand);
}

static void grow(struct ca_candidates *cand, size_t n)
{
	if (n <= cand->cap)
		return;
	cand->idx = xrealloc(cand->idx, n * sizeof *cand->idx);
	cand->touched = xrealloc(cand->touched, n * sizeof *cand->touched);
	cand->hint = xrealloc(cand->hint, n * sizeof *cand->hint);
	memset(cand->hint + cand->cap, 0, (n - cand->cap) * sizeof *cand->hint);
	cand->cap = n;
}

static struct ca_hint *touch(struct ca_candidates *cand, uint32_t p)
{
	struct ca_hint *h = &cand->hint[p];
	if (h->flags == 0)
		cand->touched[cand->n_touched++] = p;
	return h;
}

static void add_candidate(struct ca_candidates *cand, uint32_t p)
{
	struct ca_hint *h = touch(cand, p);
	if (h->flags & CA_HINT_CANDIDATE_)
		return;
	h->flags |= CA_HINT_CANDIDATE_;
	cand->idx[cand->n++] = p;
}

static const uint16_t hint_bits[][2] = {
	[CA_KEY_USER] = {CA_HINT_INC_USER, CA_HINT_EXC_USER},
	[CA_KEY_GROUP] = {CA_HINT_INC_GROUP, CA_HINT_EXC_GROUP},
	[CA_KEY_ROLE] = {CA_HINT_INC_ROLE, CA_HINT_EXC_ROLE},
	[CA_KEY_APP] = {CA_HINT_INC_APP, CA_HINT_EXC_APP},
};

static void lookup(const struct ca_compiled *c, struct ca_candidates *cand, unsigned kind,
                   const char *id, unsigned client)
{
	if (!id || !c->tab || !filter_has(c, id))
		return;
	uint64_t h = ca_compile_hash(id, kind);
	const struct ca_slot *s = slot_find(c->tab, c->tab_mask, h, kind, id);
	if (s->hash == 0)
		return;
	enum ca_primary via = kind == CA_KEY_APP ? CA_PRIMARY_APP : CA_PRIMARY_USER;
	for (uint32_t i = 0; i < s->count; i++) {
		uint32_t ref = c->refs[s->start + i], p = ref >> 1, exc = ref & 1;
		struct ca_hint *hint = touch(cand, p);
		hint->flags |= hint_bits[kind][exc];
		if (exc) {
			if (!hint->exc_id)
				hint->exc_id = s->key;
			continue;
		}
		if (!hint->inc_id)
			hint->inc_id = s->key;
		if (c->pols[p].primary == via && (c->pols[p].client_mask & client))
			add_candidate(cand, p);
	}
}

static void add_list(const struct ca_compiled *c, struct ca_candidates *cand,
                     const struct ca_u32s *l, unsigned client)
{
	for (size_t i = 0; i < l->n; i++)
		if (c->pols[l->v[i]].client_mask & client)
			add_candidate(cand, l->v[i]);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static void sort_u32(uint32_t *v, size_t n)
{
	if (n > 32) {
		qsort(v, n, sizeof *v, cmp_u32);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		uint32_t x = v[i];
		size_t j = i;
		while (j > 0 && v[j - 1] > x) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}

static int class_of(unsigned client)
{
	if (client & CA_CLIENT_BROWSER)
		return CA_CLASS_BROWSER;
	if (client & CA_CLIENT_MOBILE_DESKTOP)
		return CA_CLASS_MOBILE;
	if (client & (CA_CLIENT_EXCHANGE_ACTIVESYNC | CA_CLIENT_EAS_SUPPORTED))
		return CA_CLASS_EAS;
	return CA_CLASS_OTHER;
}

void ca_compiled_candidates(const struct ca_compiled *c, const struct ca_query *q,
                            struct ca_candidates *cand)
{
	for (size_t i = 0; i < cand->n_touched; i++)
		memset(&cand->hint[cand->touched[i]], 0, sizeof cand->hint[0]);
	cand->n_touched = 0;
	cand->n = 0;
	cand->indexed = false;
	if (!c || c->n == 0)
		return;
	grow(cand, c->n);

	if (c->flags & CA_COMPILE_NO_INDEX) {
		memcpy(cand->idx, c->all_active.v, c->all_active.n * sizeof *cand->idx);
		cand->n = c->all_active.n;
		return;
	}
	cand->indexed = true;
	lookup(c, cand, CA_KEY_USER, q->user_id, q->client);
	for (size_t i = 0; i < q->n_groups; i++)
		lookup(c, cand, CA_KEY_GROUP, q->groups[i], q->client);
	for (size_t i = 0; i < q->n_roles; i++)
		lookup(c, cand, CA_KEY_ROLE, q->roles[i], q->client);
	lookup(c, cand, CA_KEY_APP, q->app_id, q->client);

	add_list(c, cand, &c->always[class_of(q->client)], q->client);
	if (q->is_guest)
		add_list(c, cand, &c->guests, q->client);
	if (q->app_privileged)
		add_list(c, cand, &c->admin_portals, q->client);
	if (q->user_action) {
		for (size_t i = 0; i < c->user_actions.n; i++) {
			uint32_t p = c->user_actions.v[i];
			if ((c->pols[p].pol.cond.apps.user_actions & q->user_action) &&
			    (c->pols[p].client_mask & q->client))
				add_candidate(cand, p);
		}
	}
	sort_u32(cand->idx, cand->n);
}
