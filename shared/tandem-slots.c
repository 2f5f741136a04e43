/* tandem-slots.c — free booking slots (see tandem-slots.h).
 *
 * How: every window occurrence of the asked range (local days, two days of
 * margin on each side for offsets and windows past midnight) is turned into
 * a UTC interval; the busy ranges that can touch the range are sorted once
 * and merged into disjoint runs; each occurrence then walks its grid and
 * jumps over the runs, so the work is O(busy · log busy + slots), not
 * O(slots × busy).
 */
#include "tandem-slots.h"

#include <gio/gio.h>
#include <string.h>

#define DAY_SECONDS (G_GINT64_CONSTANT (86400))
/* 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z: keeps every sum below far
 * from overflow and inside what GDateTime can show. */
#define MIN_TIME (G_GINT64_CONSTANT (-62135596800))
#define MAX_TIME (G_GINT64_CONSTANT (253402300799))
#define MAX_RANGE (366 * DAY_SECONDS)
#define MAX_BUFFER_MINUTES (7 * 24 * 60)
#define MAX_DURATION_MINUTES (7 * 24 * 60)

static gboolean
invalid (GError **error, const char *message)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, message);
  return FALSE;
}

static gint64
floor_div (gint64 a, gint64 b)
{
  gint64 q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0)))
    q--;
  return q;
}

/* The smallest multiple count k >= 0 with base + k·step >= target. */
static gint64
steps_to_reach (gint64 base, gint64 step, gint64 target)
{
  if (target <= base)
    return 0;
  return (target - base + step - 1) / step;
}

/* ------------------------------------------------------------ time zones */

gboolean
tandem_time_zone_valid_name (const char *name)
{
  if (name == NULL || name[0] == '\0' || strlen (name) > 64)
    return FALSE;
  /* Area/Location names only: no paths ("/etc/…", "..") and no POSIX TZ
   * rule strings with ',' or ':' that GLib would also accept. */
  if (!g_ascii_isalpha (name[0]))
    return FALSE;
  for (const char *p = name; *p; p++)
    {
      if (!(g_ascii_isalnum (*p) || *p == '_' || *p == '-' || *p == '+' || *p == '/'))
        return FALSE;
      if (*p == '/' && (p[1] == '/' || p[1] == '\0'))
        return FALSE;
    }
  return strstr (name, "..") == NULL;
}

/* Loading a zone reads and parses its TZif file (≈200 µs, more than the
 * whole slot computation), so zones are kept for the life of the process.
 * Only zones that loaded are kept: at most the few hundred of tzdata. */
static GMutex zone_lock;
static GHashTable *zone_cache;   /* name → GTimeZone */

/* GLib also takes POSIX TZ rules ("XYZ3") as identifiers: accept only names
 * of installed tzdata files (and "UTC"). */
static gboolean
zone_is_installed (const char *name)
{
  if (g_str_equal (name, "UTC"))
    return TRUE;
  const char *dir = g_getenv ("TZDIR");
  g_autofree char *path = g_build_filename (dir && *dir ? dir : "/usr/share/zoneinfo", name, NULL);
  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

GTimeZone *
tandem_time_zone_new (const char *name, GError **error)
{
  GTimeZone *tz = NULL;

  if (tandem_time_zone_valid_name (name))
    {
      g_mutex_lock (&zone_lock);
      if (zone_cache == NULL)
        zone_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) g_time_zone_unref);
      tz = g_hash_table_lookup (zone_cache, name);
      if (tz == NULL && zone_is_installed (name))
        {
          tz = g_time_zone_new_identifier (name);
          if (tz != NULL)
            g_hash_table_insert (zone_cache, g_strdup (name), tz);
        }
      if (tz != NULL)
        g_time_zone_ref (tz);
      g_mutex_unlock (&zone_lock);
    }
  if (tz == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 "unknown time zone “%s”", name ? name : "(null)");
  return tz;
}

