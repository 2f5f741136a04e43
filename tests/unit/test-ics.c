/* test-ics.c — the iCalendar writer of shared/tandem-ics.c: TEXT escaping,
 * folding at 75 octets without splitting UTF-8, CRLF everywhere, the
 * invitation's properties, refusals, a parse-back (unfold, unescape,
 * compare) and a check with a real parser (python3-icalendar, installed by
 * ./dev) when it is there. */
#include "tandem-ics.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

static gint64
utc (int y, int mo, int d, int h, int mi)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (y, mo, d, h, mi, 0);
  return g_date_time_to_unix (dt);
}

/* A long German/French/emoji description with every character TEXT must
 * escape, so folding meets multi-byte sequences at many offsets. */
static const char long_description[] =
  "Sitzung mit Jürgen Größe; Thema: Übergänge, Schwünge und Rückhand.\n"
  "Séance « préparation » — à l'écoute, s'il vous plaît; merci!\r\n"
  "Backslash \\ semicolon ; comma , colon : quote \" emoji 🏸🎾⛳ done.\n"
  "ääääääääääääääääääääääääääääääääääääääääääääääääääääääääääääääääääääääää"
  "日本語のテキストも折り返す必要があります。日本語のテキストも折り返す必要があります。";

static TandemIcsPerson organizer = { "Dr. Eva \"Coach\" Müller, PhD", "eva@coach.example", 0, FALSE };
static TandemIcsPerson attendees[] = {
  { "Max Mustermann; Jr.", "max@student.example", TANDEM_ICS_PARTSTAT_NEEDS_ACTION, TRUE },
  { "Eva Müller", "eva@coach.example", TANDEM_ICS_PARTSTAT_ACCEPTED, FALSE },
};

static TandemIcsEvent
sample_event (void)
{
  TandemIcsEvent ev = {
    .uid = "3b4c0f6e-0d7e-4b8e-9a55-2f1c2c1d9e01@tandem.example",
    .sequence = 2,
    .dtstamp = utc (2025, 3, 1, 12, 0),
    .start = utc (2025, 3, 30, 0, 30),
    .end = utc (2025, 3, 30, 1, 30),
    .summary = "Coaching: Technik, Teil 1",
    .description = long_description,
    .location = "Online",
    .url = "https://tandem.example/groups/5f0c/coaching/bookings/3b4c0f6e-0d7e-4b8e-9a55-2f1c2c1d9e01?join=1&x=y",
    .organizer = &organizer,
    .attendees = attendees,
    .n_attendees = G_N_ELEMENTS (attendees),
    .status = TANDEM_ICS_STATUS_CONFIRMED,
  };
  return ev;
}

static char *
build (TandemIcsMethod method, const TandemIcsEvent *ev)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemIcs) ics = tandem_ics_new ("-//Tandem//Coaching 1.0//EN", method);
  g_assert_true (tandem_ics_add_event (ics, ev, &error));
  g_assert_no_error (error);
  return tandem_ics_finish (ics);
}

/* Physical lines: each ends in CRLF, no bare CR or LF, at most 75 octets,
 * each a whole UTF-8 string (no sequence split over a fold). */
static void
check_physical (const char *text)
{
  g_assert_true (g_str_has_suffix (text, "\r\n"));
  const char *p = text;
  while (*p)
    {
      const char *eol = strstr (p, "\r\n");
      g_assert_nonnull (eol);
      gsize len = (gsize) (eol - p);
      g_assert_cmpuint (len, <=, 75);
      g_assert_null (memchr (p, '\n', len));
      g_assert_null (memchr (p, '\r', len));
      g_assert_true (g_utf8_validate (p, (gssize) len, NULL));
      p = eol + 2;
    }
}

/* Unfolds into logical lines. */
static GPtrArray *
unfold (const char *text)
{
  g_autoptr(GString) joined = g_string_new (NULL);
  for (const char *p = text; *p; p++)
    {
      if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ')
        {
          p += 2;
          continue;
        }
      g_string_append_c (joined, *p);
    }
  g_auto(GStrv) lines = g_strsplit (joined->str, "\r\n", -1);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; lines[i]; i++)
    if (lines[i][0])
      g_ptr_array_add (out, g_strdup (lines[i]));
  return out;
}

