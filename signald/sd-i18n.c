/* sd-i18n.c — gettext catalogs read by signald itself; see sd-i18n.h. */
#define G_LOG_DOMAIN "sd-i18n"

#include "sd-i18n.h"

#include <gio/gio.h>
#include <string.h>

#define MO_MAGIC         0x950412deU
#define MO_MAGIC_SWAPPED 0xde120495U
#define MO_HEADER_BYTES  28

/* language -> GHashTable (msgid -> translation), or -> the "none" marker
 * when the language has no readable catalog.  Filled on first use of each
 * language and kept for the life of the process. */
static GMutex catalogs_lock;
static GHashTable *catalogs;
static const char none[] = "";

static gboolean
read_u32 (const guint8 *data,
          gsize         size,
          guint64       offset,
          gboolean      swapped,
          guint32      *out)
{
  if (offset + 4 > size)
    return FALSE;
  guint32 v;
  memcpy (&v, data + offset, 4);
  *out = swapped ? GUINT32_SWAP_LE_BE (v) : v;
  return TRUE;
}

/* The string of table entry @i (length, offset) of the table at @table;
 * up to its first NUL (the singular of a plural entry). */
static char *
read_entry (const guint8 *data,
            gsize         size,
            guint32       table,
            guint32       i,
            gboolean      swapped)
{
  guint32 len, off;
  guint64 at = (guint64) table + (guint64) i * 8;
  if (!read_u32 (data, size, at, swapped, &len) || !read_u32 (data, size, at + 4, swapped, &off) ||
      (guint64) off + len > size)
    return NULL;
  return g_strndup ((const char *) data + off, len);
}

GHashTable *
sd_i18n_parse_mo (GBytes  *mo,
                  GError **error)
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (mo, &size);
  guint32 magic = 0, n = 0, originals = 0, translations = 0;
  gboolean swapped = FALSE;

  if (size >= 4)
    {
      memcpy (&magic, data, 4);
      swapped = magic == MO_MAGIC_SWAPPED;
    }
  if (size < MO_HEADER_BYTES || (magic != MO_MAGIC && !swapped) ||
      !read_u32 (data, size, 8, swapped, &n) ||
      !read_u32 (data, size, 12, swapped, &originals) ||
      !read_u32 (data, size, 16, swapped, &translations) ||
      (guint64) originals + (guint64) n * 8 > size ||
      (guint64) translations + (guint64) n * 8 > size)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not a gettext catalog (.mo)");
      return NULL;
    }

  g_autoptr(GHashTable) table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint32 i = 0; i < n; i++)
    {
      g_autofree char *msgid = read_entry (data, size, originals, i, swapped);
      g_autofree char *msgstr = read_entry (data, size, translations, i, swapped);
      if (msgid == NULL || msgstr == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "gettext catalog entry %u points outside the file", i);
          return NULL;
        }
      if (*msgid == '\0' || *msgstr == '\0')
        continue;  /* the header, or an untranslated entry */
      g_hash_table_replace (table, g_steal_pointer (&msgid), g_steal_pointer (&msgstr));
    }
  return g_steal_pointer (&table);
}

/* "de", "fr", "pt_BR": what may name a catalog directory. */
static gboolean
is_language_code (const char *language)
{
  gsize len = strlen (language);
  if (len < 2 || len > 8)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalpha (language[i]) && !(i >= 2 && language[i] == '_'))
      return FALSE;
  return TRUE;
}

