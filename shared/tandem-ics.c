/* tandem-ics.c — the iCalendar writer (see tandem-ics.h). */
#include "tandem-ics.h"

#include <gio/gio.h>
#include <string.h>

#define FOLD_OCTETS 75

struct _TandemIcs {
  char *prodid;
  char *name;
  TandemIcsMethod method;
  GString *events;   /* the VEVENTs written so far, folded, CRLF */
};

static const char *const method_names[] = {
  [TANDEM_ICS_METHOD_NONE] = NULL,
  [TANDEM_ICS_METHOD_PUBLISH] = "PUBLISH",
  [TANDEM_ICS_METHOD_REQUEST] = "REQUEST",
  [TANDEM_ICS_METHOD_CANCEL] = "CANCEL",
};

static const char *const status_names[] = {
  [TANDEM_ICS_STATUS_CONFIRMED] = "CONFIRMED",
  [TANDEM_ICS_STATUS_CANCELLED] = "CANCELLED",
  [TANDEM_ICS_STATUS_TENTATIVE] = "TENTATIVE",
};

static const char *const partstat_names[] = {
  [TANDEM_ICS_PARTSTAT_NEEDS_ACTION] = "NEEDS-ACTION",
  [TANDEM_ICS_PARTSTAT_ACCEPTED] = "ACCEPTED",
  [TANDEM_ICS_PARTSTAT_DECLINED] = "DECLINED",
  [TANDEM_ICS_PARTSTAT_TENTATIVE] = "TENTATIVE",
};

/* ------------------------------------------------------------ pieces */

static gboolean
is_control (guchar c)
{
  return c < 0x20 || c == 0x7f;
}

char *
tandem_ics_escape_text (const char *text)
{
  g_return_val_if_fail (text != NULL, NULL);

  GString *out = g_string_sized_new (strlen (text) + 8);
  for (const char *p = text; *p; p++)
    {
      switch (*p)
        {
        case '\\': g_string_append (out, "\\\\"); break;
        case ';':  g_string_append (out, "\\;"); break;
        case ',':  g_string_append (out, "\\,"); break;
        case '\r':
          if (p[1] == '\n')
            p++;
          g_string_append (out, "\\n");
          break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\t': g_string_append_c (out, '\t'); break;
        default:
          if (!is_control ((guchar) *p))
            g_string_append_c (out, *p);
          break;
        }
    }
  return g_string_free (out, FALSE);
}

void
tandem_ics_append_folded (GString *out, const char *line)
{
  g_return_if_fail (out != NULL && line != NULL);

  gsize len = strlen (line);
  gsize pos = 0;
  gsize room = FOLD_OCTETS;   /* the first line has no leading space */

  while (len - pos > room)
    {
      gsize cut = pos + room;
      /* Back off to the start of a UTF-8 sequence (not 10xxxxxx). */
      while (cut > pos && ((guchar) line[cut] & 0xC0) == 0x80)
        cut--;
      if (cut == pos)   /* not UTF-8 after all: cut where we must */
        cut = pos + room;
      g_string_append_len (out, line + pos, (gssize) (cut - pos));
      g_string_append (out, "\r\n ");
      pos = cut;
      room = FOLD_OCTETS - 1;
    }
  g_string_append_len (out, line + pos, (gssize) (len - pos));
  g_string_append (out, "\r\n");
}

char *
tandem_ics_format_utc (gint64 unix_seconds)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_seconds);
  if (dt == NULL)
    return NULL;
  int year = g_date_time_get_year (dt);
  if (year < 1 || year > 9999)
    return NULL;
  return g_strdup_printf ("%04d%02d%02dT%02d%02d%02dZ", year,
                          g_date_time_get_month (dt), g_date_time_get_day_of_month (dt),
                          g_date_time_get_hour (dt), g_date_time_get_minute (dt),
                          g_date_time_get_second (dt));
}

/* A CN parameter: always quoted; RFC 6868 for what a quoted string cannot
 * hold (", line breaks, and ^ itself); other control characters dropped. */
static void
append_cn (GString *out, const char *name)
{
  g_string_append (out, ";CN=\"");
  for (const char *p = name; *p; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "^'"); break;
        case '^': g_string_append (out, "^^"); break;
        case '\r':
          if (p[1] == '\n')
            p++;
          g_string_append (out, "^n");
          break;
        case '\n': g_string_append (out, "^n"); break;
        default:
          if (!is_control ((guchar) *p))
            g_string_append_c (out, *p);
          break;
        }
    }
  g_string_append_c (out, '"');
}

static void
append_text_property (GString *out, const char *name, const char *value)
{
  if (value == NULL)
    return;
  g_autofree char *escaped = tandem_ics_escape_text (value);
  g_autofree char *line = g_strconcat (name, ":", escaped, NULL);
  tandem_ics_append_folded (out, line);
}

static void
append_person (GString *out, const char *property, const TandemIcsPerson *person, gboolean attendee)
{
  g_autoptr(GString) line = g_string_new (property);
  if (person->name != NULL && person->name[0] != '\0')
    append_cn (line, person->name);
  if (attendee)
    {
      g_string_append (line, ";CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=");
      g_string_append (line, partstat_names[person->partstat]);
      if (person->rsvp)
        g_string_append (line, ";RSVP=TRUE");
    }
  g_string_append (line, ":mailto:");
  g_string_append (line, person->email);
  tandem_ics_append_folded (out, line->str);
}

/* ------------------------------------------------------------ checks */

static gboolean
invalid (GError **error, const char *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "iCalendar: %s", what);
  return FALSE;
}