static gint32
offset_at (GTimeZone *tz, gint64 utc)
{
  gint interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, utc);
  g_assert (interval >= 0);   /* UNIVERSAL lookups always find one */
  return g_time_zone_get_offset (tz, interval);
}

typedef enum {
  LOCAL_EARLIEST,   /* an ambiguous local time: its first occurrence */
  LOCAL_LATEST,     /* … its second occurrence */
} LocalChoice;

/* The UTC instant of the wall-clock time @local (seconds since 1970-01-01
 * 00:00 local).  Offsets are taken a day before and after, so at most one
 * transition lies between (true of every real zone).  A time in a gap maps
 * to the transition itself: the first instant after the gap. */
static gint64
local_to_utc (GTimeZone *tz, gint64 local, LocalChoice choice)
{
  gint32 before = offset_at (tz, local - DAY_SECONDS);
  gint32 after = offset_at (tz, local + DAY_SECONDS);

  if (before == after && offset_at (tz, local - before) == before)
    return local - before;

  gint64 a = local - before, b = local - after;
  gboolean a_ok = offset_at (tz, a) == before;
  gboolean b_ok = offset_at (tz, b) == after;
  if (a_ok && b_ok)
    return choice == LOCAL_EARLIEST ? MIN (a, b) : MAX (a, b);
  if (a_ok)
    return a;
  if (b_ok)
    return b;

  /* In the gap (after > before): b < transition <= a.  Find the first
   * instant whose offset is no longer the one of b. */
  gint64 lo = MIN (a, b), hi = MAX (a, b);
  gint32 lo_offset = offset_at (tz, lo);
  while (hi - lo > 1)
    {
      gint64 mid = lo + (hi - lo) / 2;
      if (offset_at (tz, mid) == lo_offset)
        lo = mid;
      else
        hi = mid;
    }
  return hi;
}

/* ------------------------------------------------------------ parsing */

gboolean
tandem_parse_hhmm (const char *text, int *minutes)
{
  if (text == NULL)
    return FALSE;

  int h = 0, n = 0;
  const char *p = text;
  while (g_ascii_isdigit (*p) && n < 2)
    h = h * 10 + (*p++ - '0'), n++;
  if (n == 0 || *p != ':')
    return FALSE;
  p++;
  if (!g_ascii_isdigit (p[0]) || !g_ascii_isdigit (p[1]) || p[2] != '\0')
    return FALSE;
  int m = (p[0] - '0') * 10 + (p[1] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0))
    return FALSE;
  if (minutes)
    *minutes = h * 60 + m;
  return TRUE;
}

gboolean
tandem_parse_duration (const char *text, gint64 *seconds)
{
  if (text == NULL || !g_ascii_isdigit (text[0]))
    return FALSE;

  guint64 value = 0;
  const char *p = text;
  for (; g_ascii_isdigit (*p); p++)
    {
      guint64 digit = (guint64) (*p - '0');
      if (value > ((guint64) G_MAXINT64 - digit) / 10)
        return FALSE;
      value = value * 10 + digit;
    }

  guint64 unit;
  switch (*p)
    {
    case '\0': unit = 0; break;
    case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    default: return FALSE;
    }
  if (unit == 0)
    {
      /* A bare number is only allowed for zero: "90" could mean anything. */
      if (value != 0)
        return FALSE;
      unit = 1;
    }
  else if (p[1] != '\0')
    return FALSE;
  if (value > (guint64) G_MAXINT64 / unit)
    return FALSE;
  if (seconds)
    *seconds = (gint64) (value * unit);
  return TRUE;
}

/* ------------------------------------------------------------ slots */

static int
compare_ranges (gconstpointer a, gconstpointer b)
{
  const TandemRange *x = a, *y = b;
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  if (x->end != y->end)
    return x->end < y->end ? -1 : 1;
  return 0;
}

