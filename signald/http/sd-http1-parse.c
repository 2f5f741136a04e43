/* sd-http1-parse.c — strict HTTP/1.1 request head parser; see sd-http1-parse.h. */
#include "http/sd-http1-parse.h"

#include <string.h>

/* Character classes, one bit each. */
enum {
  C_TCHAR = 1 << 0,   /* token (RFC 9110 5.6.2) */
  C_PATH  = 1 << 1,   /* plain path characters the front end serves itself */
  C_VALUE = 1 << 2,   /* field-value: HTAB, SP, VCHAR, obs-text */
  C_CTL   = 1 << 3,   /* controls: 0x00-0x1f, 0x7f */
};

static guint8 classes[256];

static void
init_classes (void)
{
  static gsize done = 0;
  if (!g_once_init_enter (&done))
    return;
  for (guint c = 0; c < 256; c++)
    {
      guint8 k = 0;
      gboolean alnum = g_ascii_isalnum ((char) c);
      if (alnum || (c != 0 && strchr ("!#$%&'*+-.^_`|~", (int) c) != NULL))
        k |= C_TCHAR;
      if (alnum || (c != 0 && strchr ("-._~!$&'()*+,;=:@/", (int) c) != NULL))
        k |= C_PATH;
      if (c == '\t' || (c >= 0x20 && c != 0x7f))
        k |= C_VALUE;
      if (c < 0x20 || c == 0x7f)
        k |= C_CTL;
      classes[c] = k;
    }
  g_once_init_leave (&done, 1);
}

#define IS(c, k) ((classes[(guint8) (c)] & (k)) != 0)

gsize
sd_http1_find_head_end (const char *buf,
                        gsize       len,
                        gsize      *scan)
{
  gsize i = *scan;
  while (i < len)
    {
      const char *nl = memchr (buf + i, '\n', len - i);
      if (nl == NULL)
        break;
      gsize p = (gsize) (nl - buf);
      /* Is this line break followed by an empty line? */
      if (p + 1 >= len)
        {
          *scan = p;
          return 0;
        }
      if (buf[p + 1] == '\n')
        return p + 2;
      if (buf[p + 1] == '\r')
        {
          if (p + 2 >= len)
            {
              *scan = p;
              return 0;
            }
          if (buf[p + 2] == '\n')
            return p + 3;
        }
      i = p + 1;
    }
  *scan = len;
  return 0;
}

static SdHttp1ParseResult
fail (SdHttp1Head *head,
      guint        status,
      const char  *message)
{
  head->error_status = status;
  head->error_message = message;
  return SD_HTTP1_PARSE_ERROR;
}

static gboolean
name_is (const SdHttp1Header *h,
         const char          *name,
         gsize                len)
{
  return h->name_len == len && g_ascii_strncasecmp (h->name, name, len) == 0;
}
#define NAME_IS(h, lit) name_is ((h), lit, sizeof lit - 1)

/* Classifies the request target: only a plain path with an optional plain
 * query is served by the front end. */
static void
parse_target (SdHttp1Head *head,
              const char  *t,
              gsize        len)
{
  gsize i = 0;
  head->path = t;
  head->path_len = len;
  if (len == 0 || t[0] != '/')
    {
      head->handoff |= SD_HTTP1_HANDOFF_TARGET;
      return;
    }
  for (; i < len && t[i] != '?'; i++)
    {
      if (!IS (t[i], C_PATH))
        {
          head->handoff |= SD_HTTP1_HANDOFF_TARGET;
          return;
        }
      /* Dot segments ("/./", "/../", a trailing "/." or "/..") are
       * resolved by libsoup; rare enough to leave to it. */
      if (t[i] == '.' && t[i - 1] == '/')
        {
          gsize j = i + 1;
          if (j < len && t[j] == '.')
            j++;
          if (j == len || t[j] == '/' || t[j] == '?')
            {
              head->handoff |= SD_HTTP1_HANDOFF_TARGET;
              return;
            }
        }
    }
  head->path_len = i;
  if (i < len)
    {
      head->query = t + i + 1;
      head->query_len = len - i - 1;
      for (gsize j = i + 1; j < len; j++)
        if (t[j] == '#' || t[j] <= 0x20 || (guint8) t[j] >= 0x7f)
          {
            head->handoff |= SD_HTTP1_HANDOFF_TARGET;
            return;
          }
    }
}