/* Non-empty UTF-8 without spaces or control characters. */
static gboolean
is_uri_safe (const char *text)
{
  if (text == NULL || text[0] == '\0' || !g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *p = text; *p; p++)
    if (is_control ((guchar) *p) || *p == ' ')
      return FALSE;
  return TRUE;
}

static gboolean
is_utf8_or_null (const char *text)
{
  return text == NULL || g_utf8_validate (text, -1, NULL);
}

static gboolean
check_person (const TandemIcsPerson *person, GError **error)
{
  if (!is_utf8_or_null (person->name))
    return invalid (error, "a name is not UTF-8");
  if (!is_uri_safe (person->email))
    return invalid (error, "an e-mail address is missing or malformed");
  if ((guint) person->partstat >= G_N_ELEMENTS (partstat_names))
    return invalid (error, "unknown participation status");
  return TRUE;
}

static gboolean
check_event (const TandemIcsEvent *ev, GError **error)
{
  if (ev->uid == NULL || ev->uid[0] == '\0' || !g_utf8_validate (ev->uid, -1, NULL))
    return invalid (error, "uid missing");
  if (ev->sequence < 0)
    return invalid (error, "negative sequence");
  if (ev->end <= ev->start)
    return invalid (error, "the event ends before it starts");
  if (!is_utf8_or_null (ev->summary) || !is_utf8_or_null (ev->description) ||
      !is_utf8_or_null (ev->location))
    return invalid (error, "text is not UTF-8");
  if (ev->url != NULL && !is_uri_safe (ev->url))
    return invalid (error, "malformed URL");
  if ((guint) ev->status >= G_N_ELEMENTS (status_names))
    return invalid (error, "unknown status");
  if (ev->n_attendees > 0 && ev->attendees == NULL)
    return invalid (error, "attendees missing");
  if (ev->organizer != NULL && !check_person (ev->organizer, error))
    return FALSE;
  for (gsize i = 0; i < ev->n_attendees; i++)
    if (!check_person (&ev->attendees[i], error))
      return FALSE;
  return TRUE;
}

/* ------------------------------------------------------------ builder */

TandemIcs *
tandem_ics_new (const char *prodid, TandemIcsMethod method)
{
  g_return_val_if_fail (prodid != NULL && g_utf8_validate (prodid, -1, NULL), NULL);
  g_return_val_if_fail ((guint) method < G_N_ELEMENTS (method_names), NULL);

  TandemIcs *ics = g_new0 (TandemIcs, 1);
  ics->prodid = g_strdup (prodid);
  ics->method = method;
  ics->events = g_string_new (NULL);
  return ics;
}

void
tandem_ics_set_name (TandemIcs *ics, const char *name)
{
  g_return_if_fail (ics != NULL);
  g_return_if_fail (is_utf8_or_null (name));
  g_free (ics->name);
  ics->name = g_strdup (name);
}

gboolean
tandem_ics_add_event (TandemIcs            *ics,
                      const TandemIcsEvent *event,
                      GError              **error)
{
  g_return_val_if_fail (ics != NULL && event != NULL, FALSE);

  if (!check_event (event, error))
    return FALSE;
  g_autofree char *stamp = tandem_ics_format_utc (event->dtstamp);
  g_autofree char *start = tandem_ics_format_utc (event->start);
  g_autofree char *end = tandem_ics_format_utc (event->end);
  if (stamp == NULL || start == NULL || end == NULL)
    return invalid (error, "time out of range");

  GString *out = ics->events;
  g_string_append (out, "BEGIN:VEVENT\r\n");
  append_text_property (out, "UID", event->uid);
  g_string_append_printf (out, "SEQUENCE:%d\r\n", event->sequence);
  g_string_append_printf (out, "DTSTAMP:%s\r\n", stamp);
  g_string_append_printf (out, "DTSTART:%s\r\n", start);
  g_string_append_printf (out, "DTEND:%s\r\n", end);
  append_text_property (out, "SUMMARY", event->summary);
  append_text_property (out, "DESCRIPTION", event->description);
  append_text_property (out, "LOCATION", event->location);
  if (event->url != NULL)
    {
      g_autofree char *line = g_strconcat ("URL:", event->url, NULL);
      tandem_ics_append_folded (out, line);
    }
  if (event->organizer != NULL)
    append_person (out, "ORGANIZER", event->organizer, FALSE);
  for (gsize i = 0; i < event->n_attendees; i++)
    append_person (out, "ATTENDEE", &event->attendees[i], TRUE);
  g_string_append_printf (out, "STATUS:%s\r\n", status_names[event->status]);
  g_string_append (out, "TRANSP:OPAQUE\r\n");
  g_string_append (out, "END:VEVENT\r\n");
  return TRUE;
}

char *
tandem_ics_finish (TandemIcs *ics)
{
  g_return_val_if_fail (ics != NULL, NULL);

  GString *out = g_string_sized_new (ics->events->len + 256);
  g_string_append (out, "BEGIN:VCALENDAR\r\n");
  append_text_property (out, "PRODID", ics->prodid);
  g_string_append (out, "VERSION:2.0\r\nCALSCALE:GREGORIAN\r\n");
  if (method_names[ics->method] != NULL)
    g_string_append_printf (out, "METHOD:%s\r\n", method_names[ics->method]);
  append_text_property (out, "X-WR-CALNAME", ics->name);
  g_string_append_len (out, ics->events->str, (gssize) ics->events->len);
  g_string_append (out, "END:VCALENDAR\r\n");
  return g_string_free (out, FALSE);
}

void
tandem_ics_free (TandemIcs *ics)
{
  if (ics == NULL)
    return;
  g_free (ics->prodid);
  g_free (ics->name);
  g_string_free (ics->events, TRUE);
  g_free (ics);
}
