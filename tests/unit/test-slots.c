/* test-slots.c — the slot maths of shared/tandem-slots.c: windows in the
 * expert's zone across daylight-saving changes (Europe/Berlin and
 * America/New_York, both directions), windows past midnight, several and
 * overlapping windows, busy ranges that overlap or touch, buffers, minimum
 * notice, the grid, from/to clipping, errors, tandem_slots_contains against
 * compute, a randomized comparison with a naive reference, the speed for a
 * year of bookings, and the settings parsers. */
#include "tandem-slots.h"

#include <gio/gio.h>

#define MINUTE 60
#define HOUR 3600

static gint64
utc (int y, int mo, int d, int h, int mi)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (y, mo, d, h, mi, 0);
  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt);
}

static TandemWindow
win (int dow, const char *start, const char *end)
{
  TandemWindow w = { dow, 0, 0 };
  g_assert_true (tandem_parse_hhmm (start, &w.start_minute));
  g_assert_true (tandem_parse_hhmm (end, &w.end_minute));
  return w;
}

static TandemSlotQuery
query (const char *zone, const TandemWindow *windows, gsize n, int duration,
       gint64 from, gint64 to)
{
  TandemSlotQuery q = {
    .time_zone = zone,
    .windows = windows,
    .n_windows = n,
    .duration_minutes = duration,
    .now = from - 30 * 24 * HOUR,
    .from = from,
    .to = to,
  };
  return q;
}

static GArray *
compute (const TandemSlotQuery *q)
{
  g_autoptr(GError) error = NULL;
  GArray *slots = tandem_slots_compute (q, &error);
  g_assert_no_error (error);
  g_assert_nonnull (slots);
  /* Always sorted, no repeated start, every slot as long as asked. */
  for (guint i = 0; i < slots->len; i++)
    {
      TandemRange *r = &g_array_index (slots, TandemRange, i);
      g_assert_cmpint (r->end - r->start, ==, (gint64) q->duration_minutes * MINUTE);
      g_assert_cmpint (r->start, >=, q->from);
      g_assert_cmpint (r->end, <=, q->to);
      if (i > 0)
        g_assert_cmpint (r->start, >, g_array_index (slots, TandemRange, i - 1).start);
    }
  return slots;
}

static gint64
slot_start (GArray *slots, guint i)
{
  g_assert_cmpuint (i, <, slots->len);
  return g_array_index (slots, TandemRange, i).start;
}

static gint64
slot_last_end (GArray *slots)
{
  g_assert_cmpuint (slots->len, >, 0);
  return g_array_index (slots, TandemRange, slots->len - 1).end;
}

static gboolean
has_start (GArray *slots, gint64 start)
{
  for (guint i = 0; i < slots->len; i++)
    if (g_array_index (slots, TandemRange, i).start == start)
      return TRUE;
  return FALSE;
}

/* Slots of one window, 15-minute grid: (real length - duration) / 15 + 1. */
#define COUNT(window_seconds, duration) \
  ((window_seconds) < (duration) * MINUTE ? 0 : (int) (((window_seconds) - (duration) * MINUTE) / (15 * MINUTE) + 1))

/* A UTC time as year, month, day, hour, minute; a zero year: none. */
typedef int When[5];

static gint64
utc_when (const When t)
{
  return utc (t[0], t[1], t[2], t[3], t[4]);
}

/* One weekly window (@day, @start–@end in @zone) asked for slots of
 * @duration minutes over [@from, @to): @count of them (-1: not checked),
 * the first starting at @first and the last ending at @last_end, and the
 * starts @also among them. */
typedef struct {
  const char *path;
  const char *zone;
  int day;
  const char *start, *end;
  int duration;
  When from, to;
  int count;
  When first, last_end;
  When also[2];
} WindowCase;

