/* tandem-slots.h — free booking slots of an expert, as pure code.
 *
 * Input: the expert's weekly windows in their own time zone, blocked
 * ranges, existing bookings (their buffered blocks), the session length,
 * buffers, the minimum notice and the asked range.  Output: the start/end
 * (UTC unix seconds) of every slot that fits.  No I/O, no clock: "now" is a
 * parameter, so the unit tests can pin every case (DST changes, windows
 * past midnight, overlapping blocks).
 *
 * Rules:
 *  - Slots start on the granularity grid (default 15 minutes) counted from
 *    each window's local start, and lie wholly inside one window occurrence.
 *  - Local window times are converted with the zone's rules of that day: on
 *    a spring-forward day a window over the missing hour is shorter, on a
 *    fall-back day longer; a local time that does not exist moves to the
 *    first instant after the gap.
 *  - A slot is free when [start - buffer_before, end + buffer_after) meets
 *    no busy range (blocked ranges and the blocks of live bookings), and
 *    start >= now + min_notice.
 *  - Windows with end_minute <= start_minute run past midnight.
 *  - Result sorted by start, without duplicates, clipped to [from, to)
 *    (a slot must start at or after @from and end at or before @to).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  int day_of_week;    /* 0 = Sunday … 6 = Saturday, local */
  int start_minute;   /* 0..1439 after local midnight */
  int end_minute;     /* 0..1440; <= start_minute: ends on the next day */
} TandemWindow;

typedef struct {
  gint64 start;       /* unix seconds, UTC */
  gint64 end;         /* exclusive */
} TandemRange;

typedef struct {
  const char *time_zone;        /* IANA name, e.g. "Europe/Berlin" */
  const TandemWindow *windows;
  gsize n_windows;
  const TandemRange *busy;      /* blocked ranges and booked blocks, any order, may overlap */
  gsize n_busy;
  int duration_minutes;
  int buffer_before_minutes;
  int buffer_after_minutes;
  int granularity_minutes;      /* 0 means 15 */
  gint64 now;
  gint64 min_notice_seconds;
  gint64 from;
  gint64 to;
} TandemSlotQuery;

/* Returns an array of TandemRange (the slots).  Fails with G_IO_ERROR_INVALID_ARGUMENT
 * for an unknown time zone, a malformed window, a duration <= 0, from >= to,
 * or a range longer than 366 days. */
GArray  *tandem_slots_compute (const TandemSlotQuery *query,
                               GError               **error);

/* Whether [start, start + duration) is one of the slots @query would return
 * (ignoring query->from/to): the server's re-check when booking. */
gboolean tandem_slots_contains (const TandemSlotQuery *query,
                                gint64                 start,
                                GError               **error);

/* Parses "HH:MM" (00:00..24:00) into minutes after midnight. */
gboolean tandem_parse_hhmm    (const char *text,
                               int        *minutes);

/* Parses a duration setting: "0", "90s", "15m", "2h" (also "1d").
 * Returns FALSE for anything else (negative, empty, unknown unit, overflow). */
gboolean tandem_parse_duration (const char *text,
                                gint64     *seconds);

G_END_DECLS
