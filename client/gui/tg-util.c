/* tg-util.c — JSON access, error sentences and formatting for the views
 * (see tg-util.h). */
#define G_LOG_DOMAIN "tg-util"

#include "tg-util.h"

#include "tandem-error.h"
#include "tg-application.h"

#include <glib/gi18n.h>
#include <string.h>

static GSettings *app_settings;

/* ---- JSON ---- */

JsonObject *
tg_json_object (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonNode *
member (JsonObject *object,
        const char *name)
{
  return object != NULL ? json_object_get_member (object, name) : NULL;
}

const char *
tg_json_string (JsonObject *object,
                const char *name)
{
  JsonNode *node = member (object, name);
  return node != NULL && json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;
}

JsonObject *
tg_json_member_object (JsonObject *object,
                       const char *name)
{
  return tg_json_object (member (object, name));
}

JsonArray *
tg_json_member_array (JsonObject *object,
                      const char *name)
{
  JsonNode *node = member (object, name);
  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

gint64
tg_json_int (JsonObject *object,
             const char *name,
             gint64      fallback)
{
  JsonNode *node = member (object, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return (gint64) json_node_get_double (node);
  return fallback;
}

gboolean
tg_json_bool (JsonObject *object,
              const char *name,
              gboolean    fallback)
{
  JsonNode *node = member (object, name);
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

/* ---- errors ---- */

gboolean
tg_error_is_cancelled (const GError *error)
{
  return error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* A translated reason for the codes people meet, else NULL. */
static const char *
known_reason (const GError *error)
{
  if (error->domain != TANDEM_ERROR)
    return NULL;
  switch ((TandemErrorCode) error->code)
    {
    case TANDEM_ERROR_NETWORK:
      return _("The server cannot be reached. Check its address and your connection");
    case TANDEM_ERROR_PROTOCOL:
      return _("The server's answer made no sense. Is this the address of a Tandem server?");
    case TANDEM_ERROR_INVALID_CREDENTIALS:
      return _("The e-mail address or the password is wrong");
    case TANDEM_ERROR_UNAUTHORIZED:
      return _("Your session has ended. Please sign in again");
    case TANDEM_ERROR_FORBIDDEN:
    case TANDEM_ERROR_INSUFFICIENT_SCOPE:
      return _("You are not allowed to do this");
    case TANDEM_ERROR_NOT_FOUND:
      return _("It no longer exists, or you cannot see it");
    case TANDEM_ERROR_EMAIL_TAKEN:
      return _("There is already an account with this e-mail address");
    case TANDEM_ERROR_ALREADY_MEMBER:
      return _("You are already a member of this group");
    case TANDEM_ERROR_INVITATION_EXPIRED:
      return _("This invitation has expired. Ask for a new one");
    case TANDEM_ERROR_INVITATION_USED:
      return _("This invitation has already been used");
    case TANDEM_ERROR_GONE:
      return _("It no longer exists");
    case TANDEM_ERROR_PAYLOAD_TOO_LARGE:
      return _("The file is too large for this server");
    case TANDEM_ERROR_UNSUPPORTED_MEDIA:
      return _("This kind of file is not accepted here");
    case TANDEM_ERROR_QUOTA_EXCEEDED:
      return _("Your organization has no storage space left");
    case TANDEM_ERROR_RATE_LIMITED:
      return _("Too many attempts. Wait a minute and try again");
    case TANDEM_ERROR_INTERNAL:
    case TANDEM_ERROR_UNAVAILABLE:
      return _("The server has a problem right now. Try again later");
    default:
      return NULL;
    }
}

/* @text with a capital first letter and a full stop at the end. */
static char *
as_sentence (const char *text)
{
  g_autoptr(GString) s = g_string_new (text);
  g_strstrip (s->str);
  s->len = strlen (s->str);
  if (s->len == 0)
    g_string_assign (s, _("Something went wrong"));
  gunichar first = g_utf8_get_char (s->str);
  if (g_unichar_islower (first))
    {
      char buf[8];
      int n = g_unichar_to_utf8 (g_unichar_toupper (first), buf);
      g_string_erase (s, 0, g_utf8_next_char (s->str) - s->str);
      g_string_insert_len (s, 0, buf, n);
    }
  char last = s->str[s->len - 1];
  if (last != '.' && last != '?' && last != '!')
    g_string_append_c (s, '.');
  return g_string_free (g_steal_pointer (&s), FALSE);
}

char *
tg_error_sentence (const GError *error,
                   const char   *doing)
{
  const char *reason = error != NULL ? known_reason (error) : NULL;
  g_autofree char *sentence = as_sentence (reason != NULL ? reason
                                           : error != NULL ? error->message : "");
  if (doing == NULL)
    return g_steal_pointer (&sentence);
  /* TRANSLATORS: "what failed: why", e.g. "Could not create the group: The server cannot be reached." */
  return g_strdup_printf (_("%s: %s"), doing, sentence);
}

/* ---- assets ---- */

const char *
tg_asset_status_label (const char *status)
{
  if (g_strcmp0 (status, "waiting_upload") == 0)
    return _("Waiting for Upload");
  if (g_strcmp0 (status, "pending") == 0)
    return _("Pending Review");
  if (g_strcmp0 (status, "completed") == 0)
    return _("Reviewed");
  return _("Unknown");
}

const char *
tg_asset_status_css (const char *status)
{
  if (g_strcmp0 (status, "waiting_upload") == 0)
    return "status-waiting";
  if (g_strcmp0 (status, "pending") == 0)
    return "status-pending";
  if (g_strcmp0 (status, "completed") == 0)
    return "status-reviewed";
  return "status-unknown";
}

/* ---- formatting ---- */

void
tg_util_set_settings (GSettings *settings)
{
  g_set_object (&app_settings, settings);
}

GSettings *
tg_util_get_settings (void)
{
  return app_settings;
}

/* The zone the user chose (setting, then account), or NULL. */
static GTimeZone *
chosen_zone (void)
{
  g_autofree char *name = app_settings != NULL ? g_settings_get_string (app_settings, "time-zone") : NULL;
  GTimeZone *tz = name != NULL && *name != '\0' ? g_time_zone_new_identifier (name) : NULL;
  if (tz != NULL)
    return tz;
  TgApplication *app = tg_application_get_default ();
  JsonObject *user = app != NULL ? tg_session_get_user (tg_application_get_session (app)) : NULL;
  const char *account = tg_json_string (user, "time_zone");
  return account != NULL && *account != '\0' ? g_time_zone_new_identifier (account) : NULL;
}

GTimeZone *
tg_user_time_zone (void)
{
  GTimeZone *tz = chosen_zone ();
  return tz != NULL ? tz : g_time_zone_new_local ();
}

char *
tg_user_time_zone_name (void)
{
  g_autoptr(GTimeZone) tz = tg_user_time_zone ();
  const char *id = g_time_zone_get_identifier (tz);
  /* The system's zone has a name when TZ or /etc/localtime names one. */
  if (id != NULL && (strchr (id, '/') != NULL || g_str_equal (id, "UTC")))
    {
      g_autoptr(GTimeZone) again = g_time_zone_new_identifier (id);
      if (again != NULL)
        return g_strdup (id);
    }
  return g_strdup ("UTC");
}

char *
tg_format_time (const char *text)
{
  if (text == NULL)
    return NULL;
  g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (text, NULL);
  if (utc == NULL)
    return NULL;
  g_autoptr(GTimeZone) tz = tg_user_time_zone ();
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);
  /* TRANSLATORS: a date and time (strftime format), e.g. "12 March 2025, 14:05" */
  const char *format = _("%-d %B %Y, %H:%M");
  if (g_date_time_get_day_of_month (local) == 1)
    /* TRANSLATORS: the same on the first of a month, where some languages
     * write the day otherwise (French: "1er juillet") */
    format = C_("first day of the month", "%-d %B %Y, %H:%M");
  return g_date_time_format (local, format);
}

char *
tg_format_date (GDateTime *date)
{
  /* TRANSLATORS: a date without the weekday (strftime format), e.g. "14 March 2025" */
  const char *format = _("%-d %B %Y");
  if (g_date_time_get_day_of_month (date) == 1)
    /* TRANSLATORS: the same on the first of a month, where some languages
     * write the day otherwise (French: "1er juillet 2025") */
    format = C_("first day of the month", "%-d %B %Y");
  return g_date_time_format (date, format);
}

char *
tg_format_size (guint64 bytes)
{
  return g_format_size (bytes);
}

char *
tg_format_duration (gint64 ms)
{
  if (ms < 0)
    ms = 0;
  gint64 s = (ms + 500) / 1000;
  if (s >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", s / 3600, (int) (s / 60 % 60), (int) (s % 60));
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d", s / 60, (int) (s % 60));
}

/* ---- widgets ---- */

GtkWidget *
tg_widget_find (GtkWidget  *root,
                const char *name)
{
  g_return_val_if_fail (GTK_IS_WIDGET (root), NULL);

  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = tg_widget_find (child, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}
