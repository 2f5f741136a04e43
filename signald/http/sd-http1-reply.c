/* sd-http1-reply.c — responses of the fast front end; see sd-http1-reply.h. */
#define G_LOG_DOMAIN "sd-http"

#include "http/sd-http1-reply.h"

#include "sd-log.h"

#include <libsoup/soup.h>
#include <string.h>
#include <time.h>

void
sd_http1_reply_init (SdHttp1Reply *reply)
{
  memset (reply, 0, sizeof *reply);
  reply->headers = g_string_sized_new (256);
  reply->content_type = g_string_sized_new (32);
}

void
sd_http1_reply_reset (SdHttp1Reply *reply)
{
  if (reply->body_free != NULL && reply->body_owner != NULL)
    reply->body_free (reply->body_owner);
  reply->status = 0;
  g_string_truncate (reply->headers, 0);
  g_string_truncate (reply->content_type, 0);
  reply->body = NULL;
  reply->body_len = 0;
  reply->body_owner = NULL;
  reply->body_free = NULL;
}

void
sd_http1_reply_clear (SdHttp1Reply *reply)
{
  if (reply->headers == NULL)
    return;
  sd_http1_reply_reset (reply);
  g_string_free (reply->headers, TRUE);
  g_string_free (reply->content_type, TRUE);
  reply->headers = NULL;
  reply->content_type = NULL;
}

/* Removes every "name: …\r\n" line of @headers. */
static void
remove_header (GString    *headers,
               const char *name,
               gsize       name_len)
{
  gsize pos = 0;
  while (pos < headers->len)
    {
      const char *line = headers->str + pos;
      const char *end = strstr (line, "\r\n");
      g_assert (end != NULL);
      gsize line_len = (gsize) (end - line) + 2;
      if (line_len > name_len && line[name_len] == ':' &&
          g_ascii_strncasecmp (line, name, name_len) == 0)
        g_string_erase (headers, (gssize) pos, (gssize) line_len);
      else
        pos += line_len;
    }
}

static gboolean
value_ok (const char *value)
{
  return strpbrk (value, "\r\n") == NULL;
}

void
sd_http1_reply_set_header (SdHttp1Reply *reply,
                           const char   *name,
                           const char   *value)
{
  if (g_ascii_strcasecmp (name, "Content-Type") == 0)
    {
      sd_http1_reply_set_content_type (reply, value);
      return;
    }
  if (g_ascii_strcasecmp (name, "Content-Length") == 0)
    return;
  g_return_if_fail (value_ok (name) && value_ok (value) && strchr (name, ':') == NULL);
  remove_header (reply->headers, name, strlen (name));
  g_string_append (reply->headers, name);
  g_string_append_len (reply->headers, ": ", 2);
  g_string_append (reply->headers, value);
  g_string_append_len (reply->headers, "\r\n", 2);
}

void
sd_http1_reply_set_content_type (SdHttp1Reply *reply,
                                 const char   *content_type)
{
  g_return_if_fail (content_type == NULL || value_ok (content_type));
  g_string_assign (reply->content_type, content_type != NULL ? content_type : "");
}

void
sd_http1_reply_set_body (SdHttp1Reply   *reply,
                         gconstpointer   data,
                         gsize           len,
                         gpointer        owner,
                         GDestroyNotify  free_func)
{
  if (reply->body_free != NULL && reply->body_owner != NULL)
    reply->body_free (reply->body_owner);
  reply->body = data;
  reply->body_len = len;
  reply->body_owner = owner;
  reply->body_free = free_func;
}

const char *
sd_http1_date_now (SdHttp1Date *date)
{
  static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
  static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  struct timespec ts;
  clock_gettime (CLOCK_REALTIME, &ts);
  if (ts.tv_sec != date->second || date->text[0] == '\0')
    {
      struct tm tm;
      time_t t = ts.tv_sec;
      gmtime_r (&t, &tm);
      g_snprintf (date->text, sizeof date->text, "%s, %02d %s %04d %02d:%02d:%02d GMT",
                  days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900,
                  tm.tm_hour, tm.tm_min, tm.tm_sec);
      date->second = ts.tv_sec;
    }
  return date->text;
}

/* Appends @n in decimal. */
static void
append_uint (GString *out,
             guint64  n)
{
  char digits[24];
  gsize i = sizeof digits;
  do
    {
      digits[--i] = (char) ('0' + n % 10);
      n /= 10;
    }
  while (n > 0);
  g_string_append_len (out, digits + i, (gssize) (sizeof digits - i));
}

static void
append_head_start (GString           *out,
                   guint              status,
                   SdHttp1WriteFlags  flags,
                   SdHttp1Date       *date)
{
  g_string_append_len (out, (flags & SD_HTTP1_WRITE_HTTP10) ? "HTTP/1.0 " : "HTTP/1.1 ", 9);
  append_uint (out, status);
  g_string_append_c (out, ' ');
  g_string_append (out, soup_status_get_phrase (status));
  g_string_append_len (out, "\r\nServer: signald\r\nDate: ", 25);
  g_string_append (out, sd_http1_date_now (date));
  g_string_append_len (out, "\r\n", 2);
}

static void
append_head_end (GString           *out,
                 guint              status,
                 gsize              body_len,
                 SdHttp1WriteFlags  flags)
{
  /* RFC 9110: no Content-Length in 1xx and 204 responses. */
  if (status != 204 && status >= 200)
    {
      g_string_append_len (out, "Content-Length: ", 16);
      append_uint (out, body_len);
      g_string_append_len (out, "\r\n", 2);
    }
  if (flags & SD_HTTP1_WRITE_CLOSE)
    g_string_append_len (out, "Connection: close\r\n", 19);
  else if (flags & SD_HTTP1_WRITE_KEEP_ALIVE)
    g_string_append_len (out, "Connection: keep-alive\r\n", 24);
  g_string_append_len (out, "\r\n", 2);
}

void
sd_http1_reply_write (SdHttp1Reply      *reply,
                      SdHttp1WriteFlags  flags,
                      SdHttp1Date       *date,
                      GString           *out)
{
  guint status = reply->status != 0 ? reply->status : 500;
  gboolean no_body = (flags & SD_HTTP1_WRITE_HEAD) || status == 204 || status == 304 || status < 200;

  append_head_start (out, status, flags, date);
  g_string_append_len (out, reply->headers->str, (gssize) reply->headers->len);
  if (reply->content_type->len > 0)
    {
      g_string_append_len (out, "Content-Type: ", 14);
      g_string_append_len (out, reply->content_type->str, (gssize) reply->content_type->len);
      g_string_append_len (out, "\r\n", 2);
    }
  append_head_end (out, status, reply->body_len, flags);
  if (!no_body && reply->body_len > 0)
    g_string_append_len (out, reply->body, (gssize) reply->body_len);
}

void
sd_http1_write_error (GString           *out,
                      guint              status,
                      const char        *code,
                      const char        *message,
                      SdHttp1WriteFlags  flags,
                      SdHttp1Date       *date)
{
  g_autoptr(GString) body = g_string_sized_new (128);
  g_string_append (body, "{\"error\":{\"code\":");
  sd_log_append_json_string (body, code);
  g_string_append (body, ",\"message\":");
  sd_log_append_json_string (body, message);
  g_string_append (body, "}}");

  append_head_start (out, status, flags, date);
  g_string_append (out, "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n"
                        "Content-Type: application/json\r\n");
  append_head_end (out, status, body->len, flags);
  if (!(flags & SD_HTTP1_WRITE_HEAD))
    g_string_append_len (out, body->str, (gssize) body->len);
}
