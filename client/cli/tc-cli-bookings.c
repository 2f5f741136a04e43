/* tc-cli-bookings.c — booking live sessions: `tandem-cli slots EXPERT`
 * (free times), `book EXPERT START`, `bookings`, `cancel BOOKING`,
 * `reschedule BOOKING START`, through /groups/{gid}/coaching/experts/…/slots
 * and /groups/{gid}/coaching/bookings.  Times are read and shown in the
 * user's time zone (or --tz). */
#define G_LOG_DOMAIN "tc-cli"

#include "tc-cli-coaching.h"

#include <string.h>

/* Slot times on one line of `slots`. */
#define SLOTS_PER_LINE 8

/* Our own sentence for the refusals a person can act on; the code stays,
 * so --json still says what the server said. */
static int
fail_booking (TcCli   *cli,
              GError  *error)
{
  if (error->domain == TANDEM_ERROR)
    {
      const char *code = tandem_error_code_name (error->code);
      const char *text = NULL;
      if (g_strcmp0 (code, "slot_unavailable") == 0)
        text = _("that time is not free (any more); see the free times with “tandem-cli slots EXPERT”");
      else if (g_strcmp0 (code, "too_late") == 0)
        text = _("it is too late to change this booking yourself; ask the expert");
      else if (g_strcmp0 (code, "invalid_transition") == 0)
        text = _("this booking is cancelled or over already");
      if (text != NULL)
        {
          g_autoptr(GError) mine = g_error_new_literal (error->domain, error->code, text);
          return tc_cli_fail (cli, mine);
        }
    }
  return tc_cli_fail (cli, error);
}

/* ---- slots ---- */

