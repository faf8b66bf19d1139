/* test_collate: pinyin order for Simplified readers, stroke order for Traditional readers. */
#include "check.h"
#include "i18n/collate.h"

int main(void)
{
    /* pinyin: Chen < Huang < Li < Wang < Zhang */
    const char *hans[] = {"张伟", "李明", "王芳", "陈大文", "黄嘉欣"};
    CHECK_INT(collate_sort(LANG_ZH_HANS, hans, 5), 0);
    CHECK_STR(hans[0], "陈大文");
    CHECK_STR(hans[1], "黄嘉欣");
    CHECK_STR(hans[2], "李明");
    CHECK_STR(hans[3], "王芳");
    CHECK_STR(hans[4], "张伟");
    /* strokes: 王 (4) < 李 (7) < 張 (11) < 陳 (11)… < 黃 (12) */
    const char *hant[] = {"黃嘉欣", "張偉", "王芳", "李明"};
    CHECK_INT(collate_sort(LANG_ZH_HANT, hant, 4), 0);
    CHECK_STR(hant[0], "王芳");
    CHECK_STR(hant[1], "李明");
    CHECK_STR(hant[3], "黃嘉欣");
    /* Latin names: accents and case do not break the order */
    const char *pt[] = {"Sousa", "Álvares", "costa", "Ana"};
    CHECK_INT(collate_sort(LANG_PT, pt, 4), 0);
    CHECK_STR(pt[0], "Álvares");
    CHECK_STR(pt[1], "Ana");
    CHECK_STR(pt[2], "costa");
    CHECK_STR(pt[3], "Sousa");
    const char *one[] = {"x"};
    CHECK_INT(collate_sort(LANG_EN, one, 1), 0);
    return check_summary();
}