static const WindowCase window_cases[] = {
  /* Monday 2025-01-06, Berlin in winter (UTC+1). */
  { "/slots/basic/winter", "Europe/Berlin", 1, "09:00", "12:00", 60,
    { 2025, 1, 6, 0, 0 }, { 2025, 1, 7, 0, 0 }, 9,
    { 2025, 1, 6, 8, 0 }, { 2025, 1, 6, 11, 0 }, { { 2025, 1, 6, 8, 15 } } },
  /* A whole week gives only that Monday; summer is UTC+2. */
  { "/slots/basic/summer", "Europe/Berlin", 1, "09:00", "12:00", 60,
    { 2025, 6, 1, 0, 0 }, { 2025, 6, 8, 0, 0 }, 9,
    { 2025, 6, 2, 7, 0 }, { 0 }, { { 0 } } },

  /* 2025-03-30 (Sunday): 02:00 CET (01:00 UTC) becomes 03:00 CEST.
   * 01:00 CET = 00:00 UTC, 05:00 CEST = 03:00 UTC: three real hours; a slot
   * over the change lasts a real hour: 00:30–01:30 UTC, shown as
   * 01:30 CET – 03:30 CEST. */
  { "/slots/dst/berlin-spring-forward/over-the-change", "Europe/Berlin", 0, "01:00", "05:00", 60,
    { 2025, 3, 29, 0, 0 }, { 2025, 3, 31, 0, 0 }, COUNT (3 * HOUR, 60),
    { 2025, 3, 30, 0, 0 }, { 2025, 3, 30, 3, 0 }, { { 2025, 3, 30, 0, 30 } } },
  /* The Sunday before (all CET) and after (all CEST): four real hours. */
  { "/slots/dst/berlin-spring-forward/week-before", "Europe/Berlin", 0, "01:00", "05:00", 60,
    { 2025, 3, 22, 0, 0 }, { 2025, 3, 24, 0, 0 }, COUNT (4 * HOUR, 60),
    { 2025, 3, 23, 0, 0 }, { 0 }, { { 0 } } },
  { "/slots/dst/berlin-spring-forward/week-after", "Europe/Berlin", 0, "01:00", "05:00", 60,
    { 2025, 4, 5, 0, 0 }, { 2025, 4, 7, 0, 0 }, COUNT (4 * HOUR, 60),
    { 2025, 4, 5, 23, 0 }, { 0 }, { { 0 } } },
  /* A window starting in the missing hour starts at 03:00 CEST. */
  { "/slots/dst/berlin-spring-forward/start-in-gap", "Europe/Berlin", 0, "02:30", "04:00", 30,
    { 2025, 3, 29, 0, 0 }, { 2025, 3, 31, 0, 0 }, 3,
    { 2025, 3, 30, 1, 0 }, { 2025, 3, 30, 2, 0 }, { { 0 } } },
  /* A window ending in it ends at the change. */
  { "/slots/dst/berlin-spring-forward/end-in-gap", "Europe/Berlin", 0, "00:00", "02:30", 60,
    { 2025, 3, 29, 0, 0 }, { 2025, 3, 31, 0, 0 }, COUNT (2 * HOUR, 60),
    { 2025, 3, 29, 23, 0 }, { 2025, 3, 30, 1, 0 }, { { 0 } } },
  /* A window inside the missing hour has no slot. */
  { "/slots/dst/berlin-spring-forward/inside-gap", "Europe/Berlin", 0, "02:00", "03:00", 15,
    { 2025, 3, 29, 0, 0 }, { 2025, 3, 31, 0, 0 }, 0,
    { 0 }, { 0 }, { { 0 } } },
  /* Saturday 22:00 → Sunday 04:00 over the change: five real hours. */
  { "/slots/dst/berlin-spring-forward/night-over-change", "Europe/Berlin", 6, "22:00", "04:00", 60,
    { 2025, 3, 29, 0, 0 }, { 2025, 3, 31, 0, 0 }, COUNT (5 * HOUR, 60),
    { 2025, 3, 29, 21, 0 }, { 2025, 3, 30, 2, 0 }, { { 0 } } },

  /* 2025-10-26 (Sunday): 03:00 CEST (01:00 UTC) becomes 02:00 CET.
   * 01:00 CEST = 23:00 UTC, 05:00 CET = 04:00 UTC: five real hours; both
   * 02:15 exist: 00:15 UTC (CEST) and 01:15 UTC (CET), both slots. */
  { "/slots/dst/berlin-fall-back/over-the-change", "Europe/Berlin", 0, "01:00", "05:00", 60,
    { 2025, 10, 25, 0, 0 }, { 2025, 10, 27, 0, 0 }, COUNT (5 * HOUR, 60),
    { 2025, 10, 25, 23, 0 }, { 2025, 10, 26, 4, 0 }, { { 2025, 10, 26, 0, 15 }, { 2025, 10, 26, 1, 15 } } },
  /* A window starting in the repeated hour starts at its first pass,
   * one ending in it ends at its second pass. */
  { "/slots/dst/berlin-fall-back/start-in-repeated-hour", "Europe/Berlin", 0, "02:30", "03:30", 30,
    { 2025, 10, 25, 0, 0 }, { 2025, 10, 27, 0, 0 }, COUNT (2 * HOUR, 30),
    { 2025, 10, 26, 0, 30 }, { 2025, 10, 26, 2, 30 }, { { 0 } } },
  { "/slots/dst/berlin-fall-back/end-in-repeated-hour", "Europe/Berlin", 0, "00:00", "02:30", 30,
    { 2025, 10, 25, 0, 0 }, { 2025, 10, 27, 0, 0 }, -1,
    { 2025, 10, 25, 22, 0 }, { 2025, 10, 26, 1, 30 }, { { 0 } } },

  /* 2025-03-09: 02:00 EST (07:00 UTC) becomes 03:00 EDT. */
  { "/slots/dst/new-york/spring-forward", "America/New_York", 0, "00:00", "06:00", 60,
    { 2025, 3, 8, 0, 0 }, { 2025, 3, 10, 12, 0 }, COUNT (5 * HOUR, 60),
    { 2025, 3, 9, 5, 0 }, { 2025, 3, 9, 10, 0 }, { { 0 } } },
  { "/slots/dst/new-york/missing-hour", "America/New_York", 0, "02:00", "03:00", 15,
    { 2025, 3, 8, 0, 0 }, { 2025, 3, 10, 12, 0 }, 0,
    { 0 }, { 0 }, { { 0 } } },
  /* 2025-11-02: 02:00 EDT (06:00 UTC) becomes 01:00 EST. */
  { "/slots/dst/new-york/fall-back", "America/New_York", 0, "00:00", "06:00", 60,
    { 2025, 11, 1, 0, 0 }, { 2025, 11, 3, 12, 0 }, COUNT (7 * HOUR, 60),
    { 2025, 11, 2, 4, 0 }, { 2025, 11, 2, 11, 0 }, { { 0 } } },
  /* 01:00 EDT = 05:00 UTC until 02:00 EST = 07:00 UTC. */
  { "/slots/dst/new-york/repeated-hour", "America/New_York", 0, "01:00", "02:00", 30,
    { 2025, 11, 1, 0, 0 }, { 2025, 11, 3, 12, 0 }, COUNT (2 * HOUR, 30),
    { 2025, 11, 2, 5, 0 }, { 2025, 11, 2, 7, 0 }, { { 0 } } },

  /* Friday 22:00 → Saturday 02:00, Berlin winter. */
  { "/slots/midnight/friday-night", "Europe/Berlin", 5, "22:00", "02:00", 60,
    { 2025, 1, 6, 0, 0 }, { 2025, 1, 13, 0, 0 }, COUNT (4 * HOUR, 60),
    { 2025, 1, 10, 21, 0 }, { 2025, 1, 11, 1, 0 }, { { 0 } } },
  /* Asked from Saturday 00:00 UTC: the Friday occurrence still counts. */
  { "/slots/midnight/asked-from-saturday", "Europe/Berlin", 5, "22:00", "02:00", 60,
    { 2025, 1, 11, 0, 0 }, { 2025, 1, 13, 0, 0 }, COUNT (1 * HOUR, 60),
    { 2025, 1, 11, 0, 0 }, { 0 }, { { 0 } } },

  /* Only what lies inside [from, to): 09:30, 09:45, 10:00. */
  { "/slots/clipping/inside-the-window", "UTC", 1, "09:00", "17:00", 60,
    { 2025, 1, 6, 9, 20 }, { 2025, 1, 6, 11, 0 }, 3,
    { 2025, 1, 6, 9, 30 }, { 2025, 1, 6, 11, 0 }, { { 0 } } },
  /* A range shorter than a session. */
  { "/slots/clipping/shorter-than-a-session", "UTC", 1, "09:00", "17:00", 60,
    { 2025, 1, 6, 9, 20 }, { 2025, 1, 6, 10, 15 }, 0,
    { 0 }, { 0 }, { { 0 } } },
};