static char *
unescape_text (const char *value)
{
  GString *out = g_string_new (NULL);
  for (const char *p = value; *p; p++)
    {
      if (*p != '\\')
        {
          /* An unescaped ; or , would split the value. */
          g_assert_true (*p != ';' && *p != ',');
          g_string_append_c (out, *p);
          continue;
        }
      p++;
      switch (*p)
        {
        case 'n': case 'N': g_string_append_c (out, '\n'); break;
        case '\\': case ';': case ',': g_string_append_c (out, *p); break;
        default: g_error ("bad escape \\%c", *p);
        }
    }
  return g_string_free (out, FALSE);
}

/* The value of the first logical line NAME[;params]:value. */
static const char *
find_line (GPtrArray *lines, const char *name, const char **params)
{
  gsize n = strlen (name);
  for (guint i = 0; i < lines->len; i++)
    {
      const char *l = lines->pdata[i];
      if (strncmp (l, name, n) == 0 && (l[n] == ':' || l[n] == ';'))
        {
          const char *colon = l + n;
          if (*colon == ';')
            {
              /* Skip quoted parameter values, which may hold ':'. */
              gboolean quoted = FALSE;
              for (; *colon && (quoted || *colon != ':'); colon++)
                if (*colon == '"')
                  quoted = !quoted;
            }
          if (params)
            *params = l + n;
          return colon + 1;
        }
    }
  return NULL;
}

