/* sd-i18n.h — server-side texts (e-mails) in the recipient's language.
 *
 * The translations are ordinary gettext catalogs: po/LANG.po, compiled by
 * the build to LOCALEDIR/LANG/LC_MESSAGES/tandem.mo.  signald serves people
 * of many languages from one process and many threads, so it cannot switch
 * the process locale per message (and servers often have no locales
 * installed); it reads the .mo files itself, once per language, and looks
 * messages up by msgid.  The directory is $TANDEM_LOCALEDIR when set (tests
 * use the build tree), else LOCALEDIR.
 *
 * Mark each text with N_() where it is written, so xgettext finds it (list
 * the file in po/POTFILES), and translate it with sd_i18n_get() when the
 * language is known.  Thread-safe. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The translation of @msgid into @language ("de", "fr", "pt_BR"), or @msgid
 * itself when there is no catalog for @language, no translation in it, or
 * @language is NULL, "en" or not a language code.  The result lives as long
 * as the process (or @msgid). */
const char *sd_i18n_get      (const char *language,
                              const char *msgid) G_GNUC_FORMAT (2);

/* The same for @msgid under the gettext context @context (marked with
 * NC_ (context, msgid) where it is written): @msgid when untranslated. */
const char *sd_i18n_pget     (const char *language,
                              const char *context,
                              const char *msgid) G_GNUC_FORMAT (3);

/* The language to answer in for an HTTP Accept-Language value: the
 * preferred (highest q, then first) range that is English or has a catalog,
 * tried as "de_AT" and then as "de"; "en" when none does or
 * @accept_language is NULL.  The result lives as long as the process. */
const char *sd_i18n_negotiate (const char *accept_language);

/* Parse the bytes of a .mo file (either byte order) into a table msgid ->
 * translation (both strings owned by the table; plural entries keyed by
 * their singular and translated by their first form; the header entry
 * skipped).  Returns NULL with G_IO_ERROR_INVALID_DATA when @mo is not a
 * well-formed catalog. */
GHashTable *sd_i18n_parse_mo (GBytes     *mo,
                              GError    **error);

G_END_DECLS