static void
test_window_case (gconstpointer data)
{
  const WindowCase *c = data;
  TandemWindow w[] = { win (c->day, c->start, c->end) };
  TandemSlotQuery q = query (c->zone, w, 1, c->duration, utc_when (c->from), utc_when (c->to));
  g_autoptr(GArray) s = compute (&q);
  if (c->count >= 0)
    g_assert_cmpint (s->len, ==, c->count);
  if (c->first[0] != 0)
    g_assert_cmpint (slot_start (s, 0), ==, utc_when (c->first));
  if (c->last_end[0] != 0)
    g_assert_cmpint (slot_last_end (s), ==, utc_when (c->last_end));
  for (guint i = 0; i < G_N_ELEMENTS (c->also) && c->also[i][0] != 0; i++)
    g_assert_true (has_start (s, utc_when (c->also[i])));
}

/* Weekday windows before and after the change keep their local time. */
static void
test_berlin_fall_back_weekdays (void)
{
  TandemWindow day[] = { win (5, "09:00", "10:00"), win (1, "09:00", "10:00") };
  TandemSlotQuery q = query ("Europe/Berlin", day, 2, 60, utc (2025, 10, 20, 0, 0), utc (2025, 11, 1, 0, 0));
  g_autoptr(GArray) d = compute (&q);
  g_assert_cmpuint (d->len, ==, 4);
  g_assert_cmpint (slot_start (d, 0), ==, utc (2025, 10, 20, 7, 0));   /* Mon, CEST */
  g_assert_cmpint (slot_start (d, 1), ==, utc (2025, 10, 24, 7, 0));   /* Fri, CEST */
  g_assert_cmpint (slot_start (d, 2), ==, utc (2025, 10, 27, 8, 0));   /* Mon, CET */
  g_assert_cmpint (slot_start (d, 3), ==, utc (2025, 10, 31, 8, 0));   /* Fri, CET */
}

