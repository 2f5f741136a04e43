/* th-ics.h — reading iCalendar text in tests: properties of the unfolded
 * content lines, and the reading of a real RFC 5545 parser
 * (python3-icalendar) when it is installed. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The unfolded content lines of @ics (CRLF line ends required: a bare LF
 * fails the test). */
GStrv       th_ics_lines         (const char *ics);

/* The value of the @n-th (from 0) property @name ("DTSTART") among
 * @lines, parameters skipped ("ORGANIZER;CN=…:mailto:x" gives
 * "mailto:x"); NULL when there is none. */
const char *th_ics_value         (GStrv       lines,
                                  const char *name,
                                  guint       n);

/* How many lines are property @name. */
guint       th_ics_count         (GStrv       lines,
                                  const char *name);

/* What python3-icalendar reads from @ics:
 * {"method", "name" (X-WR-CALNAME or null), "events": [{"uid", "sequence",
 *  "status", "summary", "start", "end" (unix seconds), "utc" (bool),
 *  "organizer" (or null), "attendees": [..]}]}.
 * NULL when the parser is not installed; a parse failure fails the test. */
JsonObject *th_ics_parse_real    (const char *ics);

G_END_DECLS
