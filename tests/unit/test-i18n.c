/* test-i18n.c — signald's own reading of gettext catalogs: .mo files in
 * both byte orders, plural and header entries, damaged files refused, and
 * sd_i18n_get() finding catalogs under $TANDEM_LOCALEDIR, sd_i18n_negotiate()
 * choosing among them by Accept-Language. */
#include "sd-i18n.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

typedef struct {
  const char *msgid;   /* may contain one NUL (plural): give its length */
  gsize msgid_len;
  const char *msgstr;
  gsize msgstr_len;
} Entry;

static void
put_u32 (GByteArray *out,
         guint32     v,
         gboolean    big_endian)
{
  guint32 w = big_endian ? GUINT32_TO_BE (v) : GUINT32_TO_LE (v);
  g_byte_array_append (out, (const guint8 *) &w, 4);
}

/* A .mo file with @entries, laid out like msgfmt does (header, two tables,
 * strings, each followed by a NUL). */
static GBytes *
make_mo (const Entry *entries,
         guint        n,
         gboolean     big_endian)
{
  GByteArray *out = g_byte_array_new ();
  guint32 originals = 28, translations = originals + 8 * n, strings = translations + 8 * n;
  put_u32 (out, 0x950412de, big_endian);
  put_u32 (out, 0, big_endian);
  put_u32 (out, n, big_endian);
  put_u32 (out, originals, big_endian);
  put_u32 (out, translations, big_endian);
  put_u32 (out, 0, big_endian);
  put_u32 (out, 0, big_endian);
  guint32 at = strings;
  for (guint i = 0; i < n; i++)
    {
      put_u32 (out, entries[i].msgid_len, big_endian);
      put_u32 (out, at, big_endian);
      at += entries[i].msgid_len + 1;
    }
  for (guint i = 0; i < n; i++)
    {
      put_u32 (out, entries[i].msgstr_len, big_endian);
      put_u32 (out, at, big_endian);
      at += entries[i].msgstr_len + 1;
    }
  for (guint i = 0; i < n; i++)
    g_byte_array_append (out, (const guint8 *) entries[i].msgid, entries[i].msgid_len + 1);
  for (guint i = 0; i < n; i++)
    g_byte_array_append (out, (const guint8 *) entries[i].msgstr, entries[i].msgstr_len + 1);
  return g_byte_array_free_to_bytes (out);
}

#define E(id, str) { id, sizeof id - 1, str, sizeof str - 1 }

static const Entry sample[] = {
  E ("", "Content-Type: text/plain; charset=UTF-8\n"),
  E ("%s reviewed “%s”", "%s hat „%s“ besprochen"),
  E ("one video\0%u videos", "ein Video\0%u Videos"),
  E ("not yet translated", ""),
};

static void
test_parse (void)
{
  for (int big = 0; big <= 1; big++)
    {
      g_autoptr(GBytes) mo = make_mo (sample, G_N_ELEMENTS (sample), big);
      g_autoptr(GError) error = NULL;
      g_autoptr(GHashTable) table = sd_i18n_parse_mo (mo, &error);
      g_assert_no_error (error);
      g_assert_nonnull (table);
      g_assert_cmpuint (g_hash_table_size (table), ==, 2);
      g_assert_cmpstr (g_hash_table_lookup (table, "%s reviewed “%s”"), ==, "%s hat „%s“ besprochen");
      g_assert_cmpstr (g_hash_table_lookup (table, "one video"), ==, "ein Video");
      g_assert_null (g_hash_table_lookup (table, ""));
      g_assert_null (g_hash_table_lookup (table, "not yet translated"));
    }
}

static void
test_damaged (void)
{
  g_autoptr(GBytes) good = make_mo (sample, G_N_ELEMENTS (sample), FALSE);
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (good, &size);

  /* Every truncation is refused or parsed, never read out of bounds
   * (run under AddressSanitizer to see). */
  for (gsize cut = 0; cut < size; cut++)
    {
      g_autoptr(GBytes) part = g_bytes_new (data, cut);
      g_autoptr(GError) error = NULL;
      g_autoptr(GHashTable) table = sd_i18n_parse_mo (part, &error);
      g_assert_true ((table == NULL) == (error != NULL));
      if (cut < 28)
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    }

  /* Wrong magic; a count that would run past the end; an offset past it. */
  struct { gsize at; guint32 value; } patches[] = { { 0, 0x12345678 }, { 8, 0x10000000 }, { 32, 0xfffffff0 } };
  for (guint i = 0; i < G_N_ELEMENTS (patches); i++)
    {
      g_autofree guint8 *copy = g_memdup2 (data, size);
      guint32 v = GUINT32_TO_LE (patches[i].value);
      memcpy (copy + patches[i].at, &v, 4);
      g_autoptr(GBytes) bad = g_bytes_new (copy, size);
      g_autoptr(GError) error = NULL;
      g_autoptr(GHashTable) table = sd_i18n_parse_mo (bad, &error);
      g_assert_null (table);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    }
}