static int
cmd_slots (TcCli  *cli,
           int     argc,
           char  **argv)
{
  g_autofree char *group = NULL, *tz = NULL, *type_text = NULL, *from_text = NULL, *to_text = NULL;
  g_autofree char *moving = NULL;
  int days = 0;
  const GOptionEntry entries[] = {
    { "group", 'g', 0, G_OPTION_ARG_STRING, &group, N_("The group (id or exact name; default: your only group)"), N_("GROUP") },
    { "type", 't', 0, G_OPTION_ARG_STRING, &type_text, N_("The session type (id or name; default: the expert's only one)"), N_("TYPE") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text, N_("From this day or time (default: now)"), N_("WHEN") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text, N_("Until this day (included) or time"), N_("WHEN") },
    { "days", 'd', 0, G_OPTION_ARG_INT, &days, N_("For this many days (default: 7)"), N_("N") },
    { "tz", 0, 0, G_OPTION_ARG_STRING, &tz, N_("Read and show times in this time zone (default: yours)"), N_("ZONE") },
    { "moving", 0, 0, G_OPTION_ARG_STRING, &moving, N_("Where this booking of yours can move to: its own time counts as free"), N_("BOOKING") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  int status;

  if (!tc_cli_parse (cli, entries, &argc, &argv, 1, 1, &status))
    return status;
  if (moving != NULL && !g_uuid_string_is_valid (moving))
    {
      tc_cli_set_usage_error (&error, _("“%s” is not a booking id"), moving);
      return tc_cli_fail (cli, error);
    }
  if (days < 0 || days > 92 || (days > 0 && to_text != NULL))
    {
      tc_cli_set_usage_error (&error, days > 0 && to_text != NULL ? _("--days and --to exclude each other")
                                                                  : _("--days: 1 to 92"));
      return tc_cli_fail (cli, error);
    }
  g_autofree char *group_id = NULL, *zone_name = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  if (!tc_cli_coaching_scope (cli, group, tz, &group_id, &zone, &zone_name, &error))
    return tc_cli_fail (cli, error);

  g_autoptr(GDateTime) from = from_text != NULL ? tc_cli_parse_when ("--from", from_text, zone, FALSE, &error)
                                                : g_date_time_new_now_utc ();
  if (from == NULL)
    return tc_cli_fail (cli, error);
  g_autoptr(GDateTime) to = to_text != NULL ? tc_cli_parse_when ("--to", to_text, zone, TRUE, &error)
                                            : g_date_time_add_days (from, days > 0 ? days : 7);
  if (to == NULL)
    return tc_cli_fail (cli, error);

  g_autoptr(JsonNode) expert = tc_cli_find_expert (cli, group_id, argv[1], &error);
  if (expert == NULL)
    return tc_cli_fail (cli, error);
  const char *expert_id = tc_cli_str (tc_cli_obj (expert), "id");
  g_autoptr(JsonNode) type = tc_cli_find_session_type (cli, group_id, expert_id, type_text, FALSE, &error);
  if (type == NULL)
    return tc_cli_fail (cli, error);

  g_autofree char *from_utc = tc_cli_rfc3339_utc (from);
  g_autofree char *to_utc = tc_cli_rfc3339_utc (to);
  g_autofree char *path = g_strdup_printf ("/groups/%s/coaching/experts/%s/slots?session_type_id=%s&from=%s&to=%s%s%s",
                                           group_id, expert_id, tc_cli_str (tc_cli_obj (type), "id"),
                                           from_utc, to_utc, moving != NULL ? "&exclude_booking_id=" : "",
                                           moving != NULL ? moving : "");
  g_autoptr(JsonNode) reply = tc_cli_call (cli, "GET", path, NULL, &error);
  if (reply == NULL)
    return tc_cli_fail (cli, error);

  if (cli->json)
    {
      tc_cli_print_json (cli, reply);
      return TC_CLI_EXIT_OK;
    }

  JsonObject *o = tc_cli_obj (reply);
  JsonArray *items = json_object_get_array_member (o, "items");
  g_autofree char *expert_name = tc_cli_printable (tc_cli_str (tc_cli_obj (expert), "name"));
  g_autofree char *type_name = tc_cli_printable (tc_cli_str (tc_cli_obj (type), "name"));
  int minutes = (int) json_object_get_int_member_with_default (tc_cli_obj (type), "duration_minutes", 0);
  if (items == NULL || json_array_get_length (items) == 0)
    {
      g_autofree char *a = tc_cli_format_in_zone (from_utc, zone, TRUE);
      g_autofree char *b = tc_cli_format_in_zone (to_utc, zone, TRUE);
      /* TRANSLATORS: expert, session type, from, until, time zone */
      g_print (_("%s has no free time for “%s” between %s and %s (%s).\n"), expert_name, type_name, a, b, zone_name);
      return TC_CLI_EXIT_OK;
    }
  /* TRANSLATORS: expert, session type, minutes, time zone */
  g_print (_("Free times of %s for “%s” (%d min), in %s:\n"), expert_name, type_name, minutes, zone_name);

  g_autofree char *day = NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  guint on_line = 0;
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      const char *start = tc_cli_str (tc_cli_obj (json_array_get_element (items, i)), "start");
      g_autofree char *full = tc_cli_format_in_zone (start, zone, TRUE);   /* "Mon 2025-03-10 09:00" */
      const char *space = full != NULL ? strrchr (full, ' ') : NULL;
      if (space == NULL)
        continue;
      g_autofree char *this_day = g_strndup (full, (gsize) (space - full));
      if (day == NULL || !g_str_equal (day, this_day) || on_line == SLOTS_PER_LINE)
        {
          if (line->len > 0)
            g_print ("%s\n", line->str);
          g_string_truncate (line, 0);
          if (day == NULL || !g_str_equal (day, this_day))
            g_string_append_printf (line, "%s ", this_day);
          else
            for (glong c = g_utf8_strlen (this_day, -1) + 1; c > 0; c--)
              g_string_append_c (line, ' ');
          on_line = 0;
          g_free (day);
          day = g_steal_pointer (&this_day);
        }
      g_string_append_printf (line, " %s", space + 1);
      on_line++;
    }
  if (line->len > 0)
    g_print ("%s\n", line->str);
  return TC_CLI_EXIT_OK;
}

/* ---- book ---- */

static int
cmd_book (TcCli  *cli,
          int     argc,
          char  **argv)
{
  g_autofree char *group = NULL, *tz = NULL, *type_text = NULL, *notes = NULL;
  const GOptionEntry entries[] = {
    { "group", 'g', 0, G_OPTION_ARG_STRING, &group, N_("The group (id or exact name; default: your only group)"), N_("GROUP") },
    { "type", 't', 0, G_OPTION_ARG_STRING, &type_text, N_("The session type (id or name; default: the expert's only one)"), N_("TYPE") },
    { "notes", 'n', 0, G_OPTION_ARG_STRING, &notes, N_("A note for the expert"), N_("TEXT") },
    { "tz", 0, 0, G_OPTION_ARG_STRING, &tz, N_("Read and show times in this time zone (default: yours)"), N_("ZONE") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  int status;

  if (!tc_cli_parse (cli, entries, &argc, &argv, 2, 2, &status))
    return status;
  g_autofree char *group_id = NULL, *zone_name = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  if (!tc_cli_coaching_scope (cli, group, tz, &group_id, &zone, &zone_name, &error))
    return tc_cli_fail (cli, error);
  g_autoptr(GDateTime) start = tc_cli_parse_when ("START", argv[2], zone, FALSE, &error);
  if (start == NULL)
    return tc_cli_fail (cli, error);

  g_autoptr(JsonNode) expert = tc_cli_find_expert (cli, group_id, argv[1], &error);
  if (expert == NULL)
    return tc_cli_fail (cli, error);
  const char *expert_id = tc_cli_str (tc_cli_obj (expert), "id");
  g_autoptr(JsonNode) type = tc_cli_find_session_type (cli, group_id, expert_id, type_text, FALSE, &error);
  if (type == NULL)
    return tc_cli_fail (cli, error);

  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *start_utc = tc_cli_rfc3339_utc (start);
  json_object_set_string_member (body, "session_type_id", tc_cli_str (tc_cli_obj (type), "id"));
  json_object_set_string_member (body, "expert_id", expert_id);
  json_object_set_string_member (body, "start", start_utc);
  if (notes != NULL)
    json_object_set_string_member (body, "notes", notes);
  g_autofree char *path = g_strdup_printf ("/groups/%s/coaching/bookings", group_id);
  g_autoptr(JsonNode) booking = tc_cli_call (cli, "POST", path, body, &error);
  if (booking == NULL)
    return fail_booking (cli, error);

  if (cli->json)
    tc_cli_print_json (cli, booking);
  else
    {
      g_autofree char *summary = tc_cli_booking_summary (cli, tc_cli_obj (booking), zone);
      g_autofree char *id = tc_cli_printable (tc_cli_str (tc_cli_obj (booking), "id"));
      /* TRANSLATORS: booking summary, time zone, booking id */
      g_print (_("Booked: %s (%s).\nBooking id: %s\n"), summary, zone_name, id);
    }
  return TC_CLI_EXIT_OK;
}

/* ---- bookings ---- */

static int
compare_start (gconstpointer a,
               gconstpointer b,
               gpointer      descending)
{
  const char *x = tc_cli_str (tc_cli_obj (*(JsonNode **) a), "start");
  const char *y = tc_cli_str (tc_cli_obj (*(JsonNode **) b), "start");
  /* RFC 3339 UTC strings of one form sort as text. */
  int c = g_strcmp0 (x, y);
  return GPOINTER_TO_INT (descending) ? -c : c;
}

static int
cmd_bookings (TcCli  *cli,
              int     argc,
              char  **argv)
{
  g_autofree char *group = NULL, *tz = NULL, *as = NULL;
  gboolean past = FALSE, all = FALSE, cancelled = FALSE;
  const GOptionEntry entries[] = {
    { "group", 'g', 0, G_OPTION_ARG_STRING, &group, N_("Only this group (id or exact name; default: all yours)"), N_("GROUP") },
    { "past", 0, 0, G_OPTION_ARG_NONE, &past, N_("Those that are over, latest first"), NULL },
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all, N_("Past and upcoming"), NULL },
    { "cancelled", 'c', 0, G_OPTION_ARG_NONE, &cancelled, N_("Also cancelled ones"), NULL },
    { "as", 0, 0, G_OPTION_ARG_STRING, &as, N_("Only those where you are the student or the expert"), N_("student|expert") },
    { "tz", 0, 0, G_OPTION_ARG_STRING, &tz, N_("Show times in this time zone (default: yours)"), N_("ZONE") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  int status;

  if (!tc_cli_parse (cli, entries, &argc, &argv, 0, 0, &status))
    return status;
  if (past && all)
    tc_cli_set_usage_error (&error, _("--past and --all exclude each other"));
  else if (as != NULL && !g_str_equal (as, "student") && !g_str_equal (as, "expert"))
    tc_cli_set_usage_error (&error, _("--as: student or expert"));
  if (error != NULL)
    return tc_cli_fail (cli, error);

  g_autofree char *zone_name = NULL;
  g_autoptr(GTimeZone) zone = tc_cli_display_zone (cli, tz, &zone_name, &error);
  if (zone == NULL)
    return tc_cli_fail (cli, error);

  /* The groups to ask: the one named, or all of the caller's. */
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) group_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(JsonNode) group_list = tc_cli_call_list (cli, "/groups", &error);
  if (group_list == NULL)
    return tc_cli_fail (cli, error);
  JsonArray *group_items = json_object_get_array_member (tc_cli_obj (group_list), "items");
  for (guint i = 0; i < json_array_get_length (group_items); i++)
    {
      JsonObject *g = tc_cli_obj (json_array_get_element (group_items, i));
      if (tc_cli_str (g, "id") != NULL)
        g_hash_table_insert (group_names, g_strdup (tc_cli_str (g, "id")), g_strdup (tc_cli_str (g, "name")));
    }
  if (group != NULL)
    {
      char *id = tc_cli_resolve_group (cli, group, &error);
      if (id == NULL)
        return tc_cli_fail (cli, error);
      g_ptr_array_add (groups, id);
    }
  else
    {
      GHashTableIter iter;
      gpointer key;
      g_hash_table_iter_init (&iter, group_names);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_ptr_array_add (groups, g_strdup (key));
    }

  const char *when = all ? "all" : past ? "past" : "upcoming";
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  for (guint i = 0; i < groups->len; i++)
    {
      g_autoptr(GString) path = g_string_new (NULL);
      g_string_printf (path, "/groups/%s/coaching/bookings?when=%s", (char *) groups->pdata[i], when);
      if (!cancelled)
        g_string_append (path, "&status=booked");
      if (as != NULL)
        g_string_append_printf (path, "&role=%s", as);
      g_autoptr(JsonNode) list = tc_cli_call_list (cli, path->str, &error);
      if (list == NULL)
        return tc_cli_fail (cli, error);
      JsonArray *items = json_object_get_array_member (tc_cli_obj (list), "items");
      for (guint j = 0; j < json_array_get_length (items); j++)
        g_ptr_array_add (found, json_node_copy (json_array_get_element (items, j)));
    }
  g_ptr_array_sort_with_data (found, compare_start, GINT_TO_POINTER (past));

  if (cli->json)
    {
      JsonObject *o = json_object_new ();
      JsonArray *items = json_array_new ();
      for (guint i = 0; i < found->len; i++)
        json_array_add_element (items, json_node_copy (found->pdata[i]));
      json_object_set_array_member (o, "items", items);
      json_object_set_null_member (o, "next_cursor");
      tc_cli_print_object (cli, o);
      return TC_CLI_EXIT_OK;
    }
  if (found->len == 0)
    {
      g_print ("%s\n", past ? _("No past sessions.") : _("No sessions booked."));
      return TC_CLI_EXIT_OK;
    }

  JsonObject *me = tc_cli_me (cli, NULL);
  gboolean several_groups = groups->len > 1;
  g_print (_("Times in %s:\n"), zone_name);
  g_autoptr(TcCliTable) table = several_groups
      ? tc_cli_table_new (7, _("WHEN"), _("SESSION"), _("WITH"), _("YOU ARE"), _("STATUS"), _("GROUP"), _("ID"))
      : tc_cli_table_new (6, _("WHEN"), _("SESSION"), _("WITH"), _("YOU ARE"), _("STATUS"), _("ID"));
  for (guint i = 0; i < found->len; i++)
    {
      JsonObject *b = tc_cli_obj (found->pdata[i]);
      gboolean i_am_expert = g_strcmp0 (tc_cli_str (me, "id"), tc_cli_str (b, "expert_id")) == 0;
      g_autofree char *start = tc_cli_format_in_zone (tc_cli_str (b, "start"), zone, TRUE);
      g_autofree char *end = tc_cli_format_in_zone (tc_cli_str (b, "end"), zone, FALSE);
      g_autofree char *span = g_strdup_printf ("%s–%s", start ? start : "", end ? end : "");
      const char *with = tc_cli_str (tc_cli_member_obj (b, i_am_expert ? "student" : "expert"), "name");
      const char *type = tc_cli_str (tc_cli_member_obj (b, "session_type"), "name");
      const char *role = tc_cli_role_text (i_am_expert ? "expert" : "student");
      const char *state = g_strcmp0 (tc_cli_str (b, "status"), "cancelled") == 0
                          ? C_("booking", "cancelled") : C_("booking", "booked");
      const char *gname = g_hash_table_lookup (group_names, tc_cli_str (b, "group_id") ? tc_cli_str (b, "group_id") : "");
      if (several_groups)
        tc_cli_table_add (table, span, type, with, role, state, gname, tc_cli_str (b, "id"));
      else
        tc_cli_table_add (table, span, type, with, role, state, tc_cli_str (b, "id"));
    }
  tc_cli_table_print (table);
  return TC_CLI_EXIT_OK;
}

/* ---- cancel, reschedule ---- */

/* POST …/bookings/@booking_id/@action ("cancel" or "reschedule") with
 * @body, the booking found in --group's group or among the caller's; says
 * what became of it in @zone, or prints the changed booking with --json. */
static int
change_booking (TcCli       *cli,
                const char  *group,
                const char  *booking_id,
                const char  *action,
                JsonObject  *body,
                GTimeZone   *zone,
                const char  *zone_name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *group_id = NULL;
  g_autoptr(JsonNode) booking = tc_cli_find_booking (cli, group, booking_id, &group_id, &error);
  if (booking == NULL)
    return tc_cli_fail (cli, error);

  g_autofree char *path = g_strdup_printf ("/groups/%s/coaching/bookings/%s/%s", group_id, booking_id, action);
  g_autoptr(JsonNode) changed = tc_cli_call (cli, "POST", path, body, &error);
  if (changed == NULL)
    return fail_booking (cli, error);

  if (cli->json)
    tc_cli_print_json (cli, changed);
  else
    {
      g_autofree char *summary = tc_cli_booking_summary (cli, tc_cli_obj (changed), zone);
      g_print (g_str_equal (action, "cancel") ? _("Cancelled: %s (%s).\n") : _("Moved: %s (%s).\n"),
               summary, zone_name);
    }
  return TC_CLI_EXIT_OK;
}

static int
cmd_cancel (TcCli  *cli,
            int     argc,
            char  **argv)
{
  g_autofree char *group = NULL, *reason = NULL, *tz = NULL;
  const GOptionEntry entries[] = {
    { "group", 'g', 0, G_OPTION_ARG_STRING, &group, N_("The booking's group (default: found among yours)"), N_("GROUP") },
    { "reason", 'r', 0, G_OPTION_ARG_STRING, &reason, N_("Why (the other person reads it)"), N_("TEXT") },
    { "tz", 0, 0, G_OPTION_ARG_STRING, &tz, N_("Show times in this time zone (default: yours)"), N_("ZONE") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  int status;

  if (!tc_cli_parse (cli, entries, &argc, &argv, 1, 1, &status))
    return status;
  g_autofree char *zone_name = NULL;
  g_autoptr(GTimeZone) zone = tc_cli_display_zone (cli, tz, &zone_name, &error);
  if (zone == NULL)
    return tc_cli_fail (cli, error);

  g_autoptr(JsonObject) body = json_object_new ();
  if (reason != NULL)
    json_object_set_string_member (body, "reason", reason);
  return change_booking (cli, group, argv[1], "cancel", body, zone, zone_name);
}

static int
cmd_reschedule (TcCli  *cli,
                int     argc,
                char  **argv)
{
  g_autofree char *group = NULL, *tz = NULL;
  const GOptionEntry entries[] = {
    { "group", 'g', 0, G_OPTION_ARG_STRING, &group, N_("The booking's group (default: found among yours)"), N_("GROUP") },
    { "tz", 0, 0, G_OPTION_ARG_STRING, &tz, N_("Read and show times in this time zone (default: yours)"), N_("ZONE") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  int status;

  if (!tc_cli_parse (cli, entries, &argc, &argv, 2, 2, &status))
    return status;
  g_autofree char *zone_name = NULL;
  g_autoptr(GTimeZone) zone = tc_cli_display_zone (cli, tz, &zone_name, &error);
  if (zone == NULL)
    return tc_cli_fail (cli, error);
  g_autoptr(GDateTime) start = tc_cli_parse_when ("START", argv[2], zone, FALSE, &error);
  if (start == NULL)
    return tc_cli_fail (cli, error);

  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *start_utc = tc_cli_rfc3339_utc (start);
  json_object_set_string_member (body, "start", start_utc);
  return change_booking (cli, group, argv[1], "reschedule", body, zone, zone_name);
}

const TcCliCommand tc_cli_bookings_commands[] = {
  { NULL, "slots", "EXPERT", N_("Show an expert's free times for a session type"), cmd_slots },
  { NULL, "book", "EXPERT START", N_("Book a session with an expert (START as “2025-03-10 09:00”)"), cmd_book },
  { NULL, "bookings", NULL, N_("List your booked sessions (as student and as expert)"), cmd_bookings },
  { NULL, "cancel", "BOOKING", N_("Cancel a booked session"), cmd_cancel },
  { NULL, "reschedule", "BOOKING START", N_("Move a booked session to another free time"), cmd_reschedule },
  { NULL }
};