static SdHttp1ParseResult
parse_request_line (SdHttp1Head *head,
                    const char  *line,
                    gsize        len)
{
  gsize i = 0, start;

  for (gsize j = 0; j < len; j++)
    if (IS (line[j], C_CTL))
      return fail (head, 400, "the request line holds a control character");

  while (i < len && IS (line[i], C_TCHAR))
    i++;
  if (i == 0 || i == len || line[i] != ' ')
    return fail (head, 400, "the request line does not start with a method");
  head->method = line;
  head->method_len = i;

  start = i;
  while (i < len && line[i] == ' ')
    i++;
  if (i - start > 1)
    head->handoff |= SD_HTTP1_HANDOFF_LINE_SPACES;

  start = i;
  while (i < len && line[i] != ' ')
    i++;
  if (i == start)
    return fail (head, 400, "the request line has no target");
  parse_target (head, line + start, i - start);

  start = i;
  while (i < len && line[i] == ' ')
    i++;
  if (i - start > 1)
    head->handoff |= SD_HTTP1_HANDOFF_LINE_SPACES;

  if (len - i == 8 && memcmp (line + i, "HTTP/1.1", 8) == 0)
    head->version = 1;
  else if (len - i == 8 && memcmp (line + i, "HTTP/1.0", 8) == 0)
    head->version = 0;
  else
    head->handoff |= SD_HTTP1_HANDOFF_VERSION;
  return SD_HTTP1_PARSE_OK;
}

