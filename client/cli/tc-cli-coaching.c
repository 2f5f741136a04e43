/* tc-cli-coaching.c — helpers of the live-coaching commands (see
 * tc-cli-coaching.h). */
#define G_LOG_DOMAIN "tc-cli"

#include "tc-cli-coaching.h"

#include <stdlib.h>
#include <string.h>

/* ---- weekdays ---- */

const char *
tc_cli_weekday_name (int      day_of_week,
                     gboolean abbreviated)
{
  switch (day_of_week)
    {
    case 0: return abbreviated ? C_("weekday", "Sun") : C_("weekday", "Sunday");
    case 1: return abbreviated ? C_("weekday", "Mon") : C_("weekday", "Monday");
    case 2: return abbreviated ? C_("weekday", "Tue") : C_("weekday", "Tuesday");
    case 3: return abbreviated ? C_("weekday", "Wed") : C_("weekday", "Wednesday");
    case 4: return abbreviated ? C_("weekday", "Thu") : C_("weekday", "Thursday");
    case 5: return abbreviated ? C_("weekday", "Fri") : C_("weekday", "Friday");
    case 6: return abbreviated ? C_("weekday", "Sat") : C_("weekday", "Saturday");
    default: return "?";
    }
}

/* The day a command-line word names (English, any case, full or three
 * letters, or a digit 0–6), or -1. */
static int
parse_day (const char *word)
{
  static const char *const names[] = { "sunday", "monday", "tuesday", "wednesday",
                                       "thursday", "friday", "saturday" };
  if (word[0] >= '0' && word[0] <= '6' && word[1] == '\0')
    return word[0] - '0';
  g_autofree char *lower = g_ascii_strdown (word, -1);
  for (int i = 0; i < 7; i++)
    if (g_str_equal (lower, names[i]) || (strlen (lower) == 3 && g_str_has_prefix (names[i], lower)))
      return i;
  return -1;
}

/* ---- times ---- */

/* YYYY-MM-DD at the start of @text; sets the parts and returns the rest. */
static const char *
parse_date (const char *text, int *y, int *m, int *d)
{
  for (int i = 0; i < 10; i++)
    if ((i == 4 || i == 7) ? text[i] != '-' : !g_ascii_isdigit (text[i]))
      return NULL;
  *y = atoi (text);
  *m = atoi (text + 5);
  *d = atoi (text + 8);
  if (*m < 1 || *m > 12 || *d < 1 || *d > g_date_get_days_in_month (*m, *y))
    return NULL;
  return text + 10;
}

GDateTime *
tc_cli_parse_when (const char  *option,
                   const char  *text,
                   GTimeZone   *zone,
                   gboolean     end_of_day,
                   GError     **error)
{
  int y, m, d;
  const char *rest = text != NULL ? parse_date (text, &y, &m, &d) : NULL;

  if (rest != NULL && *rest == '\0')
    {
      g_autoptr(GDateTime) start = g_date_time_new (zone, y, m, d, 0, 0, 0);
      if (start != NULL)
        return end_of_day ? g_date_time_add_days (start, 1) : g_steal_pointer (&start);
    }
  else if (rest != NULL && (*rest == ' ' || *rest == 'T' || *rest == 't'))
    {
      /* RFC 3339 with an offset, else a local time in @zone. */
      g_autofree char *iso = g_strdup (text);
      iso[10] = 'T';
      GDateTime *with_offset = g_date_time_new_from_iso8601 (iso, NULL);
      if (with_offset != NULL)
        return with_offset;
      int h = 0, min = 0, s = 0;
      const char *p = rest + 1;
      if (g_ascii_isdigit (p[0]) && g_ascii_isdigit (p[1]) && p[2] == ':' &&
          g_ascii_isdigit (p[3]) && g_ascii_isdigit (p[4]))
        {
          h = (p[0] - '0') * 10 + (p[1] - '0');
          min = (p[3] - '0') * 10 + (p[4] - '0');
          p += 5;
          if (p[0] == ':' && g_ascii_isdigit (p[1]) && g_ascii_isdigit (p[2]))
            {
              s = (p[1] - '0') * 10 + (p[2] - '0');
              p += 3;
            }
          if (*p == '\0' && h < 24 && min < 60 && s < 60)
            {
              GDateTime *local = g_date_time_new (zone, y, m, d, h, min, s);
              if (local != NULL)
                return local;
            }
        }
    }

  tc_cli_set_usage_error (error,
                          _("%s: “%s” is no date and time; write e.g. “2025-03-10 09:00” or “2025-03-10”"),
                          option, text != NULL ? text : "");
  return NULL;
}

