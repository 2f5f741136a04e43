/* sd-log.c — buffered per-worker request log; see sd-log.h. */
#include "sd-log.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Flush when this much is waiting, or this long after the first line. */
#define FLUSH_BYTES  (16 * 1024)
#define FLUSH_MS     250

struct _SdLog {
  int fd;
  GMainContext *context;
  GString *buf;
  GSource *timer;
  time_t second;               /* of second_text */
  char second_text[32];        /* "2026-11-22T02:31:12" */
};

SdLog *
sd_log_new (int           fd,
            GMainContext *context)
{
  SdLog *log = g_new0 (SdLog, 1);
  log->fd = fd;
  log->context = context != NULL ? g_main_context_ref (context) : NULL;
  log->buf = g_string_sized_new (FLUSH_BYTES + 1024);
  return log;
}

void
sd_log_flush (SdLog *log)
{
  gsize done = 0;
  while (done < log->buf->len)
    {
      gssize n = write (log->fd, log->buf->str + done, log->buf->len - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;   /* stdout gone: drop the log rather than block serving */
      done += (gsize) n;
    }
  g_string_truncate (log->buf, 0);
  if (log->timer != NULL)
    {
      g_source_destroy (log->timer);
      g_clear_pointer (&log->timer, g_source_unref);
    }
}

void
sd_log_free (SdLog *log)
{
  if (log == NULL)
    return;
  sd_log_flush (log);
  g_string_free (log->buf, TRUE);
  if (log->context != NULL)
    g_main_context_unref (log->context);
  g_free (log);
}

static gboolean
flush_timeout (gpointer data)
{
  SdLog *log = data;
  /* The source is being dispatched: let sd_log_flush() only drop our ref. */
  g_clear_pointer (&log->timer, g_source_unref);
  sd_log_flush (log);
  return G_SOURCE_REMOVE;
}

void
sd_log_append_json_string (GString    *out,
                           const char *s)
{
  g_string_append_c (out, '"');
  const char *p = s;
  const char *end = s + strlen (s);
  while (p < end)
    {
      /* Plain printable ASCII goes out as a block. */
      const char *run = p;
      while (p < end && (guchar) *p >= 0x20 && (guchar) *p < 0x7f && *p != '"' && *p != '\\')
        p++;
      if (p > run)
        {
          g_string_append_len (out, run, p - run);
          continue;
        }
      gunichar c = g_utf8_get_char_validated (p, end - p);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append (out, "\\ufffd");
          p++;
          continue;
        }
      const char *next = g_utf8_next_char (p);
      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) c);
        }
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_len (out, p, next - p);
      p = next;
    }
  g_string_append_c (out, '"');
}

/* Appends @n in decimal, at least @width digits. */
static void
append_uint (GString *out,
             guint64  n,
             guint    width)
{
  char digits[24];
  guint i = sizeof digits;
  do
    {
      digits[--i] = (char) ('0' + n % 10);
      n /= 10;
    }
  while (n > 0 || sizeof digits - i < width);
  g_string_append_len (out, digits + i, (gssize) (sizeof digits - i));
}

void
sd_log_request (SdLog              *log,
                const SdLogRequest *e)
{
  GString *b = log->buf;
  struct timespec ts;
  clock_gettime (CLOCK_REALTIME, &ts);
  /* Formatted without printf (this runs for every request); the date and
   * time to the second change once a second. */
  if (ts.tv_sec != log->second || log->second_text[0] == '\0')
    {
      struct tm tm;
      gmtime_r (&ts.tv_sec, &tm);
      g_snprintf (log->second_text, sizeof log->second_text, "%04d-%02d-%02dT%02d:%02d:%02d",
                  tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
      log->second = ts.tv_sec;
    }
  g_string_append (b, "{\"ts\":\"");
  g_string_append (b, log->second_text);
  g_string_append_c (b, '.');
  append_uint (b, (guint64) (ts.tv_nsec / 1000), 6);
  g_string_append (b, "Z\",\"msg\":\"request\",\"method\":");
  sd_log_append_json_string (b, e->method);
  g_string_append (b, ",\"path\":");
  sd_log_append_json_string (b, e->path);
  g_string_append (b, ",\"status\":");
  append_uint (b, e->status, 1);
  gint64 us = MAX (e->duration_us, 0);
  g_string_append (b, ",\"duration_ms\":");
  append_uint (b, (guint64) (us / 1000), 1);
  g_string_append_c (b, '.');
  append_uint (b, (guint64) (us % 1000), 3);
  g_string_append (b, ",\"user_id\":");
  if (e->user_id != NULL)
    sd_log_append_json_string (b, e->user_id);
  else
    g_string_append (b, "null");
  g_string_append (b, ",\"ip\":");
  sd_log_append_json_string (b, e->ip != NULL ? e->ip : "");
  g_string_append (b, ",\"worker\":");
  append_uint (b, e->worker, 1);
  g_string_append (b, "}\n");

  if (b->len >= FLUSH_BYTES || log->context == NULL)
    sd_log_flush (log);
  else if (log->timer == NULL)
    {
      log->timer = g_timeout_source_new (FLUSH_MS);
      g_source_set_callback (log->timer, flush_timeout, log, NULL);
      g_source_attach (log->timer, log->context);
    }
}
