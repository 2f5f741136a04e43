/* tg-coaching.c — see tg-coaching.h. */
#define G_LOG_DOMAIN "tg-coaching"

#include "tg-coaching.h"

#include "tandem-slots.h"

#include "tg-util.h"

#include <glib/gi18n.h>

char *
tg_coaching_path (const char *group_id,
                  const char *format,
                  ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *rest = g_strdup_vprintf (format, args);
  va_end (args);
  return g_strdup_printf ("/groups/%s/coaching/%s", group_id, rest);
}

/* ---- time zones ---- */

gboolean
tg_coaching_zone_is_valid (const char *name)
{
  if (name == NULL || *name == '\0')
    return FALSE;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (name);
  return tz != NULL;
}

/* ---- days ---- */

const char *
tg_coaching_day_name (int day)
{
  switch (day)
    {
    case 0: return C_("week view", "Sunday");
    case 1: return C_("week view", "Monday");
    case 2: return C_("week view", "Tuesday");
    case 3: return C_("week view", "Wednesday");
    case 4: return C_("week view", "Thursday");
    case 5: return C_("week view", "Friday");
    case 6: return C_("week view", "Saturday");
    default: return "";
    }
}

const char *
tg_coaching_day_short_name (int day)
{
  switch (day)
    {
    /* TRANSLATORS: short weekday names, heading the columns of the week */
    case 0: return C_("week view", "Sun");
    case 1: return C_("week view", "Mon");
    case 2: return C_("week view", "Tue");
    case 3: return C_("week view", "Wed");
    case 4: return C_("week view", "Thu");
    case 5: return C_("week view", "Fri");
    case 6: return C_("week view", "Sat");
    default: return "";
    }
}

int
tg_coaching_day_at_column (int column)
{
  return (column + 1) % 7;
}

int
tg_coaching_column_of_day (int day)
{
  return (day + 6) % 7;
}

/* ---- times of day ---- */

char *
tg_coaching_format_minutes (int minutes)
{
  minutes = CLAMP (minutes, 0, 24 * 60);
  return g_strdup_printf ("%02d:%02d", minutes / 60, minutes % 60);
}

gboolean
tg_coaching_parse_minutes (const char *text,
                           int        *minutes)
{
  g_return_val_if_fail (minutes != NULL, FALSE);
  if (text == NULL)
    return FALSE;
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  return tandem_parse_hhmm (trimmed, minutes);
}

/* ---- times ---- */

GDateTime *
tg_coaching_local_time (const char *time)
{
  if (time == NULL)
    return NULL;
  g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (time, NULL);
  if (utc == NULL)
    return NULL;
  g_autoptr(GTimeZone) tz = tg_user_time_zone ();
  return g_date_time_to_timezone (utc, tz);
}

char *
tg_coaching_format_clock (GDateTime *time)
{
  return g_date_time_format (time, "%H:%M");
}

char *
tg_coaching_format_range (const char *start,
                          const char *end)
{
  g_autoptr(GDateTime) from = tg_coaching_local_time (start);
  g_autoptr(GDateTime) until = tg_coaching_local_time (end);
  if (from == NULL)
    return NULL;

  int day = g_date_time_get_day_of_week (from) % 7;
  g_autofree char *date = tg_format_date (from);
  g_autofree char *clock_from = tg_coaching_format_clock (from);
  if (until == NULL)
    /* TRANSLATORS: "Tuesday 14 March 2025, 14:00" */
    return g_strdup_printf (_("%s %s, %s"), tg_coaching_day_name (day), date, clock_from);
  g_autofree char *clock_until = tg_coaching_format_clock (until);
  /* TRANSLATORS: "Tuesday 14 March 2025, 14:00 – 14:45" */
  return g_strdup_printf (_("%s %s, %s – %s"), tg_coaching_day_name (day), date, clock_from, clock_until);
}

char *
tg_coaching_format_rfc3339 (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

/* ---- bookings ---- */

static gint64
unix_of (JsonObject *object,
         const char *name)
{
  const char *text = tg_json_string (object, name);
  g_autoptr(GDateTime) time = text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
  return time != NULL ? g_date_time_to_unix (time) : 0;
}

gint64
tg_coaching_booking_start (JsonObject *booking)
{
  return unix_of (booking, "start");
}

gint64
tg_coaching_booking_end (JsonObject *booking)
{
  return unix_of (booking, "end");
}

const char *
tg_coaching_booking_partner (JsonObject *booking,
                             const char *me,
                             GHashTable *people)
{
  gboolean i_coach = g_strcmp0 (tg_json_string (booking, "expert_id"), me) == 0;
  const char *role = i_coach ? "student" : "expert";
  g_autofree char *id_member = g_strconcat (role, "_id", NULL);
  g_autofree char *name_member = g_strconcat (role, "_name", NULL);

  const char *name = tg_json_string (tg_json_member_object (booking, role), "name");
  if (name == NULL)
    name = tg_json_string (booking, name_member);
  if (name == NULL && people != NULL)
    {
      const char *id = tg_json_string (booking, id_member);
      name = id != NULL ? g_hash_table_lookup (people, id) : NULL;
    }
  return name;
}

const char *
tg_coaching_booking_type (JsonObject *booking,
                          GHashTable *types)
{
  const char *name = tg_json_string (tg_json_member_object (booking, "session_type"), "name");
  if (name == NULL)
    name = tg_json_string (booking, "session_type_name");
  if (name == NULL && types != NULL)
    {
      const char *id = tg_json_string (booking, "session_type_id");
      JsonObject *type = id != NULL ? g_hash_table_lookup (types, id) : NULL;
      name = tg_json_string (type, "name");
    }
  return name;
}

gboolean
tg_coaching_booking_joinable (JsonObject *booking,
                              gint64      now,
                              gint64      window_seconds)
{
  const char *status = tg_json_string (booking, "status");
  if (status != NULL && g_strcmp0 (status, "booked") != 0)
    return FALSE;
  gint64 start = tg_coaching_booking_start (booking);
  gint64 end = tg_coaching_booking_end (booking);
  gint64 opens = unix_of (booking, "connect_opens_at");
  if (opens == 0)
    opens = start - window_seconds;
  return start > 0 && end > start && now >= opens && now < end;
}
