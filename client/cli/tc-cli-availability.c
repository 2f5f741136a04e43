/* tc-cli-availability.c — an expert's time: `tandem-cli availability
 * set|show` (weekly windows in the expert's zone and buffers,
 * /groups/{gid}/coaching/availability) and `tandem-cli block add|list|remove`
 * (blocked ranges, /groups/{gid}/coaching/blocked). */
#define G_LOG_DOMAIN "tc-cli"

#include "tc-cli-coaching.h"

/* Monday first, as calendars here show a week. */
static const int week_order[] = { 1, 2, 3, 4, 5, 6, 0 };

static void
print_availability (JsonObject *availability)
{
  if (!json_object_get_boolean_member_with_default (availability, "configured", FALSE))
    {
      g_print ("%s\n", _("No availability set yet."));
      return;
    }
  g_autofree char *before = g_strdup_printf (_("%d min"),
      (int) json_object_get_int_member_with_default (availability, "buffer_before_minutes", 0));
  g_autofree char *after = g_strdup_printf (_("%d min"),
      (int) json_object_get_int_member_with_default (availability, "buffer_after_minutes", 0));
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (pairs, g_strdup (_("Time zone")));
  g_ptr_array_add (pairs, g_strdup (tc_cli_str (availability, "time_zone")));
  g_ptr_array_add (pairs, g_strdup (_("Free before a session")));
  g_ptr_array_add (pairs, g_strdup (before));
  g_ptr_array_add (pairs, g_strdup (_("Free after a session")));
  g_ptr_array_add (pairs, g_strdup (after));

  JsonArray *windows = json_object_get_array_member (availability, "windows");
  guint n = windows != NULL ? json_array_get_length (windows) : 0;
  for (guint d = 0; d < G_N_ELEMENTS (week_order); d++)
    {
      g_autoptr(GString) ranges = g_string_new (NULL);
      for (guint i = 0; i < n; i++)
        {
          JsonObject *w = tc_cli_obj (json_array_get_element (windows, i));
          if (w == NULL || json_object_get_int_member_with_default (w, "day_of_week", -1) != week_order[d])
            continue;
          g_string_append_printf (ranges, "%s%s–%s", ranges->len > 0 ? ", " : "",
                                  tc_cli_str (w, "start") ? tc_cli_str (w, "start") : "?",
                                  tc_cli_str (w, "end") ? tc_cli_str (w, "end") : "?");
        }
      g_ptr_array_add (pairs, g_strdup (tc_cli_weekday_name (week_order[d], FALSE)));
      g_ptr_array_add (pairs, g_strdup (ranges->len > 0 ? ranges->str : "—"));
    }
  g_ptr_array_add (pairs, NULL);
  tc_cli_print_fields ((const char * const *) pairs->pdata);
}

/* ---- availability set ---- */

