/* convert: Simplified <-> Traditional Chinese (Hong Kong/Macao usage) for labelled views of what a
 * party wrote. OpenCC (s2hk / hk2s) does the bulk of the work under a legal-domain glossary
 * embedded from the files in i18n/glossary:
 * - s2t.tsv, t2s.tsv: phrase overrides for running text, Simplified -> Traditional and back;
 * - surnames.tsv: surnames, single and compound, Simplified <TAB> Traditional (names, both ways);
 * - names.tsv, names-t2s.tsv: given-name characters in their name reading, each way.
 * Text mode splits each run of Han characters into glossary keys and single characters (fewest
 * pieces; see segment_run in convert.c), writes the keys as the glossary says and hands only the
 * text between them to OpenCC, so OpenCC never re-converts a protected span. S->T output also gets
 * the Hong Kong form 綫 for 線, which OpenCC's s2hk leaves out, and keeps 于 余 游 涂 范 as written
 * where the context says they are surnames (申请人于国华称 -> 申請人于國華稱, 于海燕打算 -> 于海燕打算;
 * see text_surname), while 于 before a place, an institution or a time stays the preposition
 * (申请人于成都工作 -> 申請人於成都工作).
 *
 * Name mode (CONVERT_NAME) treats each run of Han characters as a person's name: the run starts
 * with a surname (compound surnames first) converted through surnames.tsv, so surnames that are
 * characters of their own stay as written (余 于 范 姜 干 谷 郁 游 肖 党 云 仇 朴 沈 ... and 於 乾
 * going T->S) and the others take their proper form (钟->鍾, 叶->葉, 单->單, 欧阳->歐陽); the rest
 * is converted character by character in its name reading (发->發, 松->松, 里->里), never by
 * phrase. Text that is not Han (Latin, digits, spaces, punctuation) is copied unchanged in both
 * modes.
 *
 * The original text is the legal record; a conversion is only ever a labelled view of it. */
#ifndef QIAO_I18N_CONVERT_H
#define QIAO_I18N_CONVERT_H
#include <stddef.h>

enum script { SCRIPT_NONE = 0, SCRIPT_HANS, SCRIPT_HANT };
enum convert_kind { CONVERT_TEXT, CONVERT_NAME };

/* Loads the OpenCC configurations (s2hk, hk2s, s2t, t2s from OpenCC's data directory) and parses
 * the embedded glossaries (a glossary file missing from the build counts as empty). Idempotent and
 * thread-safe (pthread_once); convert_text and script_detect call it themselves, so calling it at
 * start-up only moves the cost (about 0.3 s, mostly building script_detect's tables) and surfaces
 * the error early. Returns 0 when ready; -1 if OpenCC's configurations cannot be loaded or memory
 * runs out (every later call then fails the same way), and -1 after convert_shutdown. */
int convert_init(void);

/* The glossary (i18n/glossary/s2t.tsv, t2s.tsv) overrides OpenCC phrase by phrase; a key ending
 * in '$' matches only at the end of a clause (干了$ → 乾了: "dry", not "done").
 * Converts len bytes of UTF-8 to the script `to` (SCRIPT_HANT: Traditional, Hong Kong/Macao usage;
 * SCRIPT_HANS: Simplified; SCRIPT_NONE: an unchanged copy). kind chooses text or person-name rules.
 * Returns a malloc'd NUL-terminated string the caller frees with free(); NULL if the input is not
 * valid UTF-8 (including a NUL byte inside len, surrogates, overlong forms), if utf8 is NULL with
 * len > 0, on out-of-memory, or if convert_init fails. utf8 need not be NUL-terminated.
 * Thread-safe: any number of threads may call it at once. */
char *convert_text(const char *utf8, size_t len, enum script to, enum convert_kind kind);

/* Says which script a text is written in: SCRIPT_HANS if it has more characters that exist only in
 * Simplified than characters that exist only in Traditional, SCRIPT_HANT for the reverse,
 * SCRIPT_NONE if it has no such characters (no Han, or only characters common to both such as
 * 中文), if the two counts are equal, or if convert_init fails. Characters in ordinary use in both
 * scripts (干 台 里 面 于 余 着 ... / 乾 著 覆 於 ...) are not counted. Malformed UTF-8 bytes are
 * skipped, so a text cut in the middle of a character is still recognised. Thread-safe; allocates
 * nothing. */
enum script script_detect(const char *utf8, size_t len);

/* Frees everything convert_init loaded. Call once at process exit, after every thread that converts
 * has stopped; later calls to the functions above fail (NULL / SCRIPT_NONE / -1). */
void convert_shutdown(void);

#endif