/* New York, weekdays before and after 2025-03-09: 09:00 is 14:00 UTC,
 * then 13:00 UTC. */
static void
test_new_york_weekdays (void)
{
  TandemWindow mon[] = { win (1, "09:00", "10:00"), win (5, "09:00", "10:00") };
  TandemSlotQuery q = query ("America/New_York", mon, 2, 60, utc (2025, 3, 3, 0, 0), utc (2025, 3, 11, 0, 0));
  g_autoptr(GArray) m = compute (&q);
  g_assert_cmpuint (m->len, ==, 3);
  g_assert_cmpint (slot_start (m, 0), ==, utc (2025, 3, 3, 14, 0));
  g_assert_cmpint (slot_start (m, 1), ==, utc (2025, 3, 7, 14, 0));
  g_assert_cmpint (slot_start (m, 2), ==, utc (2025, 3, 10, 13, 0));
}

static void
test_midnight_wrap (void)
{
  /* Saturday 23:00 → Sunday 01:00 wraps the week; 20:00–24:00 ends at
   * midnight; equal start and end is a whole day. */
  TandemWindow wrap[] = { win (6, "23:00", "01:00"), win (1, "20:00", "24:00"), win (3, "06:00", "06:00") };
  TandemSlotQuery q2 = query ("UTC", wrap, 3, 120, utc (2025, 1, 4, 0, 0), utc (2025, 1, 11, 0, 0));
  g_autoptr(GArray) s2 = compute (&q2);
  g_assert_true (has_start (s2, utc (2025, 1, 4, 23, 0)));    /* Sat → Sun */
  g_assert_true (has_start (s2, utc (2025, 1, 6, 22, 0)));    /* Mon, ends 24:00 */
  g_assert_false (has_start (s2, utc (2025, 1, 6, 22, 15)));
  g_assert_true (has_start (s2, utc (2025, 1, 8, 6, 0)));     /* Wed 06:00 … */
  g_assert_true (has_start (s2, utc (2025, 1, 9, 4, 0)));     /* … Thu 06:00 */
  g_assert_cmpuint (s2->len, ==, 1 + 9 + COUNT (24 * HOUR, 120));
}

