/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The public structs keep the layout they were released with
 * (tests/abi/api_layout.c): no member moves or changes size, no struct
 * shrinks or changes size unpinned, and the pinned members of each struct
 * account for all of it up to its known size, so a member added without a
 * pin (even in tail padding) fails here.
 */
#include <stdio.h>
#include <string.h>

#include <check.h>

#include "api_layout.h"

static const char *kind_name(enum api_pin_kind k)
{
	switch (k) {
	case PIN_KIND_MEMBER: return "offset/size";
	case PIN_KIND_SIZED: return "sizeof/known size";
	case PIN_KIND_FIXED:
	case PIN_KIND_GROWS: return "sizeof";
	case PIN_KIND_VALUE: return "value";
	}
	return "?";
}

START_TEST(every_pin_holds)
{
	for (size_t i = 0; i < api_pin_count; i++) {
		const struct api_pin *p = &api_pins[i];

		ck_assert_msg(p->now[0] == p->pinned[0] && p->now[1] == p->pinned[1],
			      "%s%s%s changed: %s %zu/%zu, pinned %zu/%zu", p->type,
			      p->member ? "." : "", p->member ? p->member : "", kind_name(p->kind),
			      p->now[0], p->now[1], p->pinned[0], p->pinned[1]);
	}
}
END_TEST

/* The struct row before member row i. */
static const struct api_pin *owner(size_t i)
{
	while (i-- > 0)
		if (api_pins[i].kind != PIN_KIND_MEMBER)
			return &api_pins[i];
	return NULL;
}

START_TEST(members_pinned_in_order_up_to_the_known_size)
{
	size_t end = 0, n_structs = 0;

	for (size_t i = 0; i <= api_pin_count; i++) {
		const struct api_pin *p = i < api_pin_count ? &api_pins[i] : NULL;
		const struct api_pin *s;

		if (p && p->kind == PIN_KIND_MEMBER) {
			s = owner(i);
			ck_assert_msg(s && !strcmp(s->type, p->type), "%s.%s is not after its struct",
				      p->type, p->member);
			ck_assert_msg(p->pinned[0] >= end, "%s.%s overlaps the member before it",
				      p->type, p->member);
			end = p->pinned[0] + p->pinned[1];
			continue;
		}
		/* The struct before this row is complete: check where its members end. */
		s = owner(i);
		if (s && s->kind == PIN_KIND_SIZED)
			ck_assert_msg(end == s->pinned[1], "the pinned members of %s end at %zu, its "
				      "known size is %zu: pin every member", s->type, end, s->pinned[1]);
		else if (s && s->kind != PIN_KIND_VALUE)
			ck_assert_msg(end <= s->pinned[0] && end + 8 > s->pinned[0],
				      "the pinned members of %s end at %zu of %zu bytes: pin every "
				      "member", s->type, end, s->pinned[0]);
		if (p && p->kind == PIN_KIND_SIZED) {
			ck_assert_msg(!strcmp(api_pins[i + 1].member, "sz") && api_pins[i + 1].pinned[0] == 0,
				      "%s does not start with sz", p->type);
		}
		if (p && p->kind != PIN_KIND_VALUE)
			n_structs++;
		end = 0;
	}
	ck_assert_uint_eq(n_structs, 14);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("api_layout");
	TCase *tc = tcase_create("pins");
	SRunner *sr;
	int failed;

	if (sizeof(void *) != 8) {
		printf("the pinned layouts are those of 64-bit targets; this one has %zu-byte "
		       "pointers\n", sizeof(void *));
		return 77;
	}
	tcase_add_test(tc, every_pin_holds);
	tcase_add_test(tc, members_pinned_in_order_up_to_the_known_size);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