static GHashTable *
load_catalog (const char *language)
{
  const char *dir = g_getenv ("TANDEM_LOCALEDIR");
  g_autofree char *path = g_build_filename (dir != NULL && *dir != '\0' ? dir : LOCALEDIR,
                                            language, "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) file = g_mapped_file_new (path, FALSE, &error);
  if (file == NULL)
    {
      g_debug ("no catalog for %s: %s", language, error->message);
      return NULL;
    }
  g_autoptr(GBytes) bytes = g_mapped_file_get_bytes (file);
  GHashTable *table = sd_i18n_parse_mo (bytes, &error);
  if (table == NULL)
    g_warning ("%s: %s", path, error->message);
  return table;
}

/* The catalog of @language, loading it on first use; NULL when there is
 * none.  Tables are never changed once loaded. */
static GHashTable *
get_catalog (const char *language)
{
  g_mutex_lock (&catalogs_lock);
  if (catalogs == NULL)
    catalogs = g_hash_table_new (g_str_hash, g_str_equal);
  gpointer catalog = g_hash_table_lookup (catalogs, language);
  if (catalog == NULL)
    {
      catalog = load_catalog (language);
      if (catalog == NULL)
        catalog = (gpointer) none;
      g_hash_table_insert (catalogs, g_strdup (language), catalog);
    }
  g_mutex_unlock (&catalogs_lock);
  return catalog != none ? catalog : NULL;
}

const char *
sd_i18n_get (const char *language,
             const char *msgid)
{
  g_return_val_if_fail (msgid != NULL, NULL);

  if (language == NULL || g_str_equal (language, "en") || !is_language_code (language))
    return msgid;

  GHashTable *catalog = get_catalog (language);
  const char *translation = catalog != NULL ? g_hash_table_lookup (catalog, msgid) : NULL;
  /* Tables are never changed once loaded, so @translation stays valid. */
  return translation != NULL ? translation : msgid;
}

const char *
sd_i18n_pget (const char *language,
              const char *context,
              const char *msgid)
{
  g_return_val_if_fail (context != NULL && msgid != NULL, NULL);

  if (language == NULL || g_str_equal (language, "en") || !is_language_code (language))
    return msgid;
  GHashTable *catalog = get_catalog (language);
  if (catalog == NULL)
    return msgid;
  /* gettext keys a message with a context as "context\004msgid" */
  g_autofree char *key = g_strconcat (context, "\004", msgid, NULL);
  const char *translation = g_hash_table_lookup (catalog, key);
  return translation != NULL ? translation : msgid;
}

typedef struct {
  char *tag;
  double q;
  guint order;
} Range;

static int
range_compare (gconstpointer a,
               gconstpointer b)
{
  const Range *x = a, *y = b;
  if (x->q != y->q)
    return x->q > y->q ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

/* "de-AT" -> "de_AT", "FR" -> "fr"; NULL when not a language code. */
static char *
tag_to_language (const char *tag,
                 gboolean    primary_only)
{
  g_auto(GStrv) parts = g_strsplit (tag, "-", 3);
  if (parts[0] == NULL)
    return NULL;
  g_autofree char *primary = g_ascii_strdown (parts[0], -1);
  char *language;
  if (!primary_only && parts[1] != NULL && strlen (parts[1]) == 2)
    {
      g_autofree char *region = g_ascii_strup (parts[1], -1);
      language = g_strdup_printf ("%s_%s", primary, region);
    }
  else
    language = g_strdup (primary);
  if (!is_language_code (language))
    {
      g_free (language);
      return NULL;
    }
  return language;
}

const char *
sd_i18n_negotiate (const char *accept_language)
{
  if (accept_language == NULL)
    return "en";

  g_auto(GStrv) items = g_strsplit (accept_language, ",", 32);
  g_autoptr(GArray) ranges = g_array_new (FALSE, TRUE, sizeof (Range));
  for (guint i = 0; items[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (items[i], ";", 4);
      Range r = { g_strstrip (fields[0]), 1.0, i };
      for (guint f = 1; fields[f] != NULL; f++)
        {
          const char *p = g_strstrip (fields[f]);
          if (g_ascii_strncasecmp (p, "q=", 2) == 0)
            r.q = g_ascii_strtod (p + 2, NULL);
        }
      if (*r.tag == '\0' || r.q <= 0.0)
        continue;
      r.tag = g_strdup (r.tag);
      g_array_append_val (ranges, r);
    }
  g_array_sort (ranges, range_compare);

  const char *chosen = "en";
  for (guint i = 0; i < ranges->len; i++)
    {
      const char *tag = g_array_index (ranges, Range, i).tag;
      for (int primary_only = 0; primary_only <= 1; primary_only++)
        {
          g_autofree char *language = tag_to_language (tag, primary_only);
          if (language == NULL)
            continue;
          if (g_str_equal (language, "en") || get_catalog (language) != NULL)
            {
              chosen = g_intern_string (language);
              goto done;
            }
        }
    }
done:
  for (guint i = 0; i < ranges->len; i++)
    g_free (g_array_index (ranges, Range, i).tag);
  return chosen;
}
