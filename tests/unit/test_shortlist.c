/* test_shortlist: the joint choice from a shortlist of three (server/domain/shortlist.h). */
#include "check.h"
#include "domain/shortlist.h"

static struct shortlist_ranking rk(int a, int b, int c)
{
    return (struct shortlist_ranking){{a, b, c}};
}

static void test_parse(void)
{
    struct shortlist_ranking r;
    CHECK(shortlist_ranking_parse("2,1,3", &r));
    CHECK_INT(r.order[0], 2);
    CHECK_INT(r.order[2], 3);
    char buf[16];
    shortlist_ranking_format(&r, buf, sizeof buf);
    CHECK_STR(buf, "2,1,3");
    static const char *const bad[] = {"", "1,2", "1,2,3,", "1,1,2", "0,1,2", "1,2,4", "1;2;3",
                                      "12,3", " 1,2,3", "1,2,3 "};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(!shortlist_ranking_parse(bad[i], &r));
    CHECK(!shortlist_ranking_parse(NULL, &r));
    struct shortlist_ranking dup = rk(3, 3, 1);
    CHECK(!shortlist_ranking_valid(&dup));
}

static void test_choose(void)
{
    const bool all[3] = {true, true, true};
    struct shortlist_ranking a, b;
    /* both like the same one best */
    a = rk(2, 1, 3), b = rk(2, 3, 1);
    CHECK_INT(shortlist_choose(&a, &b, all), 2);
    /* opposite orders: every sum is 4; the compromise (second for both) wins */
    a = rk(1, 2, 3), b = rk(3, 2, 1);
    CHECK_INT(shortlist_choose(&a, &b, all), 2);
    /* the lowest sum of ranks wins */
    a = rk(1, 2, 3), b = rk(2, 3, 1); /* sums: 1→4, 2→3, 3→5 */
    CHECK_INT(shortlist_choose(&a, &b, all), 2);
    /* equal sum and equal worst rank: the officer's order decides */
    a = rk(1, 3, 2), b = rk(3, 1, 2); /* sums 1→3 (worst 2), 2→6, 3→3 (worst 2) */
    CHECK_INT(shortlist_choose(&a, &b, all), 1);
    a = rk(1, 2, 3), b = rk(2, 1, 3); /* sums 1→3, 2→3 (worst 2 both): position 1 */
    CHECK_INT(shortlist_choose(&a, &b, all), 1);
    /* an ineligible member is passed over */
    const bool no1[3] = {false, true, true};
    CHECK_INT(shortlist_choose(&a, &b, no1), 2);
    const bool none[3] = {false, false, false};
    CHECK_INT(shortlist_choose(&a, &b, none), 0);
    /* the same inputs, the same choice */
    CHECK_INT(shortlist_choose(&a, &b, all), shortlist_choose(&a, &b, all));
}

int main(void)
{
    test_parse();
    test_choose();
    return check_summary();
}