static void
test_escape (void)
{
  struct { const char *in, *out; } cases[] = {
    { "plain", "plain" },
    { "a;b,c\\d", "a\\;b\\,c\\\\d" },
    { "line1\nline2\r\nline3\rline4", "line1\\nline2\\nline3\\nline4" },
    { "tab\there", "tab\there" },
    { "bell\a and nul-free \x1b esc", "bell and nul-free  esc" },
    { "Größe: 10:00", "Größe: 10:00" },
    { "", "" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *e = tandem_ics_escape_text (cases[i].in);
      g_assert_cmpstr (e, ==, cases[i].out);
    }
}

static void
test_fold (void)
{
  /* Exactly 75 octets: no fold; 76: one. */
  g_autofree char *l75 = g_strnfill (75, 'x');
  g_autofree char *l76 = g_strnfill (76, 'x');
  g_autoptr(GString) out = g_string_new (NULL);
  tandem_ics_append_folded (out, l75);
  g_assert_cmpuint (out->len, ==, 77);
  g_string_truncate (out, 0);
  tandem_ics_append_folded (out, l76);
  g_autofree char *expect = g_strdup_printf ("%s\r\n x\r\n", l75);
  g_assert_cmpstr (out->str, ==, expect);

  /* Continuation lines carry 74 octets after their space. */
  g_autofree char *l200 = g_strnfill (200, 'y');
  g_string_truncate (out, 0);
  tandem_ics_append_folded (out, l200);
  g_auto(GStrv) parts = g_strsplit (out->str, "\r\n", -1);
  g_assert_cmpuint (strlen (parts[0]), ==, 75);
  g_assert_cmpuint (strlen (parts[1]), ==, 75);
  g_assert_cmpuint (strlen (parts[2]), ==, 1 + 200 - 75 - 74);
  g_assert_cmpstr (parts[3], ==, "");

  /* Multi-byte characters at every offset around the fold. */
  for (int pad = 0; pad < 8; pad++)
    {
      g_autoptr(GString) line = g_string_new (NULL);
      for (int i = 0; i < pad; i++)
        g_string_append_c (line, 'a');
      for (int i = 0; i < 60; i++)
        g_string_append (line, i % 3 == 0 ? "ü" : i % 3 == 1 ? "日" : "🏸");
      g_string_truncate (out, 0);
      tandem_ics_append_folded (out, line->str);
      check_physical (out->str);
      g_autoptr(GPtrArray) lines = unfold (out->str);
      g_assert_cmpuint (lines->len, ==, 1);
      g_assert_cmpstr (lines->pdata[0], ==, line->str);
    }
}

static void
test_invitation (void)
{
  TandemIcsEvent ev = sample_event ();
  g_autofree char *text = build (TANDEM_ICS_METHOD_REQUEST, &ev);
  check_physical (text);

  g_assert_true (g_str_has_prefix (text, "BEGIN:VCALENDAR\r\n"));
  g_assert_true (g_str_has_suffix (text, "END:VCALENDAR\r\n"));
  g_autoptr(GPtrArray) lines = unfold (text);
  g_assert_cmpstr (find_line (lines, "VERSION", NULL), ==, "2.0");
  g_assert_cmpstr (find_line (lines, "PRODID", NULL), ==, "-//Tandem//Coaching 1.0//EN");
  g_assert_cmpstr (find_line (lines, "METHOD", NULL), ==, "REQUEST");
  g_assert_cmpstr (find_line (lines, "BEGIN", NULL), ==, "VCALENDAR");
  g_assert_cmpstr (find_line (lines, "UID", NULL), ==, ev.uid);
  g_assert_cmpstr (find_line (lines, "SEQUENCE", NULL), ==, "2");
  g_assert_cmpstr (find_line (lines, "DTSTAMP", NULL), ==, "20250301T120000Z");
  g_assert_cmpstr (find_line (lines, "DTSTART", NULL), ==, "20250330T003000Z");
  g_assert_cmpstr (find_line (lines, "DTEND", NULL), ==, "20250330T013000Z");
  g_assert_cmpstr (find_line (lines, "STATUS", NULL), ==, "CONFIRMED");
  g_assert_cmpstr (find_line (lines, "URL", NULL), ==, ev.url);

  /* Parse back: TEXT values come out as they went in (CRLF became LF). */
  g_autofree char *summary = unescape_text (find_line (lines, "SUMMARY", NULL));
  g_assert_cmpstr (summary, ==, ev.summary);
  g_autofree char *description = unescape_text (find_line (lines, "DESCRIPTION", NULL));
  g_autofree char *expect_description = g_strdup (long_description);
  char *crlf = strstr (expect_description, "\r\n");
  memmove (crlf, crlf + 1, strlen (crlf));
  g_assert_cmpstr (description, ==, expect_description);
  g_autofree char *location = unescape_text (find_line (lines, "LOCATION", NULL));
  g_assert_cmpstr (location, ==, "Online");

  const char *params = NULL;
  g_assert_cmpstr (find_line (lines, "ORGANIZER", &params), ==, "mailto:eva@coach.example");
  g_assert_true (g_str_has_prefix (params, ";CN=\"Dr. Eva ^'Coach^' Müller, PhD\":"));

  guint n_attendees = 0;
  for (guint i = 0; i < lines->len; i++)
    if (g_str_has_prefix (lines->pdata[i], "ATTENDEE;"))
      n_attendees++;
  g_assert_cmpuint (n_attendees, ==, 2);
  g_assert_true (g_ptr_array_find_with_equal_func (lines,
      "ATTENDEE;CN=\"Max Mustermann; Jr.\";CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;"
      "PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:max@student.example", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (lines,
      "ATTENDEE;CN=\"Eva Müller\";CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;"
      "PARTSTAT=ACCEPTED:mailto:eva@coach.example", g_str_equal, NULL));

  /* The order of the frame. */
  g_assert_cmpstr (lines->pdata[0], ==, "BEGIN:VCALENDAR");
  g_assert_cmpstr (lines->pdata[lines->len - 1], ==, "END:VCALENDAR");
  g_assert_cmpstr (lines->pdata[lines->len - 2], ==, "END:VEVENT");
}

static void
test_cancel_and_feed (void)
{
  TandemIcsEvent ev = sample_event ();
  ev.status = TANDEM_ICS_STATUS_CANCELLED;
  ev.sequence = 3;
  g_autofree char *cancel = build (TANDEM_ICS_METHOD_CANCEL, &ev);
  g_autoptr(GPtrArray) lines = unfold (cancel);
  g_assert_cmpstr (find_line (lines, "METHOD", NULL), ==, "CANCEL");
  g_assert_cmpstr (find_line (lines, "STATUS", NULL), ==, "CANCELLED");
  g_assert_cmpstr (find_line (lines, "SEQUENCE", NULL), ==, "3");

  /* A feed: no METHOD, a name, several events, no organizer or optional
   * texts. */
  g_autoptr(TandemIcs) feed = tandem_ics_new ("-//Tandem//Feed//EN", TANDEM_ICS_METHOD_NONE);
  tandem_ics_set_name (feed, "Coaching, Eva");
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *uid = g_strdup_printf ("booking-%d", i);
      TandemIcsEvent e = {
        .uid = uid,
        .dtstamp = utc (2025, 3, 1, 0, 0),
        .start = utc (2025, 3, 10 + i, 9, 0),
        .end = utc (2025, 3, 10 + i, 10, 0),
        .summary = "Session",
      };
      g_assert_true (tandem_ics_add_event (feed, &e, NULL));
    }
  g_autofree char *text = tandem_ics_finish (feed);
  check_physical (text);
  g_autoptr(GPtrArray) fl = unfold (text);
  g_assert_null (find_line (fl, "METHOD", NULL));
  g_assert_null (find_line (fl, "ORGANIZER", NULL));
  g_assert_null (find_line (fl, "DESCRIPTION", NULL));
  g_assert_cmpstr (find_line (fl, "X-WR-CALNAME", NULL), ==, "Coaching\\, Eva");
  guint n = 0;
  for (guint i = 0; i < fl->len; i++)
    n += g_strcmp0 (fl->pdata[i], "BEGIN:VEVENT") == 0;
  g_assert_cmpuint (n, ==, 3);
  /* finish again: the same text. */
  g_autofree char *again = tandem_ics_finish (feed);
  g_assert_cmpstr (again, ==, text);

  /* An empty calendar is still valid. */
  g_autoptr(TandemIcs) empty = tandem_ics_new ("-//Tandem//Feed//EN", TANDEM_ICS_METHOD_PUBLISH);
  g_autofree char *et = tandem_ics_finish (empty);
  g_assert_cmpstr (et, ==, "BEGIN:VCALENDAR\r\nPRODID:-//Tandem//Feed//EN\r\nVERSION:2.0\r\n"
                           "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nEND:VCALENDAR\r\n");
}

static void
expect_refused (const TandemIcsEvent *ev)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TandemIcs) ics = tandem_ics_new ("-//T//EN", TANDEM_ICS_METHOD_REQUEST);
  g_assert_false (tandem_ics_add_event (ics, ev, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  /* Nothing half-written. */
  g_autofree char *text = tandem_ics_finish (ics);
  g_assert_null (strstr (text, "VEVENT"));
}

static void
test_refusals (void)
{
  TandemIcsEvent good = sample_event (), ev;
  TandemIcsPerson bad_people[] = {
    { "X", NULL, 0, FALSE }, { "X", "", 0, FALSE }, { "X", "a b@example", 0, FALSE },
    { "X", "a@example\r\nATTENDEE:mailto:evil@example", 0, FALSE },
    { "\xff\xfe", "a@example", 0, FALSE }, { "X", "a@example", 17, FALSE },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad_people); i++)
    {
      ev = good; ev.organizer = &bad_people[i]; expect_refused (&ev);
      ev = good; ev.attendees = &bad_people[i]; ev.n_attendees = 1; expect_refused (&ev);
    }
  ev = good; ev.uid = NULL; expect_refused (&ev);
  ev = good; ev.uid = ""; expect_refused (&ev);
  ev = good; ev.end = ev.start; expect_refused (&ev);
  ev = good; ev.sequence = -1; expect_refused (&ev);
  ev = good; ev.summary = "\xc3"; expect_refused (&ev);
  ev = good; ev.description = "ok \xe2\x82"; expect_refused (&ev);
  ev = good; ev.url = "https://x.example/a b"; expect_refused (&ev);
  ev = good; ev.url = "https://x.example/\r\nX:y"; expect_refused (&ev);
  ev = good; ev.start = G_GINT64_CONSTANT (-70000000000); expect_refused (&ev);
  ev = good; ev.end = G_GINT64_CONSTANT (300000000000); expect_refused (&ev);
  ev = good; ev.status = 9; expect_refused (&ev);
  ev = good; ev.attendees = NULL; expect_refused (&ev);

  g_assert_null (tandem_ics_format_utc (G_GINT64_CONSTANT (253402300800)));
  g_autofree char *last = tandem_ics_format_utc (G_GINT64_CONSTANT (253402300799));
  g_assert_cmpstr (last, ==, "99991231T235959Z");
}

