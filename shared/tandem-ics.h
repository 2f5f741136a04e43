/* tandem-ics.h — writing iCalendar (RFC 5545) data: e-mail invitations
 * (iTIP, RFC 5546: METHOD REQUEST/CANCEL) and calendar feeds (PUBLISH or
 * no method).
 *
 * A builder: tandem_ics_new, one tandem_ics_add_event per VEVENT,
 * tandem_ics_finish for the text.  Output has CRLF line ends, lines folded
 * at 75 octets (never inside a UTF-8 sequence), TEXT values escaped
 * (\\ \; \, \n), CN parameters always quoted (a '"' in a name is written as
 * ^' after RFC 6868, as are ^ and line breaks), times in UTC ("…Z").
 *
 *   g_autoptr(TandemIcs) ics = tandem_ics_new ("-//Tandem//Coaching//EN",
 *                                              TANDEM_ICS_METHOD_REQUEST);
 *   if (!tandem_ics_add_event (ics, &event, error)) …
 *   g_autofree char *text = tandem_ics_finish (ics);
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  TANDEM_ICS_METHOD_NONE,      /* no METHOD line: a plain calendar (a feed) */
  TANDEM_ICS_METHOD_PUBLISH,
  TANDEM_ICS_METHOD_REQUEST,   /* invitation, or its update (higher SEQUENCE) */
  TANDEM_ICS_METHOD_CANCEL,    /* give the events STATUS CANCELLED */
} TandemIcsMethod;

typedef enum {
  TANDEM_ICS_STATUS_CONFIRMED,
  TANDEM_ICS_STATUS_CANCELLED,
  TANDEM_ICS_STATUS_TENTATIVE,
} TandemIcsStatus;

typedef enum {
  TANDEM_ICS_PARTSTAT_NEEDS_ACTION,
  TANDEM_ICS_PARTSTAT_ACCEPTED,
  TANDEM_ICS_PARTSTAT_DECLINED,
  TANDEM_ICS_PARTSTAT_TENTATIVE,
} TandemIcsPartstat;

typedef struct {
  const char *name;              /* CN, may be NULL or empty (then left out) */
  const char *email;             /* required: becomes mailto:EMAIL */
  TandemIcsPartstat partstat;    /* attendees only */
  gboolean rsvp;                 /* attendees only: RSVP=TRUE */
} TandemIcsPerson;

typedef struct {
  const char *uid;               /* required, stable across updates */
  int sequence;                  /* >= 0; raise it on every change */
  gint64 dtstamp;                /* unix seconds: when this was written */
  gint64 start;                  /* unix seconds, UTC */
  gint64 end;                    /* > start */
  const char *summary;           /* may be NULL */
  const char *description;       /* may be NULL; newlines allowed */
  const char *location;          /* may be NULL */
  const char *url;               /* may be NULL: a URI, written as is */
  const TandemIcsPerson *organizer;   /* may be NULL (feeds) */
  const TandemIcsPerson *attendees;
  gsize n_attendees;
  TandemIcsStatus status;
} TandemIcsEvent;

typedef struct _TandemIcs TandemIcs;

/* @prodid: the PRODID text ("-//Tandem//Coaching//EN"), required. */
TandemIcs *tandem_ics_new          (const char      *prodid,
                                    TandemIcsMethod  method);

/* X-WR-CALNAME (the name calendar programs show for a subscribed feed);
 * call before the first event.  NULL removes it. */
void       tandem_ics_set_name     (TandemIcs       *ics,
                                    const char      *name);

/* Appends one VEVENT.  Fails with G_IO_ERROR_INVALID_ARGUMENT (and adds
 * nothing) for a missing uid, end <= start, a negative sequence, times
 * outside the years 1..9999, text that is not UTF-8, an e-mail address
 * that is empty or has spaces or control characters, a URL with spaces or
 * control characters, or an attendee/organizer without e-mail. */
gboolean   tandem_ics_add_event    (TandemIcs            *ics,
                                    const TandemIcsEvent *event,
                                    GError              **error);

/* The whole calendar (ends with "END:VCALENDAR\r\n"); the builder stays
 * usable and a later call returns the same text plus any events added
 * since. */
char      *tandem_ics_finish       (TandemIcs       *ics);

void       tandem_ics_free         (TandemIcs       *ics);

/* Building blocks, public for tests and for other iCalendar users. */

/* A TEXT value escaped: \ ; , and line breaks (CRLF, CR, LF → \n); other
 * control characters but TAB are dropped.  @text must be UTF-8. */
char      *tandem_ics_escape_text  (const char      *text);

/* Appends @line (without line end) to @out folded at 75 octets, each
 * physical line ending in CRLF, continuation lines starting with one
 * space, never splitting a UTF-8 sequence. */
void       tandem_ics_append_folded (GString        *out,
                                     const char     *line);

/* "20250330T010000Z", or NULL outside the years 1..9999. */
char      *tandem_ics_format_utc   (gint64           unix_seconds);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TandemIcs, tandem_ics_free)

G_END_DECLS