static void
test_lookup (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tandem-i18n-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *lc = g_build_filename (dir, "xx", "LC_MESSAGES", NULL);
  g_assert_cmpint (g_mkdir_with_parents (lc, 0700), ==, 0);
  g_autofree char *path = g_build_filename (lc, GETTEXT_PACKAGE ".mo", NULL);
  g_autoptr(GBytes) mo = make_mo (sample, G_N_ELEMENTS (sample), FALSE);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (mo, NULL), g_bytes_get_size (mo), &error));
  g_assert_no_error (error);
  /* A damaged catalog for "yy": untranslated, with a warning. */
  g_autofree char *lc_yy = g_build_filename (dir, "yy", "LC_MESSAGES", NULL);
  g_assert_cmpint (g_mkdir_with_parents (lc_yy, 0700), ==, 0);
  g_autofree char *path_yy = g_build_filename (lc_yy, GETTEXT_PACKAGE ".mo", NULL);
  g_assert_true (g_file_set_contents (path_yy, "garbage", -1, &error));

  g_autofree char *saved = g_strdup (g_getenv ("TANDEM_LOCALEDIR"));
  g_setenv ("TANDEM_LOCALEDIR", dir, TRUE);

  const char *msgid = "%s reviewed “%s”";
  g_assert_cmpstr (sd_i18n_get ("xx", msgid), ==, "%s hat „%s“ besprochen");
  g_assert_true (sd_i18n_get ("xx", "unknown text") != NULL);
  g_assert_cmpstr (sd_i18n_get ("xx", "unknown text"), ==, "unknown text");
  /* English, no catalog, nonsense and path tricks: the msgid itself. */
  g_assert_true (sd_i18n_get ("en", msgid) == msgid);
  g_assert_true (sd_i18n_get (NULL, msgid) == msgid);
  g_assert_true (sd_i18n_get ("zz", msgid) == msgid);
  g_assert_true (sd_i18n_get ("../xx", msgid) == msgid);
  g_assert_true (sd_i18n_get ("x", msgid) == msgid);
  g_test_expect_message ("sd-i18n", G_LOG_LEVEL_WARNING, "*not a gettext catalog*");
  g_assert_true (sd_i18n_get ("yy", msgid) == msgid);
  g_test_assert_expected_messages ();
  /* Loaded once: a second lookup does not warn again. */
  g_assert_true (sd_i18n_get ("yy", msgid) == msgid);

  /* Accept-Language: the preferred range that is English or has a catalog
   * (region tried, then dropped); English otherwise. */
  g_assert_cmpstr (sd_i18n_negotiate (NULL), ==, "en");
  g_assert_cmpstr (sd_i18n_negotiate (""), ==, "en");
  g_assert_cmpstr (sd_i18n_negotiate ("*"), ==, "en");
  g_assert_cmpstr (sd_i18n_negotiate ("xx"), ==, "xx");
  g_assert_cmpstr (sd_i18n_negotiate ("XX-ch"), ==, "xx");
  g_assert_cmpstr (sd_i18n_negotiate ("zz, xx;q=0.5"), ==, "xx");
  g_assert_cmpstr (sd_i18n_negotiate ("yy, ../xx, xx ; q=0.2"), ==, "xx");
  g_assert_cmpstr (sd_i18n_negotiate ("xx-CH;q=0.8, en;q=0.9"), ==, "en");
  g_assert_cmpstr (sd_i18n_negotiate ("xx;q=0, zz"), ==, "en");
  g_assert_cmpstr (sd_i18n_negotiate ("en-GB, xx"), ==, "en");

  if (saved != NULL)
    g_setenv ("TANDEM_LOCALEDIR", saved, TRUE);
  else
    g_unsetenv ("TANDEM_LOCALEDIR");
  g_unlink (path);
  g_unlink (path_yy);
  g_rmdir (lc);
  g_rmdir (lc_yy);
  g_autofree char *xx = g_build_filename (dir, "xx", NULL);
  g_autofree char *yy = g_build_filename (dir, "yy", NULL);
  g_rmdir (xx);
  g_rmdir (yy);
  g_rmdir (dir);
}

/* The catalogs the build made from po/LANG.po: the server's e-mail texts are
 * translated (TANDEM_LOCALEDIR points at the build tree in tests). */
static void
test_build_catalogs (void)
{
  if (g_getenv ("TANDEM_LOCALEDIR") == NULL)
    {
      g_test_skip ("TANDEM_LOCALEDIR is not set");
      return;
    }
  const char *subject = "Your video “%s” was reviewed";
  g_assert_cmpstr (sd_i18n_get ("de", subject), !=, subject);
  g_assert_cmpstr (sd_i18n_get ("fr", subject), !=, subject);
  g_assert_nonnull (strstr (sd_i18n_get ("de", subject), "%s"));
  g_assert_nonnull (strstr (sd_i18n_get ("fr", subject), "%s"));
  /* The invitation page's texts too, and both languages are negotiated. */
  g_assert_cmpstr (sd_i18n_get ("de", "Invitation not found"), ==, "Einladung nicht gefunden");
  g_assert_cmpstr (sd_i18n_get ("fr", "Invitation not found"), ==, "Invitation introuvable");
  g_assert_cmpstr (sd_i18n_negotiate ("de-DE,de;q=0.9,en;q=0.8"), ==, "de");
  g_assert_cmpstr (sd_i18n_negotiate ("fr-CA, en;q=0.5"), ==, "fr");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/I18n/parse", test_parse);
  g_test_add_func ("/I18n/damaged", test_damaged);
  g_test_add_func ("/I18n/lookup", test_lookup);
  g_test_add_func ("/I18n/build-catalogs", test_build_catalogs);
  return g_test_run ();
}