static int
cmd_set (TcCli  *cli,
         int     argc,
         char  **argv)
{
  g_autofree char *group = NULL, *tz = NULL, *expert = NULL;
  int before = -1, after = -1;
  gboolean none = FALSE;
  const GOptionEntry entries[] = {
    { "group", 'g', 0, G_OPTION_ARG_STRING, &group, N_("The group (id or exact name; default: your only group)"), N_("GROUP") },
    { "tz", 0, 0, G_OPTION_ARG_STRING, &tz, N_("The time zone of the windows (default: yours)"), N_("ZONE") },
    { "buffer-before", 0, 0, G_OPTION_ARG_INT, &before, N_("Minutes kept free before each session (default: unchanged)"), N_("MINUTES") },
    { "buffer-after", 0, 0, G_OPTION_ARG_INT, &after, N_("Minutes kept free after each session (default: unchanged)"), N_("MINUTES") },
    { "none", 0, 0, G_OPTION_ARG_NONE, &none, N_("No windows at all: nobody can book you"), NULL },
    { "expert", 'e', 0, G_OPTION_ARG_STRING, &expert, N_("Admins: for this expert of the group"), N_("EXPERT") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  int status;

  if (!tc_cli_parse (cli, entries, &argc, &argv, 0, -1, &status))
    return status;
  g_autoptr(GArray) windows = g_array_new (FALSE, FALSE, sizeof (TandemWindow));
  if (!tc_cli_parse_windows (argc - 1, argv + 1, windows, &error))
    return tc_cli_fail (cli, error);
  if (windows->len == 0 && !none)
    tc_cli_set_usage_error (&error, _("give the weekly windows, e.g. “mon-fri 09:00-12:00 13:00-17:00”, or --none"));
  else if (windows->len > 0 && none)
    tc_cli_set_usage_error (&error, _("--none and windows exclude each other"));
  else if (before > 240 || after > 240 || before < -1 || after < -1)
    tc_cli_set_usage_error (&error, _("a buffer is 0 to 240 minutes"));
  if (error != NULL)
    return tc_cli_fail (cli, error);

  g_autofree char *group_id = NULL, *zone_name = NULL, *expert_id = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  if (!tc_cli_coaching_scope (cli, group, tz, &group_id, &zone, &zone_name, &error) ||
      !tc_cli_expert_option (cli, group_id, expert, &expert_id, &error))
    return tc_cli_fail (cli, error);

  /* Buffers not given stay as they are. */
  if (before < 0 || after < 0)
    {
      g_autofree char *current_path = expert_id != NULL
          ? g_strdup_printf ("/groups/%s/coaching/availability?expert_id=%s", group_id, expert_id)
          : g_strdup_printf ("/groups/%s/coaching/availability", group_id);
      g_autoptr(JsonNode) current = tc_cli_call (cli, "GET", current_path, NULL, &error);
      if (current == NULL)
        return tc_cli_fail (cli, error);
      if (before < 0)
        before = (int) json_object_get_int_member_with_default (tc_cli_obj (current), "buffer_before_minutes", 0);
      if (after < 0)
        after = (int) json_object_get_int_member_with_default (tc_cli_obj (current), "buffer_after_minutes", 0);
    }

  g_autoptr(JsonObject) body = json_object_new ();
  json_object_set_string_member (body, "time_zone", zone_name);
  JsonArray *list = json_array_new ();
  for (guint i = 0; i < windows->len; i++)
    {
      TandemWindow *w = &g_array_index (windows, TandemWindow, i);
      JsonObject *o = json_object_new ();
      g_autofree char *start = tc_cli_hhmm (w->start_minute);
      g_autofree char *end = tc_cli_hhmm (w->end_minute);
      json_object_set_int_member (o, "day_of_week", w->day_of_week);
      json_object_set_string_member (o, "start", start);
      json_object_set_string_member (o, "end", end);
      json_array_add_object_element (list, o);
    }
  json_object_set_array_member (body, "windows", list);
  json_object_set_int_member (body, "buffer_before_minutes", before);
  json_object_set_int_member (body, "buffer_after_minutes", after);
  if (expert_id != NULL)
    json_object_set_string_member (body, "expert_id", expert_id);

  g_autofree char *path = g_strdup_printf ("/groups/%s/coaching/availability", group_id);
  g_autoptr(JsonNode) reply = tc_cli_call (cli, "PUT", path, body, &error);
  if (reply == NULL)
    return tc_cli_fail (cli, error);
  return tc_cli_coaching_show (cli, reply, _("Your availability is now:"), print_availability);
}

/* ---- availability show ---- */

static int
cmd_show (TcCli  *cli,
          int     argc,
          char  **argv)
{
  g_autofree char *group = NULL;
  const GOptionEntry entries[] = {
    { "group", 'g', 0, G_OPTION_ARG_STRING, &group, N_("The group (id or exact name; default: your only group)"), N_("GROUP") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  int status;

  if (!tc_cli_parse (cli, entries, &argc, &argv, 0, 1, &status))
    return status;
  g_autofree char *group_id = tc_cli_coaching_group (cli, group, &error);
  if (group_id == NULL)
    return tc_cli_fail (cli, error);

  g_autofree char *path = NULL;
  g_autofree char *expert_name = NULL;
  if (argc > 1)
    {
      g_autoptr(JsonNode) expert = tc_cli_find_expert (cli, group_id, argv[1], &error);
      if (expert == NULL)
        return tc_cli_fail (cli, error);
      path = g_strdup_printf ("/groups/%s/coaching/experts/%s/availability", group_id,
                              tc_cli_str (tc_cli_obj (expert), "id"));
      expert_name = tc_cli_printable (tc_cli_str (tc_cli_obj (expert), "name"));
    }
  else
    path = g_strdup_printf ("/groups/%s/coaching/availability", group_id);
  g_autoptr(JsonNode) reply = tc_cli_call (cli, "GET", path, NULL, &error);
  if (reply == NULL)
    return tc_cli_fail (cli, error);

  if (cli->json)
    tc_cli_print_json (cli, reply);
  else
    {
      if (expert_name != NULL)
        g_print (_("Availability of %s:\n"), expert_name);
      print_availability (tc_cli_obj (reply));
    }
  return TC_CLI_EXIT_OK;
}

/* ---- block add ---- */

static int
cmd_block_add (TcCli  *cli,
               int     argc,
               char  **argv)
{
  g_autofree char *group = NULL, *tz = NULL, *reason = NULL, *expert = NULL;
  const GOptionEntry entries[] = {
    { "group", 'g', 0, G_OPTION_ARG_STRING, &group, N_("The group (id or exact name; default: your only group)"), N_("GROUP") },
    { "tz", 0, 0, G_OPTION_ARG_STRING, &tz, N_("Read and show times in this time zone (default: yours)"), N_("ZONE") },
    { "reason", 'r', 0, G_OPTION_ARG_STRING, &reason, N_("Why (only you and admins see it)"), N_("TEXT") },
    { "expert", 'e', 0, G_OPTION_ARG_STRING, &expert, N_("Admins: for this expert of the group"), N_("EXPERT") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  int status;

  if (!tc_cli_parse (cli, entries, &argc, &argv, 2, 2, &status))
    return status;
  g_autofree char *group_id = NULL, *zone_name = NULL, *expert_id = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  if (!tc_cli_coaching_scope (cli, group, tz, &group_id, &zone, &zone_name, &error))
    return tc_cli_fail (cli, error);
  g_autoptr(GDateTime) start = tc_cli_parse_when ("START", argv[1], zone, FALSE, &error);
  g_autoptr(GDateTime) end = start != NULL ? tc_cli_parse_when ("END", argv[2], zone, TRUE, &error) : NULL;
  if (end == NULL)
    return tc_cli_fail (cli, error);
  if (g_date_time_compare (end, start) <= 0)
    {
      tc_cli_set_usage_error (&error, _("END must lie after START"));
      return tc_cli_fail (cli, error);
    }

  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *start_text = tc_cli_rfc3339_utc (start);
  g_autofree char *end_text = tc_cli_rfc3339_utc (end);
  json_object_set_string_member (body, "start", start_text);
  json_object_set_string_member (body, "end", end_text);
  if (reason != NULL)
    json_object_set_string_member (body, "reason", reason);
  if (!tc_cli_expert_option (cli, group_id, expert, &expert_id, &error))
    return tc_cli_fail (cli, error);
  if (expert_id != NULL)
    json_object_set_string_member (body, "expert_id", expert_id);
  g_autofree char *path = g_strdup_printf ("/groups/%s/coaching/blocked", group_id);
  g_autoptr(JsonNode) blocked = tc_cli_call (cli, "POST", path, body, &error);
  if (blocked == NULL)
    return tc_cli_fail (cli, error);

  if (cli->json)
    tc_cli_print_json (cli, blocked);
  else
    {
      JsonObject *o = tc_cli_obj (blocked);
      g_autofree char *from = tc_cli_format_in_zone (tc_cli_str (o, "start"), zone, TRUE);
      g_autofree char *to = tc_cli_format_in_zone (tc_cli_str (o, "end"), zone, TRUE);
      g_autofree char *id = tc_cli_printable (tc_cli_str (o, "id"));
      /* TRANSLATORS: start, end, time zone, id */
      g_print (_("Blocked %s until %s (%s); id %s.\n"), from, to, zone_name, id);
    }
  return TC_CLI_EXIT_OK;
}

/* ---- block list ---- */

static int
cmd_block_list (TcCli  *cli,
                int     argc,
                char  **argv)
{
  g_autofree char *group = NULL, *tz = NULL, *expert = NULL;
  gboolean all = FALSE;
  const GOptionEntry entries[] = {
    { "group", 'g', 0, G_OPTION_ARG_STRING, &group, N_("The group (id or exact name; default: your only group)"), N_("GROUP") },
    { "tz", 0, 0, G_OPTION_ARG_STRING, &tz, N_("Show times in this time zone (default: yours)"), N_("ZONE") },
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all, N_("Also ranges that are over"), NULL },
    { "expert", 'e', 0, G_OPTION_ARG_STRING, &expert, N_("Admins: this expert's"), N_("EXPERT") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  int status;

  if (!tc_cli_parse (cli, entries, &argc, &argv, 0, 0, &status))
    return status;
  g_autofree char *group_id = NULL, *zone_name = NULL, *expert_id = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  if (!tc_cli_coaching_scope (cli, group, tz, &group_id, &zone, &zone_name, &error))
    return tc_cli_fail (cli, error);

  g_autoptr(GString) path = g_string_new (NULL);
  g_string_printf (path, "/groups/%s/coaching/blocked", group_id);
  char sep = '?';
  if (!all)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *from = tc_cli_rfc3339_utc (now);
      g_string_append_printf (path, "%cfrom=%s", sep, from);
      sep = '&';
    }
  if (!tc_cli_expert_option (cli, group_id, expert, &expert_id, &error))
    return tc_cli_fail (cli, error);
  if (expert_id != NULL)
    g_string_append_printf (path, "%cexpert_id=%s", sep, expert_id);
  g_autoptr(JsonNode) list = tc_cli_call_list (cli, path->str, &error);
  if (list == NULL)
    return tc_cli_fail (cli, error);

  if (cli->json)
    {
      tc_cli_print_json (cli, list);
      return TC_CLI_EXIT_OK;
    }
  JsonArray *items = json_object_get_array_member (tc_cli_obj (list), "items");
  if (json_array_get_length (items) == 0)
    {
      g_print ("%s\n", _("Nothing blocked."));
      return TC_CLI_EXIT_OK;
    }
  g_print (_("Times in %s:\n"), zone_name);
  g_autoptr(TcCliTable) table = tc_cli_table_new (4, _("FROM"), _("UNTIL"), _("REASON"), _("ID"));
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *o = tc_cli_obj (json_array_get_element (items, i));
      g_autofree char *from = tc_cli_format_in_zone (tc_cli_str (o, "start"), zone, TRUE);
      g_autofree char *to = tc_cli_format_in_zone (tc_cli_str (o, "end"), zone, TRUE);
      tc_cli_table_add (table, from, to, tc_cli_str (o, "reason"), tc_cli_str (o, "id"));
    }
  tc_cli_table_print (table);
  return TC_CLI_EXIT_OK;
}

/* ---- block remove ---- */

static int
cmd_block_remove (TcCli  *cli,
                  int     argc,
                  char  **argv)
{
  g_autofree char *group = NULL;
  const GOptionEntry entries[] = {
    { "group", 'g', 0, G_OPTION_ARG_STRING, &group, N_("The group (id or exact name; default: your only group)"), N_("GROUP") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  int status;

  if (!tc_cli_parse (cli, entries, &argc, &argv, 1, 1, &status))
    return status;
  if (!g_uuid_string_is_valid (argv[1]))
    {
      tc_cli_set_usage_error (&error, _("“%s” is no id of a blocked range (see “%s block list”)"),
                              argv[1], g_get_prgname ());
      return tc_cli_fail (cli, error);
    }
  g_autofree char *group_id = tc_cli_coaching_group (cli, group, &error);
  if (group_id == NULL)
    return tc_cli_fail (cli, error);
  g_autofree char *path = g_strdup_printf ("/groups/%s/coaching/blocked/%s", group_id, argv[1]);
  g_autoptr(JsonNode) reply = tc_cli_call (cli, "DELETE", path, NULL, &error);
  if (error != NULL)
    return tc_cli_fail (cli, error);

  if (!tc_cli_print_deleted (cli, argv[1]))
    g_print ("%s\n", _("Removed the blocked range."));
  return TC_CLI_EXIT_OK;
}

const TcCliCommand tc_cli_availability_commands[] = {
  { "availability", "set", "DAYS HH:MM-HH:MM...", N_("Set your weekly availability, e.g. mon-fri 09:00-12:00 13:00-17:00"), cmd_set },
  { "availability", "show", "[EXPERT]", N_("Show your weekly availability, or an expert's"), cmd_show },
  { "block", "add", "START END", N_("Block a time range (“2025-12-24” “2025-12-26” blocks whole days)"), cmd_block_add },
  { "block", "list", NULL, N_("List your blocked time ranges"), cmd_block_list },
  { "block", "remove", "ID", N_("Remove a blocked time range"), cmd_block_remove },
  { NULL }
};
