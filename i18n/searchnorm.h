/* searchnorm: turns case text and search queries into search terms. The store keeps only keyed
 * hashes of these terms (vault_search_token), so the normalization here is the whole of what
 * "matches" means: a query finds a document when every term of the query is a term of the
 * document. Cases are written in Simplified and Traditional Chinese, English and Portuguese; a
 * query finds a case whatever the script of either.
 *
 * Normalization, in this order:
 *   1. NFKC (full-width Ａ１ -> A1, compatibility ideographs and Kangxi radicals -> unified Han),
 *   2. case folding (u_strFoldCase, default rules: JOÃO -> joão, ß -> ss),
 *   3. NFD; combining marks that follow a Latin letter are dropped (joão -> joao, Ç -> c); default
 *      ignorable code points (soft hyphen, zero-width space/joiner, variation selectors) are
 *      dropped everywhere; NFC again,
 *   4. Han characters are folded character by character to one representative of their
 *      Traditional/Simplified/variant class (調 -> 调, 裏 裡 -> 里, 綫 線 -> 线, 著 -> 着,
 *      髮 發 -> 发). The fold is a fixed table built once from OpenCC's own data (see
 *      searchnorm.c), never a phrase conversion, so a character's term does not depend on its
 *      neighbours.
 *
 * Segmentation of the normalized text:
 *   - a run of CJK letters (Han, kana, hangul) gives its overlapping bigrams; documents also give
 *     every character of the run alone (a run of one gives just that character), so that a
 *     one-character query finds any document containing the character. A query gives the bigrams
 *     of a run of two or more, and the character alone for a run of one.
 *   - a run of other letters, digits and the marks attached to them is one word: HQ-FAM-2026-000001
 *     gives hq, fam, 2026, 000001; ana.silva@example.mo gives ana, silva, example, mo. Everything
 *     else (spaces, punctuation, symbols) separates terms and gives none. No stop words.
 *   - a word longer than SEARCHNORM_TERM_MAX bytes is cut to its longest prefix of whole code
 *     points that fits (documents and queries are cut alike, so long words still match).
 *
 * Only the first SEARCHNORM_INPUT_MAX bytes of an input are considered (cut back to a code point
 * boundary); the rest is neither read nor validated. */
#ifndef QIAO_I18N_SEARCHNORM_H
#define QIAO_I18N_SEARCHNORM_H
#include <stddef.h>

#define SEARCHNORM_TERM_MAX 64      /* bytes of UTF-8 in one term, not counting the NUL */
#define SEARCHNORM_INPUT_MAX 100000 /* bytes of input considered per call */

/* Builds the Han folding table from OpenCC's t2s, hk2s and tw2s configurations (read from OpenCC's
 * data directory). Idempotent and thread-safe (pthread_once); search_terms and search_query_terms
 * call it themselves, so calling it at start-up only moves the cost (about 0.2 s, once) and
 * surfaces the error early. Returns 0 when ready; -1 if OpenCC could not be loaded or memory
 * ran out (every later call then fails the same way), or after searchnorm_shutdown. */
int searchnorm_init(void);

/* Calls emit once per search term of text, in order. Terms are NUL-terminated UTF-8 valid only
 * during the call. Returns the number of terms, or -1 on invalid UTF-8 / ICU or OpenCC failure.
 * Thread-safe (called from many server threads at once).
 *
 * text is len bytes of UTF-8, not necessarily NUL-terminated; text may be NULL when len is 0.
 * Invalid UTF-8 (ill-formed or overlong sequences, surrogates, a NUL byte) within the considered
 * prefix gives -1 before emit is ever called; NULL text with len > 0 and out-of-memory give -1 as
 * well. Order: runs in text order; within a CJK run, its bigrams left to right and then its single
 * characters left to right, so bigrams of one run keep adjacent positions. term is owned by this
 * module and len is strlen(term) (1..SEARCHNORM_TERM_MAX); the callback must copy what it keeps.
 * emit may be NULL to only count. Empty or whitespace-only text gives 0. Allocates nothing that
 * outlives the call. */
int search_terms(const char *text, size_t len,
                 void (*emit)(void *ctx, const char *term, size_t len), void *ctx);

/* The same for a query: identical normalization, so a query's terms are a subset of a matching
 * document's terms. For a CJK run of one character (a one-character query) emit that character
 * alone; for a longer run only its bigrams (every one of which the document must hold). Same
 * return values, ownership and thread-safety as search_terms. */
int search_query_terms(const char *text, size_t len,
                       void (*emit)(void *ctx, const char *term, size_t len), void *ctx);

/* Frees the folding table. Call once at process exit, after every thread that builds search terms
 * has stopped; later calls to the functions above fail with -1. */
void searchnorm_shutdown(void);

#endif
