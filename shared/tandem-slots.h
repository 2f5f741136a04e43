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
 *    first instant after the gap.  A local time that occurs twice (the
 *    repeated hour) counts as its first occurrence for a window's start
 *    and its second for a window's end, so the window covers the whole
 *    repeated hour.  The grid runs in real (elapsed) time from the
 *    window's start instant.
 *  - A slot is free when [start - buffer_before, end + buffer_after) meets
 *    no busy range (blocked ranges and the blocks of live bookings), and
 *    start >= now + min_notice.
 *  - Windows with end_minute <= start_minute run past midnight.
 *  - Result sorted by start, without duplicates, clipped to [from, to)
 *    (a slot must start at or after @from and end at or before @to).
 *  - Busy ranges with end <= start are ignored.  Overlapping windows give
 *    the union of their slots (a start that both give appears once).
 *
 * Time zones are loaded through GLib (TZif files of the system's tzdata);
 * only Area/Location-style names are accepted (see tandem_time_zone_new).
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

/* Returns an array of TandemRange (the slots; free with g_array_unref).
 * Fails with G_IO_ERROR_INVALID_ARGUMENT for an unknown time zone, a
 * malformed window, a duration <= 0 (or over 7 days), negative buffers,
 * granularity or notice, from >= to, a range longer than 366 days, or times
 * outside the years 1..9999.  Runs in O(n_busy · log n_busy + slots). */
GArray  *tandem_slots_compute (const TandemSlotQuery *query,
                               GError               **error);

/* Whether [start, start + duration) is one of the slots @query would return
 * (ignoring query->from/to): the server's re-check when booking.  Returns
 * FALSE with @error set for a query compute would refuse, FALSE with no
 * error for a slot that is not free. */
gboolean tandem_slots_contains (const TandemSlotQuery *query,
                                gint64                 start,
                                GError               **error);

/* Whether @name looks like an IANA zone name ("Europe/Berlin", "UTC",
 * "America/Argentina/Buenos_Aires"): letters, digits, '_', '-', '+', '/'
 * separated parts, no path tricks, at most 64 bytes.  Says nothing about
 * whether the zone exists. */
gboolean   tandem_time_zone_valid_name (const char *name);

/* The zone @name, or NULL with G_IO_ERROR_INVALID_ARGUMENT when the name is
 * malformed or no such zone is installed.  Use it to check a zone a user
 * sends before storing it. */
GTimeZone *tandem_time_zone_new        (const char  *name,
                                        GError     **error);

/* Parses "HH:MM" (00:00..24:00; the hour may have one digit, "9:30") into
 * minutes after midnight.  @minutes may be NULL to only check. */
gboolean tandem_parse_hhmm    (const char *text,
                               int        *minutes);

/* Parses a duration setting: "0", "90s", "15m", "2h" (also "1d"; "0s" etc.).
 * Returns FALSE for anything else (negative, empty, a bare number other
 * than 0, spaces, unknown unit, overflow).  @seconds may be NULL. */
gboolean tandem_parse_duration (const char *text,
                                gint64     *seconds);

G_END_DECLS