char *
tc_cli_rfc3339_utc (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

char *
tc_cli_format_in_zone (const char *text,
                       GTimeZone  *zone,
                       gboolean    with_day)
{
  if (text == NULL)
    return NULL;
  g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (text, NULL);
  if (utc == NULL)
    return g_strdup (text);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zone);
  g_autofree char *hm = g_date_time_format (local, "%H:%M");
  if (!with_day)
    return g_steal_pointer (&hm);
  g_autofree char *date = g_date_time_format (local, "%Y-%m-%d");
  return g_strdup_printf ("%s %s %s", tc_cli_weekday_name (g_date_time_get_day_of_week (local) % 7, TRUE),
                          date, hm);
}

char *
tc_cli_hhmm (int minutes)
{
  return g_strdup_printf ("%02d:%02d", minutes / 60, minutes % 60);
}

/* ---- windows ---- */

/* Adds the days @word names to @days[7]; FALSE when it names none. */
static gboolean
parse_day_spec (const char *word,
                gboolean    days[7])
{
  g_auto(GStrv) items = g_strsplit (word, ",", -1);
  if (items[0] == NULL)
    return FALSE;
  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *dash = strchr (items[i], '-');
      if (dash == NULL)
        {
          int day = parse_day (items[i]);
          if (day < 0)
            return FALSE;
          days[day] = TRUE;
          continue;
        }
      g_autofree char *first = g_strndup (items[i], (gsize) (dash - items[i]));
      int from = parse_day (first), to = parse_day (dash + 1);
      if (from < 0 || to < 0)
        return FALSE;
      for (int day = from;; day = (day + 1) % 7)
        {
          days[day] = TRUE;
          if (day == to)
            break;
        }
    }
  return TRUE;
}

/* "HH:MM-HH:MM" (also with an en dash). */
static gboolean
parse_time_range (const char *word,
                  int        *start,
                  int        *end)
{
  const char *dash = strstr (word, "–");
  gsize dash_len = 3;
  if (dash == NULL)
    {
      dash = strchr (word, '-');
      dash_len = 1;
    }
  if (dash == NULL)
    return FALSE;
  g_autofree char *first = g_strndup (word, (gsize) (dash - word));
  return tandem_parse_hhmm (first, start) && tandem_parse_hhmm (dash + dash_len, end) &&
         *start < 1440;
}

gboolean
tc_cli_parse_windows (int      n_words,
                      char   **words,
                      GArray  *windows,
                      GError **error)
{
  gboolean days[7] = { FALSE };
  gboolean have_days = FALSE, days_used = TRUE;

  for (int i = 0; i < n_words; i++)
    {
      int start, end;
      if (strchr (words[i], ':') != NULL)
        {
          if (!parse_time_range (words[i], &start, &end))
            {
              tc_cli_set_usage_error (error, _("“%s” is no time range; write e.g. 09:00-12:00"), words[i]);
              return FALSE;
            }
          if (!have_days)
            {
              tc_cli_set_usage_error (error, _("“%s” needs a day before it, e.g. “mon %s”"),
                                      words[i], words[i]);
              return FALSE;
            }
          for (int day = 0; day < 7; day++)
            if (days[day])
              {
                TandemWindow w = { day, start, end };
                g_array_append_val (windows, w);
              }
          days_used = TRUE;
          continue;
        }
      if (!days_used)
        {
          tc_cli_set_usage_error (error, _("“%s” needs a time range after it, e.g. “%s 09:00-12:00”"),
                                  words[i - 1], words[i - 1]);
          return FALSE;
        }
      memset (days, 0, sizeof days);
      if (!parse_day_spec (words[i], days))
        {
          tc_cli_set_usage_error (error, _("“%s” is no day; write mon, tue, wed, thu, fri, sat, sun, "
                                           "lists like mon,wed or ranges like mon-fri"), words[i]);
          return FALSE;
        }
      have_days = TRUE;
      days_used = FALSE;
    }
  if (!days_used)
    {
      tc_cli_set_usage_error (error, _("“%s” needs a time range after it, e.g. “%s 09:00-12:00”"),
                              words[n_words - 1], words[n_words - 1]);
      return FALSE;
    }
  return TRUE;
}

/* ---- the server ---- */

JsonObject *
tc_cli_me (TcCli   *cli,
           GError **error)
{
  if (cli->me == NULL)
    cli->me = tc_cli_call (cli, "GET", "/auth/me", NULL, error);
  return tc_cli_obj (cli->me);
}