static gboolean
check_query (const TandemSlotQuery *q, GError **error)
{
  if (q->n_windows > 0 && q->windows == NULL)
    return invalid (error, "windows missing");
  if (q->n_busy > 0 && q->busy == NULL)
    return invalid (error, "busy ranges missing");
  for (gsize i = 0; i < q->n_windows; i++)
    {
      const TandemWindow *w = &q->windows[i];
      if (w->day_of_week < 0 || w->day_of_week > 6 ||
          w->start_minute < 0 || w->start_minute > 1439 ||
          w->end_minute < 0 || w->end_minute > 1440)
        return invalid (error, "malformed availability window");
    }
  if (q->duration_minutes <= 0 || q->duration_minutes > MAX_DURATION_MINUTES)
    return invalid (error, "duration out of range");
  if (q->buffer_before_minutes < 0 || q->buffer_before_minutes > MAX_BUFFER_MINUTES ||
      q->buffer_after_minutes < 0 || q->buffer_after_minutes > MAX_BUFFER_MINUTES)
    return invalid (error, "buffer out of range");
  if (q->granularity_minutes < 0 || q->granularity_minutes > 1440)
    return invalid (error, "granularity out of range");
  if (q->min_notice_seconds < 0 || q->min_notice_seconds > MAX_RANGE * 10)
    return invalid (error, "minimum notice out of range");
  if (q->from < MIN_TIME || q->from > MAX_TIME || q->to < MIN_TIME || q->to > MAX_TIME ||
      q->now < MIN_TIME || q->now > MAX_TIME)
    return invalid (error, "time out of range");
  if (q->from >= q->to)
    return invalid (error, "empty range: from must lie before to");
  if (q->to - q->from > MAX_RANGE)
    return invalid (error, "range longer than 366 days");
  return TRUE;
}

/* Sorted, disjoint, non-adjacent runs of the busy ranges that meet
 * [lo, hi); empty or inverted ranges are ignored. */
static GArray *
merge_busy (const TandemSlotQuery *q, gint64 lo, gint64 hi)
{
  GArray *runs = g_array_new (FALSE, FALSE, sizeof (TandemRange));

  for (gsize i = 0; i < q->n_busy; i++)
    {
      const TandemRange *r = &q->busy[i];
      if (r->end > r->start && r->end > lo && r->start < hi)
        g_array_append_val (runs, *r);
    }
  if (runs->len < 2)
    return runs;

  g_array_sort (runs, compare_ranges);
  TandemRange *v = (TandemRange *) runs->data;
  guint out = 0;
  for (guint i = 1; i < runs->len; i++)
    {
      if (v[i].start <= v[out].end)
        v[out].end = MAX (v[out].end, v[i].end);
      else
        v[++out] = v[i];
    }
  g_array_set_size (runs, out + 1);
  return runs;
}

