/* text.h: text at the edge: UTF-8 validity, NFC normalization, length in code points. */
#ifndef QIAO_I18N_TEXT_H
#define QIAO_I18N_TEXT_H
#include <stdbool.h>
#include <stddef.h>

/* Is s[0..len) well-formed UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF)? */
bool utf8_valid(const char *s, size_t len);

/* The number of code points of valid UTF-8 s. */
size_t utf8_length(const char *s, size_t len);

/* s in Unicode NFC (malloc'd, caller frees); NULL if s is not valid UTF-8 or on ICU failure. */
char *text_nfc(const char *s, size_t len);

/* Does s contain control characters other than tab, CR and LF (or, when single_line, any), or
 * bidirectional overrides, embeddings or isolates? */
bool text_has_controls(const char *s, size_t len, bool single_line);
#endif