GTimeZone *
tc_cli_display_zone (TcCli       *cli,
                     const char  *tz_option,
                     char       **name,
                     GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (tz_option != NULL)
    {
      GTimeZone *zone = tandem_time_zone_new (tz_option, NULL);
      if (zone == NULL)
        {
          tc_cli_set_usage_error (error, _("--tz: unknown time zone “%s”; write e.g. Europe/Berlin"), tz_option);
          return NULL;
        }
      *name = g_strdup (tz_option);
      return zone;
    }

  /* The user's own zone; the system's when that cannot be had. */
  JsonObject *me = tc_cli_me (cli, &local_error);
  if (me == NULL)
    {
      /* Not signed in or the server is away: the command's own call will
       * say so in a moment; nothing to show in the meantime. */
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  const char *mine = tc_cli_str (me, "time_zone");
  GTimeZone *zone = mine != NULL ? tandem_time_zone_new (mine, NULL) : NULL;
  if (zone != NULL)
    {
      *name = g_strdup (mine);
      return zone;
    }
  zone = g_time_zone_new_local ();
  *name = g_strdup (g_time_zone_get_identifier (zone));
  return zone;
}

char *
tc_cli_coaching_group (TcCli       *cli,
                       const char  *option,
                       GError     **error)
{
  if (option != NULL)
    return tc_cli_resolve_group (cli, option, error);

  g_autoptr(JsonNode) list = tc_cli_call_list (cli, "/groups", error);
  if (list == NULL)
    return NULL;
  JsonArray *items = json_object_get_array_member (tc_cli_obj (list), "items");
  guint n = json_array_get_length (items);
  if (n == 1)
    {
      const char *id = tc_cli_str (tc_cli_obj (json_array_get_element (items, 0)), "id");
      if (id != NULL)
        return g_strdup (id);
    }
  if (n == 0)
    g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, _("you are in no group yet"));
  else
    tc_cli_set_usage_error (error, _("you are in %u groups; name one with --group (see “%s groups list”)"),
                            n, g_get_prgname ());
  return NULL;
}

gboolean
tc_cli_coaching_scope (TcCli       *cli,
                       const char  *group_option,
                       const char  *tz_option,
                       char       **group_id,
                       GTimeZone  **zone,
                       char       **zone_name,
                       GError     **error)
{
  *group_id = tc_cli_coaching_group (cli, group_option, error);
  if (*group_id == NULL)
    return FALSE;
  *zone = tc_cli_display_zone (cli, tz_option, zone_name, error);
  return *zone != NULL;
}

int
tc_cli_coaching_show (TcCli       *cli,
                      JsonNode    *reply,
                      const char  *heading,
                      void       (*print) (JsonObject *object))
{
  if (cli->json)
    tc_cli_print_json (cli, reply);
  else
    {
      g_print ("%s\n", heading);
      print (tc_cli_obj (reply));
    }
  return TC_CLI_EXIT_OK;
}

gboolean
tc_cli_expert_option (TcCli       *cli,
                      const char  *group_id,
                      const char  *text,
                      char       **expert_id,
                      GError     **error)
{
  *expert_id = NULL;
  if (text == NULL)
    return TRUE;
  g_autoptr(JsonNode) expert = tc_cli_find_expert (cli, group_id, text, error);
  if (expert == NULL)
    return FALSE;
  *expert_id = g_strdup (tc_cli_str (tc_cli_obj (expert), "id"));
  return TRUE;
}

/* The one item of @items that @text names: by "id" (any case), else by
 * @name_member exactly, else ignoring case.  On failure NULL with
 * *@matches 0 (none) or the number of equally good matches. */
static JsonNode *
match_id_or_name (JsonArray  *items,
                  const char *text,
                  const char *name_member,
                  guint      *matches)
{
  g_autofree char *folded_text = g_utf8_casefold (text, -1);

  for (int pass = 0; pass < 3; pass++)
    {
      JsonNode *found = NULL;
      *matches = 0;
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonNode *node = json_array_get_element (items, i);
          const char *value = tc_cli_str (tc_cli_obj (node), pass == 0 ? "id" : name_member);
          if (value == NULL)
            continue;
          gboolean match;
          if (pass == 0)
            match = g_ascii_strcasecmp (value, text) == 0;
          else if (pass == 1)
            match = g_str_equal (value, text);
          else
            {
              g_autofree char *folded = g_utf8_casefold (value, -1);
              match = g_str_equal (folded, folded_text);
            }
          if (match)
            {
              found = node;
              (*matches)++;
            }
        }
      if (*matches == 1)
        return json_node_copy (found);
      if (*matches > 1)
        return NULL;
    }
  return NULL;
}

JsonNode *
tc_cli_find_expert (TcCli       *cli,
                    const char  *group_id,
                    const char  *text,
                    GError     **error)
{
  g_autofree char *path = g_strdup_printf ("/groups/%s/coaching/experts", group_id);
  g_autoptr(JsonNode) list = tc_cli_call_list (cli, path, error);
  if (list == NULL)
    return NULL;
  JsonArray *items = json_object_get_array_member (tc_cli_obj (list), "items");
  guint matches = 0;
  JsonNode *expert = match_id_or_name (items, text, "name", &matches);
  if (expert != NULL)
    return expert;
  if (matches == 0)
    g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, _("the group has no expert “%s”"), text);
  else
    g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_CONFLICT,
                 _("%u experts of the group are called “%s”; give the id instead"), matches, text);
  return NULL;
}

