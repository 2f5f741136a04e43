/* th-ics.c — iCalendar helpers for tests (see th-ics.h). */
#include "th-ics.h"

#include <gio/gio.h>
#include <string.h>

GStrv
th_ics_lines (const char *ics)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GString *line = NULL;

  for (const char *p = ics; *p != '\0'; )
    {
      const char *eol = strstr (p, "\r\n");
      g_assert_nonnull (eol);   /* every line ends in CRLF */
      g_autofree char *physical = g_strndup (p, (gsize) (eol - p));
      g_assert_null (strchr (physical, '\n'));
      if (physical[0] == ' ' || physical[0] == '\t')
        {
          g_assert_nonnull (line);
          g_string_append (line, physical + 1);
        }
      else
        {
          if (line != NULL)
            {
              g_strv_builder_add (builder, line->str);
              g_string_free (line, TRUE);
            }
          line = g_string_new (physical);
        }
      p = eol + 2;
    }
  if (line != NULL)
    {
      g_strv_builder_add (builder, line->str);
      g_string_free (line, TRUE);
    }
  return g_strv_builder_end (builder);
}

/* The name part of a content line: up to the first ';' or ':'. */
static gboolean
line_is (const char *line,
         const char *name)
{
  gsize n = strlen (name);
  return g_ascii_strncasecmp (line, name, n) == 0 && (line[n] == ':' || line[n] == ';');
}

/* The value: after the first ':' outside a quoted parameter value. */
static const char *
line_value (const char *line)
{
  gboolean quoted = FALSE;
  for (const char *p = line; *p != '\0'; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (*p == ':' && !quoted)
        return p + 1;
    }
  return NULL;
}

const char *
th_ics_value (GStrv       lines,
              const char *name,
              guint       n)
{
  for (guint i = 0; lines[i] != NULL; i++)
    if (line_is (lines[i], name) && n-- == 0)
      return line_value (lines[i]);
  return NULL;
}

guint
th_ics_count (GStrv       lines,
              const char *name)
{
  guint count = 0;
  for (guint i = 0; lines[i] != NULL; i++)
    count += line_is (lines[i], name);
  return count;
}

static const char python_reader[] =
  "import sys, json\n"
  "from icalendar import Calendar\n"
  "cal = Calendar.from_ical(sys.stdin.buffer.read())\n"
  "def people(v):\n"
  "    if v is None: return []\n"
  "    return [str(a) for a in (v if isinstance(v, list) else [v])]\n"
  "events = []\n"
  "for e in cal.walk('VEVENT'):\n"
  "    events.append({'uid': str(e['UID']), 'sequence': int(e.get('SEQUENCE', 0)),\n"
  "                   'status': str(e.get('STATUS', '')), 'summary': str(e.get('SUMMARY', '')),\n"
  "                   'start': int(e['DTSTART'].dt.timestamp()), 'end': int(e['DTEND'].dt.timestamp()),\n"
  "                   'utc': e['DTSTART'].dt.utcoffset().total_seconds() == 0,\n"
  "                   'organizer': str(e['ORGANIZER']) if 'ORGANIZER' in e else None,\n"
  "                   'attendees': people(e.get('ATTENDEE'))})\n"
  "name = cal.get('X-WR-CALNAME')\n"
  "print(json.dumps({'method': str(cal.get('METHOD', '')), 'version': str(cal.get('VERSION')),\n"
  "                  'name': str(name) if name is not None else None, 'events': events}))\n";

static const char *
python_with_icalendar (void)
{
  static const char *const candidates[] = { "/usr/bin/python3", "python3" };
  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      const char *argv[] = { candidates[i], "-c", "import icalendar", NULL };
      int status = 0;
      if (g_spawn_sync (NULL, (char **) argv, NULL,
                        G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                        NULL, NULL, NULL, NULL, &status, NULL) &&
          g_spawn_check_wait_status (status, NULL))
        return candidates[i];
    }
  return NULL;
}

JsonObject *
th_ics_parse_real (const char *ics)
{
  g_autoptr(GError) error = NULL;
  const char *python = python_with_icalendar ();
  if (python == NULL)
    return NULL;

  g_autoptr(GSubprocess) proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                                  &error, python, "-c", python_reader, NULL);
  g_assert_no_error (error);
  g_autofree char *out = NULL;
  g_assert_true (g_subprocess_communicate_utf8 (proc, ics, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (proc));

  g_autoptr(JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}
