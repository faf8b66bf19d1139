/* locale.h: the four languages Qiao speaks and how a request's language is chosen. */
#ifndef QIAO_I18N_LOCALE_H
#define QIAO_I18N_LOCALE_H
#include <stddef.h>

enum lang { LANG_NONE = -1, LANG_EN = 0, LANG_ZH_HANS, LANG_ZH_HANT, LANG_PT, LANG_COUNT };

/* The canonical tag ("en", "zh-Hans", "zh-Hant", "pt"); "" for LANG_NONE. Static storage. */
const char *lang_tag(enum lang l);

/* The ICU locale to format for ("en", "zh_Hans", "zh_Hant_MO", "pt_MO"). Static storage. */
const char *lang_icu_locale(enum lang l);

/* Maps one BCP 47 tag to a language: zh-CN, zh-SG, zh-Hans* → zh-Hans; zh-TW, zh-HK, zh-MO,
 * zh-Hant* and bare "zh-yue" → zh-Hant; bare "zh" → zh-Hans; pt-* → pt; en-* → en. Case-insensitive.
 * LANG_NONE for anything else. */
enum lang lang_from_tag(const char *tag, size_t len);

/* The best language of an Accept-Language header value (q-values honoured, q=0 excluded, ties
 * in order of appearance); LANG_NONE when none is supported or the header is absent (NULL). */
enum lang lang_negotiate(const char *accept_language);

/* A strict parse of a canonical tag as the API accepts it in JSON ("en", "zh-Hans", "zh-Hant",
 * "pt"); LANG_NONE otherwise. */
enum lang lang_parse_canonical(const char *tag);
#endif