JsonNode *
tc_cli_find_session_type (TcCli       *cli,
                          const char  *group_id,
                          const char  *expert_id,
                          const char  *text,
                          gboolean     include_inactive,
                          GError     **error)
{
  g_autoptr(GString) path = g_string_new (NULL);
  g_string_printf (path, "/groups/%s/coaching/session-types", group_id);
  if (expert_id != NULL)
    g_string_append_printf (path, "?expert_id=%s", expert_id);
  if (include_inactive)
    g_string_append_printf (path, "%sinclude_inactive=true", expert_id != NULL ? "&" : "?");
  g_autoptr(JsonNode) list = tc_cli_call_list (cli, path->str, error);
  if (list == NULL)
    return NULL;
  JsonArray *items = json_object_get_array_member (tc_cli_obj (list), "items");

  if (text != NULL)
    {
      guint matches = 0;
      JsonNode *type = match_id_or_name (items, text, "name", &matches);
      if (type != NULL)
        return type;
      if (matches == 0)
        g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, _("there is no session type “%s”"), text);
      else
        g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_CONFLICT,
                     _("%u session types are called “%s”; give the id instead"), matches, text);
      return NULL;
    }

  guint n = json_array_get_length (items);
  if (n == 1)
    return json_node_copy (json_array_get_element (items, 0));
  if (n == 0)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, _("the expert offers no session type yet"));
      return NULL;
    }
  g_autoptr(GString) names = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = tc_cli_printable (tc_cli_str (tc_cli_obj (json_array_get_element (items, i)), "name"));
      g_string_append_printf (names, "%s“%s”", i > 0 ? ", " : "", name);
    }
  tc_cli_set_usage_error (error, _("choose the session type with --type: %s"), names->str);
  return NULL;
}

JsonNode *
tc_cli_find_booking (TcCli       *cli,
                     const char  *group_option,
                     const char  *booking_id,
                     char       **group_id,
                     GError     **error)
{
  if (!g_uuid_string_is_valid (booking_id))
    {
      tc_cli_set_usage_error (error, _("“%s” is no booking id (see “%s bookings”)"),
                              booking_id, g_get_prgname ());
      return NULL;
    }

  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func (g_free);
  if (group_option != NULL)
    {
      char *id = tc_cli_resolve_group (cli, group_option, error);
      if (id == NULL)
        return NULL;
      g_ptr_array_add (groups, id);
    }
  else
    {
      g_autoptr(JsonNode) list = tc_cli_call_list (cli, "/groups", error);
      if (list == NULL)
        return NULL;
      JsonArray *items = json_object_get_array_member (tc_cli_obj (list), "items");
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          const char *id = tc_cli_str (tc_cli_obj (json_array_get_element (items, i)), "id");
          if (id != NULL && g_uuid_string_is_valid (id))
            g_ptr_array_add (groups, g_strdup (id));
        }
    }

  for (guint i = 0; i < groups->len; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *path = g_strdup_printf ("/groups/%s/coaching/bookings/%s",
                                               (char *) groups->pdata[i], booking_id);
      JsonNode *booking = tc_cli_call (cli, "GET", path, NULL, &local_error);
      if (booking != NULL)
        {
          *group_id = g_strdup (groups->pdata[i]);
          return booking;
        }
      if (!g_error_matches (local_error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, _("you have no booking %s"), booking_id);
  return NULL;
}

char *
tc_cli_booking_summary (TcCli      *cli,
                        JsonObject *booking,
                        GTimeZone  *zone)
{
  JsonObject *me = tc_cli_me (cli, NULL);
  gboolean i_am_expert = g_strcmp0 (tc_cli_str (me, "id"), tc_cli_str (booking, "expert_id")) == 0;
  JsonObject *other = tc_cli_member_obj (booking, i_am_expert ? "student" : "expert");
  g_autofree char *type = tc_cli_printable (tc_cli_str (tc_cli_member_obj (booking, "session_type"), "name"));
  g_autofree char *with = tc_cli_printable (tc_cli_str (other, "name"));
  g_autofree char *start = tc_cli_format_in_zone (tc_cli_str (booking, "start"), zone, TRUE);
  g_autofree char *end = tc_cli_format_in_zone (tc_cli_str (booking, "end"), zone, FALSE);
  /* TRANSLATORS: session type, other person, start day and time, end time:
   * "Technique with Eva Müller, Mon 2025-03-10 09:00–10:00" */
  return g_strdup_printf (_("%s with %s, %s–%s"), type, with, start != NULL ? start : "", end != NULL ? end : "");
}