/* CR/LF in a name cannot start a new property. */
static void
test_injection (void)
{
  TandemIcsPerson sneaky = { "Eve\r\nATTENDEE:mailto:evil@example", "eve@example", 0, FALSE };
  TandemIcsEvent ev = sample_event ();
  ev.organizer = &sneaky;
  ev.summary = "Hi\r\nATTENDEE:mailto:evil@example";
  g_autofree char *text = build (TANDEM_ICS_METHOD_REQUEST, &ev);
  g_autoptr(GPtrArray) lines = unfold (text);
  for (guint i = 0; i < lines->len; i++)
    g_assert_false (g_str_has_prefix (lines->pdata[i], "ATTENDEE:mailto:evil"));
  const char *params = NULL;
  find_line (lines, "ORGANIZER", &params);
  g_assert_true (g_str_has_prefix (params, ";CN=\"Eve^nATTENDEE:mailto:evil@example\":"));
}

/* What python3-icalendar (a real RFC 5545 parser) reads back. */
static const char python_reader[] =
  "import sys, json\n"
  "from icalendar import Calendar\n"
  "cal = Calendar.from_ical(sys.stdin.buffer.read())\n"
  "ev = [c for c in cal.walk('VEVENT')]\n"
  "e = ev[0]\n"
  "att = e.get('ATTENDEE')\n"
  "att = att if isinstance(att, list) else [att]\n"
  "print(json.dumps({\n"
  "  'method': str(cal.get('METHOD')), 'version': str(cal.get('VERSION')),\n"
  "  'events': len(ev), 'uid': str(e['UID']), 'sequence': int(e['SEQUENCE']),\n"
  "  'summary': str(e['SUMMARY']), 'description': str(e['DESCRIPTION']),\n"
  "  'url': str(e['URL']), 'status': str(e['STATUS']),\n"
  "  'start': int(e['DTSTART'].dt.timestamp()), 'end': int(e['DTEND'].dt.timestamp()),\n"
  "  'utc': e['DTSTART'].dt.utcoffset().total_seconds() == 0,\n"
  "  'organizer': str(e['ORGANIZER']), 'organizer_cn': str(e['ORGANIZER'].params['CN']),\n"
  "  'attendees': [str(a) for a in att], 'attendee_cn': [str(a.params['CN']) for a in att],\n"
  "  'partstat': [str(a.params['PARTSTAT']) for a in att],\n"
  "}))\n";