static void
test_several_windows (void)
{
  /* Given out of order, one overlapping another on the same grid. */
  TandemWindow w[] = {
    win (1, "14:00", "15:00"),
    win (1, "09:30", "10:30"),
    win (1, "09:00", "10:00"),
  };
  TandemSlotQuery q = query ("UTC", w, G_N_ELEMENTS (w), 30, utc (2025, 1, 6, 0, 0), utc (2025, 1, 7, 0, 0));
  g_autoptr(GArray) s = compute (&q);
  gint64 expect[] = {
    utc (2025, 1, 6, 9, 0), utc (2025, 1, 6, 9, 15), utc (2025, 1, 6, 9, 30),
    utc (2025, 1, 6, 9, 45), utc (2025, 1, 6, 10, 0),
    utc (2025, 1, 6, 14, 0), utc (2025, 1, 6, 14, 15), utc (2025, 1, 6, 14, 30),
  };
  g_assert_cmpuint (s->len, ==, G_N_ELEMENTS (expect));
  for (guint i = 0; i < G_N_ELEMENTS (expect); i++)
    g_assert_cmpint (slot_start (s, i), ==, expect[i]);

  /* Adjacent windows do not join: no slot spans 10:00 over both. */
  TandemWindow adj[] = { win (1, "09:00", "10:00"), win (1, "10:00", "11:00") };
  q.windows = adj;
  q.n_windows = 2;
  q.duration_minutes = 60;
  g_autoptr(GArray) a = compute (&q);
  g_assert_cmpuint (a->len, ==, 2);
  g_assert_false (has_start (a, utc (2025, 1, 6, 9, 30)));

  /* No windows: no slots. */
  q.n_windows = 0;
  q.windows = NULL;
  g_autoptr(GArray) none = compute (&q);
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_busy (void)
{
  TandemWindow w[] = { win (1, "09:00", "17:00") };
  TandemRange busy[] = {
    { utc (2025, 1, 6, 12, 0), utc (2025, 1, 6, 12, 30) },   /* touches the next */
    { utc (2025, 1, 6, 10, 30), utc (2025, 1, 6, 12, 0) },
    { utc (2025, 1, 6, 10, 0), utc (2025, 1, 6, 11, 0) },    /* overlaps it */
    { utc (2025, 1, 6, 16, 0), utc (2025, 1, 6, 15, 0) },    /* inverted: ignored */
    { utc (2025, 1, 6, 16, 30), utc (2025, 1, 6, 16, 30) },  /* empty: ignored */
  };
  TandemSlotQuery q = query ("UTC", w, 1, 60, utc (2025, 1, 6, 0, 0), utc (2025, 1, 7, 0, 0));
  q.busy = busy;
  q.n_busy = G_N_ELEMENTS (busy);
  g_autoptr(GArray) s = compute (&q);
  /* 09:00 ends where the busy time begins; then 12:30 … 16:00. */
  g_assert_cmpint (slot_start (s, 0), ==, utc (2025, 1, 6, 9, 0));
  g_assert_cmpint (slot_start (s, 1), ==, utc (2025, 1, 6, 12, 30));
  g_assert_cmpuint (s->len, ==, 1 + COUNT (4 * HOUR + 30 * MINUTE, 60));
  g_assert_false (has_start (s, utc (2025, 1, 6, 9, 15)));
  g_assert_false (has_start (s, utc (2025, 1, 6, 12, 15)));

  /* Buffers: [start - 15, end + 10) must stay clear. */
  q.buffer_before_minutes = 15;
  q.buffer_after_minutes = 10;
  g_autoptr(GArray) b = compute (&q);
  g_assert_false (has_start (b, utc (2025, 1, 6, 9, 0)));      /* 10:10 > 10:00 */
  g_assert_cmpint (slot_start (b, 0), ==, utc (2025, 1, 6, 12, 45));
  g_assert_cmpuint (b->len, ==, COUNT (4 * HOUR + 15 * MINUTE, 60));
  /* A buffer may reach outside the window. */
  g_assert_cmpint (slot_last_end (b), ==, utc (2025, 1, 6, 17, 0));

  /* A busy range covering all: nothing. */
  TandemRange all = { utc (2025, 1, 1, 0, 0), utc (2025, 2, 1, 0, 0) };
  q.busy = &all;
  q.n_busy = 1;
  g_autoptr(GArray) n = compute (&q);
  g_assert_cmpuint (n->len, ==, 0);
}

static void
test_notice_and_grid (void)
{
  TandemWindow w[] = { win (1, "09:00", "17:00") };
  TandemSlotQuery q = query ("UTC", w, 1, 60, utc (2025, 1, 6, 0, 0), utc (2025, 1, 7, 0, 0));
  q.now = utc (2025, 1, 6, 8, 0);
  q.min_notice_seconds = 2 * HOUR;
  g_autoptr(GArray) s = compute (&q);
  g_assert_cmpint (slot_start (s, 0), ==, utc (2025, 1, 6, 10, 0));

  /* Off the grid: the next grid point. */
  q.now = utc (2025, 1, 6, 8, 5);
  g_autoptr(GArray) s2 = compute (&q);
  g_assert_cmpint (slot_start (s2, 0), ==, utc (2025, 1, 6, 10, 15));

  /* Notice past the day: nothing. */
  q.min_notice_seconds = 24 * HOUR;
  g_autoptr(GArray) s3 = compute (&q);
  g_assert_cmpuint (s3->len, ==, 0);

  /* The grid counts from the window's start, 15 minutes by default. */
  TandemWindow odd[] = { win (1, "09:10", "10:30") };
  TandemSlotQuery g = query ("UTC", odd, 1, 30, utc (2025, 1, 6, 0, 0), utc (2025, 1, 7, 0, 0));
  g_autoptr(GArray) gs = compute (&g);
  g_assert_cmpuint (gs->len, ==, 4);
  g_assert_cmpint (slot_start (gs, 0), ==, utc (2025, 1, 6, 9, 10));
  g_assert_cmpint (slot_start (gs, 3), ==, utc (2025, 1, 6, 9, 55));
  g.granularity_minutes = 30;
  g_autoptr(GArray) g30 = compute (&g);
  g_assert_cmpuint (g30->len, ==, 2);
  g_assert_cmpint (slot_start (g30, 1), ==, utc (2025, 1, 6, 9, 40));
}

static void
test_clipping_year (void)
{
  /* 366 days is the longest range. */
  TandemWindow w[] = { win (1, "09:00", "17:00") };
  TandemSlotQuery q = query ("UTC", w, 1, 60, utc (2025, 1, 1, 0, 0), utc (2025, 1, 1, 0, 0) + 366 * 24 * HOUR);
  g_autoptr(GArray) year = compute (&q);
  g_assert_cmpuint (year->len, ==, 52 * COUNT (8 * HOUR, 60));
}

/* @range_only: the fault is in from/to, which tandem_slots_contains
 * ignores. */
static void
expect_error_full (const TandemSlotQuery *q, gboolean range_only)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) s = tandem_slots_compute (q, &error);
  g_assert_null (s);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  if (range_only)
    return;
  g_assert_false (tandem_slots_contains (q, utc (2025, 1, 6, 9, 0), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
expect_error (const TandemSlotQuery *q)
{
  expect_error_full (q, FALSE);
}

static void
expect_range_error (const TandemSlotQuery *q)
{
  expect_error_full (q, TRUE);
}

static void
test_errors (void)
{
  TandemWindow w[] = { win (1, "09:00", "17:00") };
  TandemSlotQuery good = query ("Europe/Berlin", w, 1, 60, utc (2025, 1, 6, 0, 0), utc (2025, 1, 7, 0, 0));
  TandemSlotQuery q;

  const char *zones[] = { "Mars/Olympus", "", "/etc/localtime", "../zoneinfo/UTC",
                          "Europe/../Europe/Berlin", "Europe//Berlin", "CET-1CEST,M3.5.0,M10.5.0/3",
                          "<+01>-1", ":Europe/Berlin", "Europe/Berlin ", "XYZ3", "Europe", NULL };
  for (guint i = 0; i < G_N_ELEMENTS (zones); i++)
    {
      q = good;
      q.time_zone = zones[i];
      expect_error (&q);
    }
  g_assert_true (tandem_time_zone_valid_name ("America/Argentina/Buenos_Aires"));
  g_assert_true (tandem_time_zone_valid_name ("Etc/GMT+5"));
  g_autoptr(GTimeZone) tz = tandem_time_zone_new ("UTC", NULL);
  g_assert_nonnull (tz);

  TandemWindow bad[][1] = {
    { { 7, 540, 600 } }, { { -1, 540, 600 } }, { { 1, 1440, 1440 } },
    { { 1, -1, 600 } }, { { 1, 540, 1441 } }, { { 1, 540, -5 } },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      q = good;
      q.windows = bad[i];
      expect_error (&q);
    }

  q = good; q.duration_minutes = 0; expect_error (&q);
  q = good; q.duration_minutes = -30; expect_error (&q);
  q = good; q.buffer_before_minutes = -1; expect_error (&q);
  q = good; q.buffer_after_minutes = -1; expect_error (&q);
  q = good; q.granularity_minutes = -15; expect_error (&q);
  q = good; q.min_notice_seconds = -1; expect_error (&q);
  q = good; q.now = G_MAXINT64; expect_error (&q);
  q = good; q.to = q.from; expect_range_error (&q);
  q = good; q.to = q.from - 1; expect_range_error (&q);
  q = good; q.to = q.from + 367 * 24 * HOUR; expect_range_error (&q);
  q = good; q.from = G_MININT64; expect_range_error (&q);
  q = good; q.to = G_MAXINT64; expect_range_error (&q);
  g_autoptr(GError) error = NULL;
  g_assert_false (tandem_slots_contains (&good, G_MAXINT64, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  q = good; q.windows = NULL; expect_error (&q);
  q = good; q.n_busy = 3; expect_error (&q);
}

/* The server's re-check agrees with the list, start by start. */
static void
test_contains (void)
{
  TandemWindow w[] = { win (0, "00:00", "06:00"), win (6, "21:10", "01:40"), win (1, "08:00", "12:00") };
  TandemRange busy[] = {
    { utc (2025, 10, 26, 0, 50), utc (2025, 10, 26, 1, 20) },
    { utc (2025, 10, 27, 8, 0), utc (2025, 10, 27, 9, 5) },
  };
  TandemSlotQuery q = query ("Europe/Berlin", w, G_N_ELEMENTS (w), 45, utc (2025, 10, 25, 0, 0), utc (2025, 10, 28, 0, 0));
  q.busy = busy;
  q.n_busy = G_N_ELEMENTS (busy);
  q.buffer_before_minutes = 5;
  q.buffer_after_minutes = 10;
  q.now = utc (2025, 10, 25, 20, 3);
  q.min_notice_seconds = HOUR;
  g_autoptr(GArray) s = compute (&q);
  g_assert_cmpuint (s->len, >, 20);

  guint found = 0;
  for (gint64 t = q.from - 6 * HOUR; t < q.to + 6 * HOUR; t += 5 * MINUTE)
    {
      g_autoptr(GError) error = NULL;
      gboolean in = tandem_slots_contains (&q, t, &error);
      g_assert_no_error (error);
      /* Outside [from, to) compute says nothing: contains ignores them,
       * so compare there with a wider query. */
      if (t >= q.from && t + 45 * MINUTE <= q.to)
        g_assert_cmpint (in, ==, has_start (s, t));
      found += in;
    }
  g_assert_cmpuint (found, >=, s->len);

  /* Ignoring from/to: a slot outside the asked range is still one. */
  TandemSlotQuery narrow = q;
  narrow.from = utc (2025, 10, 27, 0, 0);
  narrow.to = utc (2025, 10, 27, 1, 0);
  g_assert_true (tandem_slots_contains (&narrow, utc (2025, 10, 27, 10, 0), NULL));
  g_assert_false (tandem_slots_contains (&narrow, utc (2025, 10, 27, 10, 1), NULL));
  g_assert_false (tandem_slots_contains (&narrow, utc (2025, 10, 27, 8, 30), NULL));  /* busy */
}

/* A naive reference for zone UTC: every grid point of every window
 * occurrence, checked against every busy range. */
static GArray *
reference (const TandemSlotQuery *q)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (TandemRange));
  gint64 step = (gint64) (q->granularity_minutes ? q->granularity_minutes : 15) * MINUTE;
  gint64 dur = (gint64) q->duration_minutes * MINUTE;
  for (gint64 day = q->from / 86400 - 2; day <= q->to / 86400 + 2; day++)
    for (gsize i = 0; i < q->n_windows; i++)
      {
        const TandemWindow *w = &q->windows[i];
        if (w->day_of_week != (int) ((day + 4) % 7))
          continue;
        gint64 ws = day * 86400 + w->start_minute * MINUTE;
        gint64 we = day * 86400 + w->end_minute * MINUTE + (w->end_minute <= w->start_minute ? 86400 : 0);
        for (gint64 s = ws; s + dur <= we; s += step)
          {
            if (s < q->from || s + dur > q->to || s < q->now + q->min_notice_seconds)
              continue;
            gboolean free_ = TRUE;
            for (gsize j = 0; j < q->n_busy && free_; j++)
              if (q->busy[j].end > q->busy[j].start &&
                  q->busy[j].start < s + dur + q->buffer_after_minutes * MINUTE &&
                  s - q->buffer_before_minutes * MINUTE < q->busy[j].end)
                free_ = FALSE;
            if (free_ && !has_start (out, s))
              {
                TandemRange r = { s, s + dur };
                g_array_append_val (out, r);
              }
          }
      }
  return out;
}

static int
by_start (gconstpointer a, gconstpointer b)
{
  gint64 x = ((const TandemRange *) a)->start, y = ((const TandemRange *) b)->start;
  return x < y ? -1 : x > y;
}

static void
test_random (void)
{
  for (int round = 0; round < 300; round++)
    {
      TandemWindow w[6];
      TandemRange busy[40];
      gsize nw = (gsize) g_test_rand_int_range (1, 7);
      gsize nb = (gsize) g_test_rand_int_range (0, 41);
      for (gsize i = 0; i < nw; i++)
        {
          w[i].day_of_week = g_test_rand_int_range (0, 7);
          w[i].start_minute = g_test_rand_int_range (0, 96) * 15 + (g_test_rand_bit () ? 0 : g_test_rand_int_range (0, 15));
          w[i].end_minute = g_test_rand_int_range (0, 97) * 15;
        }
      gint64 base = utc (2025, 1, 6, 0, 0);
      for (gsize i = 0; i < nb; i++)
        {
          busy[i].start = base + g_test_rand_int_range (-2, 16) * 86400 / 2 + g_test_rand_int_range (0, 96) * 15 * MINUTE;
          busy[i].end = busy[i].start + g_test_rand_int_range (-1, 12) * 10 * MINUTE;
        }
      TandemSlotQuery q = query ("UTC", w, nw, g_test_rand_int_range (1, 9) * 15,
                                 base + g_test_rand_int_range (0, 48) * 30 * MINUTE, 0);
      q.to = q.from + g_test_rand_int_range (1, 10 * 24) * HOUR;
      q.busy = busy;
      q.n_busy = nb;
      q.buffer_before_minutes = g_test_rand_int_range (0, 4) * 5;
      q.buffer_after_minutes = g_test_rand_int_range (0, 4) * 5;
      q.granularity_minutes = g_test_rand_bit () ? 0 : g_test_rand_int_range (1, 61);
      q.now = q.from + g_test_rand_int_range (-48, 48) * HOUR;
      q.min_notice_seconds = g_test_rand_int_range (0, 5) * HOUR;

      g_autoptr(GArray) fast = compute (&q);
      g_autoptr(GArray) slow = reference (&q);
      g_array_sort (slow, by_start);
      if (fast->len != slow->len)
        g_error ("round %d: %u slots, reference %u", round, fast->len, slow->len);
      for (guint i = 0; i < fast->len; i++)
        g_assert_cmpint (slot_start (fast, i), ==, slot_start (slow, i));
    }
}

/* An expert with a year of bookings (2000 busy ranges) and a 31-day query. */
static void
test_speed (void)
{
  TandemWindow w[] = {
    win (1, "08:00", "12:00"), win (1, "13:00", "18:00"),
    win (2, "08:00", "12:00"), win (2, "13:00", "18:00"),
    win (3, "08:00", "18:00"), win (4, "08:00", "18:00"),
    win (5, "08:00", "16:00"), win (6, "22:00", "02:00"),
  };
  gint64 year = utc (2025, 1, 1, 0, 0);
  g_autofree TandemRange *busy = g_new (TandemRange, 2000);
  for (int i = 0; i < 2000; i++)
    {
      /* Scattered over the year, in no order. */
      gint64 k = (gint64) ((i * 7919) % 2000);
      busy[i].start = year + k * (365 * 86400 / 2000) / (15 * MINUTE) * (15 * MINUTE);
      busy[i].end = busy[i].start + 75 * MINUTE;
    }
  TandemSlotQuery q = query ("Europe/Berlin", w, G_N_ELEMENTS (w), 60, utc (2025, 3, 15, 0, 0), utc (2025, 4, 15, 0, 0));
  q.busy = busy;
  q.n_busy = 2000;
  q.buffer_before_minutes = 10;
  q.buffer_after_minutes = 10;

  const int runs = 200;
  guint n = 0;
  gint64 t0 = g_get_monotonic_time ();
  for (int i = 0; i < runs; i++)
    {
      g_autoptr(GArray) s = tandem_slots_compute (&q, NULL);
      n = s->len;
    }
  gint64 per = (g_get_monotonic_time () - t0) / runs;
  g_test_message ("31 days, 2000 busy ranges: %u slots in %" G_GINT64_FORMAT " us", n, per);
  g_assert_cmpuint (n, >, 250);
  /* Well under a millisecond in a normal build; generous for sanitizers
   * and a busy machine. */
  g_assert_cmpint (per, <, 20000);
}

static void
test_parse_hhmm (void)
{
  struct { const char *text; int minutes; } good[] = {
    { "00:00", 0 }, { "09:30", 570 }, { "9:30", 570 }, { "23:59", 1439 }, { "24:00", 1440 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      int m = -1;
      g_assert_true (tandem_parse_hhmm (good[i].text, &m));
      g_assert_cmpint (m, ==, good[i].minutes);
    }
  const char *bad[] = { NULL, "", "24:01", "25:00", "12:60", "12:5", "123:00", "12-00",
                        " 12:00", "12:00 ", "12:00:00", ":30", "ab:cd", "-1:00", "12:+5" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    if (tandem_parse_hhmm (bad[i], NULL))
      g_error ("“%s” accepted", bad[i]);
}

static void
test_parse_duration (void)
{
  struct { const char *text; gint64 seconds; } good[] = {
    { "0", 0 }, { "0s", 0 }, { "90s", 90 }, { "15m", 900 }, { "2h", 7200 }, { "1d", 86400 },
    { "0m", 0 }, { "120m", 7200 }, { "9223372036854775807s", G_MAXINT64 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      gint64 s = -1;
      if (!tandem_parse_duration (good[i].text, &s))
        g_error ("“%s” refused", good[i].text);
      g_assert_cmpint (s, ==, good[i].seconds);
    }
  const char *bad[] = { NULL, "", "90", "-5m", "+5m", "5", "5 m", " 5m", "5m ", "5x", "m",
                        "1.5h", "5mm", "2h30m", "9223372036854775808s", "9223372036854775807m",
                        "99999999999999999999999s", "0x10s" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    if (tandem_parse_duration (bad[i], NULL))
      g_error ("“%s” accepted", bad[i] ? bad[i] : "(null)");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (window_cases); i++)
    g_test_add_data_func (window_cases[i].path, &window_cases[i], test_window_case);
  g_test_add_func ("/slots/dst/berlin-fall-back/weekdays", test_berlin_fall_back_weekdays);
  g_test_add_func ("/slots/dst/new-york/weekdays", test_new_york_weekdays);
  g_test_add_func ("/slots/midnight/wrap-and-whole-day", test_midnight_wrap);
  g_test_add_func ("/slots/several-windows", test_several_windows);
  g_test_add_func ("/slots/busy-and-buffers", test_busy);
  g_test_add_func ("/slots/notice-and-grid", test_notice_and_grid);
  g_test_add_func ("/slots/clipping/a-year", test_clipping_year);
  g_test_add_func ("/slots/errors", test_errors);
  g_test_add_func ("/slots/contains", test_contains);
  g_test_add_func ("/slots/random-vs-reference", test_random);
  g_test_add_func ("/slots/speed", test_speed);
  g_test_add_func ("/slots/parse/hhmm", test_parse_hhmm);
  g_test_add_func ("/slots/parse/duration", test_parse_duration);
  return g_test_run ();
}