/* The first run with end > t. */
static guint
first_run_ending_after (const GArray *runs, gint64 t)
{
  const TandemRange *v = (const TandemRange *) runs->data;
  guint lo = 0, hi = runs->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (v[mid].end <= t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* Appends the free slots of one window occurrence [ws, we). */
static void
walk_occurrence (const TandemSlotQuery *q,
                 const GArray          *runs,
                 gint64                 ws,
                 gint64                 we,
                 gint64                 lower,
                 GArray                *out)
{
  const TandemRange *v = (const TandemRange *) runs->data;
  gint64 step = (gint64) (q->granularity_minutes ? q->granularity_minutes : 15) * 60;
  gint64 duration = (gint64) q->duration_minutes * 60;
  gint64 before = (gint64) q->buffer_before_minutes * 60;
  gint64 after = (gint64) q->buffer_after_minutes * 60;
  gint64 end_limit = MIN (we, q->to);

  gint64 s = ws + steps_to_reach (ws, step, lower) * step;
  guint j = first_run_ending_after (runs, s - before);

  while (s + duration <= end_limit)
    {
      while (j < runs->len && v[j].end <= s - before)
        j++;
      if (j < runs->len && v[j].start < s + duration + after)
        {
          /* Next grid point whose buffered block starts after this run. */
          s = ws + steps_to_reach (ws, step, v[j].end + before) * step;
          continue;
        }
      TandemRange slot = { s, s + duration };
      g_array_append_val (out, slot);
      s += step;
    }
}

GArray *
tandem_slots_compute (const TandemSlotQuery *query, GError **error)
{
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_query (query, error))
    return NULL;
  g_autoptr(GTimeZone) tz = tandem_time_zone_new (query->time_zone, error);
  if (tz == NULL)
    return NULL;

  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (TandemRange));
  gint64 lower = MAX (query->from, query->now + query->min_notice_seconds);
  if (lower >= query->to || query->n_windows == 0)
    return g_steal_pointer (&out);

  gint64 before = (gint64) query->buffer_before_minutes * 60;
  gint64 after = (gint64) query->buffer_after_minutes * 60;
  g_autoptr(GArray) runs = merge_busy (query, lower - before, query->to + after);

  /* Local days: offsets lie within ±1 day, windows last at most 1 day. */
  gint64 first_day = floor_div (lower, DAY_SECONDS) - 2;
  gint64 last_day = floor_div (query->to, DAY_SECONDS) + 2;
  gboolean sorted = TRUE;
  gint64 last_start = G_MININT64;

  for (gint64 day = first_day; day <= last_day; day++)
    {
      /* 1970-01-01 was a Thursday (4). */
      int dow = (int) (((day % 7) + 7 + 4) % 7);
      gint64 midnight = day * DAY_SECONDS;

      for (gsize i = 0; i < query->n_windows; i++)
        {
          const TandemWindow *w = &query->windows[i];
          if (w->day_of_week != dow)
            continue;
          gint64 end_local = midnight + (gint64) w->end_minute * 60;
          if (w->end_minute <= w->start_minute)
            end_local += DAY_SECONDS;
          gint64 ws = local_to_utc (tz, midnight + (gint64) w->start_minute * 60, LOCAL_EARLIEST);
          gint64 we = local_to_utc (tz, end_local, LOCAL_LATEST);
          if (we <= lower || ws >= query->to || we <= ws)
            continue;

          guint before_len = out->len;
          walk_occurrence (query, runs, ws, we, lower, out);
          if (out->len > before_len)
            {
              const TandemRange *first = &g_array_index (out, TandemRange, before_len);
              if (first->start <= last_start)
                sorted = FALSE;
              last_start = g_array_index (out, TandemRange, out->len - 1).start;
            }
        }
    }

  if (!sorted)
    {
      /* Overlapping windows: order and drop repeated slots. */
      g_array_sort (out, compare_ranges);
      TandemRange *v = (TandemRange *) out->data;
      guint n = 0;
      for (guint i = 0; i < out->len; i++)
        if (n == 0 || v[i].start != v[n - 1].start)
          v[n++] = v[i];
      g_array_set_size (out, n);
    }
  return g_steal_pointer (&out);
}

gboolean
tandem_slots_contains (const TandemSlotQuery *query,
                       gint64                 start,
                       GError               **error)
{
  g_return_val_if_fail (query != NULL, FALSE);

  /* A slot is kept by the clip only when it starts at or after from and
   * ends at or before to: with [start, start + duration) as the range
   * nothing but the slot at @start can pass, and the grid does not depend
   * on from, so this is exactly compute's answer. */
  if (start < MIN_TIME || start > MAX_TIME)
    return invalid (error, "time out of range");
  TandemSlotQuery q = *query;
  q.from = start;
  q.to = start + (gint64) CLAMP (query->duration_minutes, 1, MAX_DURATION_MINUTES) * 60;

  g_autoptr(GArray) slots = tandem_slots_compute (&q, error);
  if (slots == NULL)
    return FALSE;
  for (guint i = 0; i < slots->len; i++)
    if (g_array_index (slots, TandemRange, i).start == start)
      return TRUE;
  return FALSE;
}