/* The Debian python first (python3-icalendar is installed for it), then
 * whatever python3 the PATH has. */
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

static void
test_real_parser (void)
{
  g_autoptr(GError) error = NULL;
  const char *python = python_with_icalendar ();
  if (python == NULL)
    {
      g_test_skip ("python3-icalendar is not installed (./dev installs it)");
      return;
    }

  TandemIcsEvent ev = sample_event ();
  g_autofree char *text = build (TANDEM_ICS_METHOD_REQUEST, &ev);

  g_autoptr(GSubprocess) proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                                  &error, python, "-c", python_reader, NULL);
  g_assert_no_error (error);
  g_autofree char *out = NULL;
  g_assert_true (g_subprocess_communicate_utf8 (proc, text, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (proc));

  g_autoptr(JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  JsonObject *o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (o, "method"), ==, "REQUEST");
  g_assert_cmpstr (json_object_get_string_member (o, "version"), ==, "2.0");
  g_assert_cmpint (json_object_get_int_member (o, "events"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (o, "uid"), ==, ev.uid);
  g_assert_cmpint (json_object_get_int_member (o, "sequence"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (o, "summary"), ==, ev.summary);
  g_autofree char *expect_description = g_strdup (long_description);
  char *crlf = strstr (expect_description, "\r\n");
  memmove (crlf, crlf + 1, strlen (crlf));
  g_assert_cmpstr (json_object_get_string_member (o, "description"), ==, expect_description);
  g_assert_cmpstr (json_object_get_string_member (o, "url"), ==, ev.url);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "CONFIRMED");
  g_assert_cmpint (json_object_get_int_member (o, "start"), ==, ev.start);
  g_assert_cmpint (json_object_get_int_member (o, "end"), ==, ev.end);
  g_assert_true (json_object_get_boolean_member (o, "utc"));
  g_assert_cmpstr (json_object_get_string_member (o, "organizer"), ==, "mailto:eva@coach.example");
  JsonArray *att = json_object_get_array_member (o, "attendees");
  g_assert_cmpuint (json_array_get_length (att), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (att, 0), ==, "mailto:max@student.example");
  JsonArray *cn = json_object_get_array_member (o, "attendee_cn");
  g_assert_cmpstr (json_array_get_string_element (cn, 0), ==, "Max Mustermann; Jr.");
  g_assert_cmpstr (json_array_get_string_element (cn, 1), ==, "Eva Müller");
  JsonArray *ps = json_object_get_array_member (o, "partstat");
  g_assert_cmpstr (json_array_get_string_element (ps, 0), ==, "NEEDS-ACTION");
  g_assert_cmpstr (json_array_get_string_element (ps, 1), ==, "ACCEPTED");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ics/escape", test_escape);
  g_test_add_func ("/ics/fold", test_fold);
  g_test_add_func ("/ics/invitation", test_invitation);
  g_test_add_func ("/ics/cancel-and-feed", test_cancel_and_feed);
  g_test_add_func ("/ics/refusals", test_refusals);
  g_test_add_func ("/ics/injection", test_injection);
  g_test_add_func ("/ics/real-parser", test_real_parser);
  return g_test_run ();
}