/* "close", "keep-alive", "upgrade" in a Connection list. */
static void
parse_connection (SdHttp1Head *head,
                  const char  *v,
                  gsize        len)
{
  gsize i = 0;
  while (i < len)
    {
      while (i < len && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
        i++;
      gsize start = i;
      while (i < len && v[i] != ',' && v[i] != ' ' && v[i] != '\t')
        i++;
      gsize n = i - start;
      if (n == 5 && g_ascii_strncasecmp (v + start, "close", 5) == 0)
        head->close = TRUE;
      else if (n == 10 && g_ascii_strncasecmp (v + start, "keep-alive", 10) == 0)
        head->keep_alive = TRUE;
    }
}

static SdHttp1ParseResult
parse_header_line (SdHttp1Head *head,
                   const char  *line,
                   gsize        len)
{
  gsize i = 0;

  if (line[0] == ' ' || line[0] == '\t')
    return fail (head, 400, "obsolete line folding is not accepted");
  while (i < len && IS (line[i], C_TCHAR))
    i++;
  if (i == len || line[i] != ':')
    {
      if (i < len && (line[i] == ' ' || line[i] == '\t'))
        return fail (head, 400, "white space between a header name and its colon");
      return fail (head, 400, "a header line is not NAME: VALUE");
    }
  if (i == 0)
    return fail (head, 400, "a header has an empty name");
  if (head->n_headers == SD_HTTP1_MAX_HEADERS)
    return fail (head, 431, "the request has too many header fields");

  SdHttp1Header *h = &head->headers[head->n_headers++];
  h->name = line;
  h->name_len = i;
  i++;
  while (i < len && (line[i] == ' ' || line[i] == '\t'))
    i++;
  gsize end = len;
  while (end > i && (line[end - 1] == ' ' || line[end - 1] == '\t'))
    end--;
  for (gsize j = i; j < end; j++)
    if (!IS (line[j], C_VALUE))
      return fail (head, 400, "a header value holds a control character");
  h->value = line + i;
  h->value_len = end - i;
  return SD_HTTP1_PARSE_OK;
}

SdHttp1ParseResult
sd_http1_parse_head (const char  *buf,
                     gsize        len,
                     gsize        max_head,
                     SdHttp1Head *head)
{
  gsize scan = 0, pos = 0;
  guint hosts = 0, authorizations = 0, content_types = 0;
  gboolean transfer = FALSE;

  init_classes ();
  memset (head, 0, offsetof (SdHttp1Head, headers));
  head->content_length = -1;

  gsize end = sd_http1_find_head_end (buf, MIN (len, max_head), &scan);
  if (end == 0)
    {
      if (len >= max_head)
        return fail (head, 431, "the request head is too large");
      return SD_HTTP1_PARSE_INCOMPLETE;
    }
  head->head_len = end;

  for (guint line_no = 0; pos < end; line_no++)
    {
      const char *nl = memchr (buf + pos, '\n', end - pos);
      g_assert (nl != NULL);   /* the head ends with a line break */
      gsize line_end = (gsize) (nl - buf);
      gsize content_end = line_end;
      if (content_end > pos && buf[content_end - 1] == '\r')
        content_end--;
      else
        head->handoff |= SD_HTTP1_HANDOFF_LINE_ENDS;
      const char *line = buf + pos;
      gsize line_len = content_end - pos;
      pos = line_end + 1;

      if (line_len == 0)
        {
          /* An empty line first: libsoup skips such lines before a request. */
          if (line_no == 0)
            {
              head->handoff |= SD_HTTP1_HANDOFF_LINE_ENDS;
              return SD_HTTP1_PARSE_OK;
            }
          break;
        }
      SdHttp1ParseResult r = line_no == 0 ? parse_request_line (head, line, line_len)
                                          : parse_header_line (head, line, line_len);
      if (r != SD_HTTP1_PARSE_OK)
        return r;
    }

  for (guint i = 0; i < head->n_headers; i++)
    {
      const SdHttp1Header *h = &head->headers[i];
      if (NAME_IS (h, "Content-Length"))
        {
          guint64 n = 0;
          if (head->content_length >= 0)
            return fail (head, 400, "the request has two Content-Length fields");
          if (h->value_len == 0 || h->value_len > 18)
            return fail (head, 400, "Content-Length is not a number of bytes");
          for (gsize j = 0; j < h->value_len; j++)
            {
              if (!g_ascii_isdigit (h->value[j]))
                return fail (head, 400, "Content-Length is not a number of bytes");
              n = n * 10 + (guint64) (h->value[j] - '0');
            }
          head->content_length = (gint64) n;
        }
      else if (NAME_IS (h, "Transfer-Encoding"))
        transfer = TRUE;
      else if (NAME_IS (h, "Host"))
        hosts++;
      else if (NAME_IS (h, "Authorization"))
        authorizations++;
      else if (NAME_IS (h, "Content-Type"))
        content_types++;
      else if (NAME_IS (h, "Connection"))
        parse_connection (head, h->value, h->value_len);
      else if (NAME_IS (h, "Expect"))
        head->handoff |= SD_HTTP1_HANDOFF_EXPECT;
      else if (NAME_IS (h, "Upgrade"))
        head->handoff |= SD_HTTP1_HANDOFF_UPGRADE;
      else if (NAME_IS (h, "Range"))
        head->handoff |= SD_HTTP1_HANDOFF_RANGE;
    }

  if (transfer && head->content_length >= 0)
    return fail (head, 400, "the request has both Content-Length and Transfer-Encoding");
  if (transfer)
    head->handoff |= SD_HTTP1_HANDOFF_TRANSFER;
  if (hosts > 1)
    return fail (head, 400, "the request has two Host fields");
  if (authorizations > 1 || content_types > 1)
    return fail (head, 400, "the request repeats a header that may appear once");
  if (hosts == 0 && head->version == 1 && !(head->handoff & SD_HTTP1_HANDOFF_VERSION))
    return fail (head, 400, "an HTTP/1.1 request needs a Host field");
  if (head->version == 0 && !head->keep_alive)
    head->close = TRUE;
  return SD_HTTP1_PARSE_OK;
}

const char *
sd_http1_head_get (const SdHttp1Head *head,
                   const char        *name,
                   gsize             *len)
{
  gsize n = strlen (name);
  for (guint i = 0; i < head->n_headers; i++)
    if (name_is (&head->headers[i], name, n))
      {
        *len = head->headers[i].value_len;
        return head->headers[i].value;
      }
  *len = 0;
  return NULL;
}
