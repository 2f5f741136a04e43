/* sd-mailer.c — formatting RFC 5322 / MIME messages and delivering them by
 * SMTP (libcurl) or into a spool directory.
 *
 * Everything that ends up in a header is validated first: line breaks in any
 * header field and recipient addresses that are more than a bare
 * local@domain are refused, so a caller can never inject headers.  Message
 * bodies are never logged (they carry invitation codes and tokens). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#define G_LOG_DOMAIN "sd-mailer"

#include "sd-mailer.h"

#include "tandem-error.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_ADDRESS_LEN     254
#define MAX_LOCAL_PART_LEN  64
#define MAX_LABEL_LEN       63
#define MAX_FILENAME_LEN    200
#define HEADER_WIDTH        78   /* soft limit for header lines */
#define QP_WIDTH            76   /* RFC 2045 limit for encoded lines */
#define B64_WIDTH           76
#define EW_PAYLOAD_MAX      45   /* bytes of Q text in one encoded-word */

#define SMTP_CONNECT_TIMEOUT_S  30L
#define SMTP_STALL_TIMEOUT_S    30L
#define SMTP_TOTAL_TIMEOUT_S    120L

struct _SdMailer {
  char *smtp_url;
  char *smtp_username;
  char *smtp_password;
  char *from_name;      /* display name, may be NULL */
  char *from_addr;      /* local@domain */
  const char *from_domain;  /* points into from_addr */
  char *spool_dir;
};

/* --- validation ---------------------------------------------------------- */

static gboolean
has_line_break (const char *s)
{
  return s != NULL && strpbrk (s, "\r\n") != NULL;
}

static gboolean
is_atext (char c)
{
  return c != '\0' && (g_ascii_isalnum (c) || strchr ("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* A dot-atom local part and a host name, nothing else: no display name, no
 * comments, no quoting, no IP literals, ASCII only. */
static gboolean
address_is_plain (const char *addr)
{
  if (addr == NULL)
    return FALSE;

  gsize len = strlen (addr);
  const char *at = strchr (addr, '@');
  if (len == 0 || len > MAX_ADDRESS_LEN || at == NULL || strchr (at + 1, '@') != NULL)
    return FALSE;

  gsize local_len = (gsize) (at - addr);
  if (local_len == 0 || local_len > MAX_LOCAL_PART_LEN)
    return FALSE;
  gboolean after_dot = TRUE;
  for (const char *p = addr; p < at; p++)
    {
      if (*p == '.')
        {
          if (after_dot)
            return FALSE;
          after_dot = TRUE;
        }
      else if (is_atext (*p))
        after_dot = FALSE;
      else
        return FALSE;
    }
  if (after_dot)
    return FALSE;

  const char *domain = at + 1;
  gsize label_len = 0;
  if (*domain == '\0')
    return FALSE;
  for (const char *p = domain; ; p++)
    {
      if (*p == '.' || *p == '\0')
        {
          if (label_len == 0 || p[-1] == '-')
            return FALSE;
          if (*p == '\0')
            break;
          label_len = 0;
        }
      else if (g_ascii_isalnum (*p) || (*p == '-' && label_len > 0))
        {
          if (++label_len > MAX_LABEL_LEN)
            return FALSE;
        }
      else
        return FALSE;
    }
  return TRUE;
}

/* A header text field: UTF-8, no line breaks. */
static gboolean
check_header_text (const char  *value,
                   const char  *what,
                   GError     **error)
{
  if (value == NULL)
    return TRUE;
  if (has_line_break (value))
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                   "the mail's %s contains a line break", what);
      return FALSE;
    }
  if (!g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                   "the mail's %s is not valid UTF-8", what);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_address (const char  *addr,
               const char  *what,
               GError     **error)
{
  if (has_line_break (addr))
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                   "the %s address contains a line break", what);
      return FALSE;
    }
  if (!address_is_plain (addr))
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                   "the %s address is not a plain address (local@domain)", what);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_token_char (char c)
{
  /* RFC 2045 token: any CHAR except SPACE, CTLs and tspecials. */
  return c > 0x20 && c < 0x7f && strchr ("()<>@,;:\\\"/[]?=", c) == NULL;
}

static const char *
skip_token (const char *p)
{
  while (is_token_char (*p))
    p++;
  return p;
}

static const char *
skip_ws (const char *p)
{
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

/* "type/subtype" followed by any number of "; attribute=value" parameters,
 * value a token or a quoted string: the form a caller may pass as
 * attachment_type, e.g. "text/calendar; method=REQUEST". */
static gboolean
content_type_is_valid (const char *type)
{
  const char *p = type, *q;

  if ((q = skip_token (p)) == p || *q != '/')
    return FALSE;
  p = q + 1;
  if ((q = skip_token (p)) == p)
    return FALSE;
  p = skip_ws (q);
  while (*p == ';')
    {
      p = skip_ws (p + 1);
      if ((q = skip_token (p)) == p || *q != '=')
        return FALSE;
      p = q + 1;
      if (*p == '"')
        {
          for (p++; *p != '"'; p++)
            {
              if (*p == '\\' && p[1] >= 0x20 && p[1] < 0x7f)
                p++;
              else if (*p < 0x20 || *p >= 0x7f)  /* includes the NUL */
                return FALSE;
            }
          p++;
        }
      else if ((q = skip_token (p)) == p)
        return FALSE;
      else
        p = q;
      p = skip_ws (p);
    }
  return *p == '\0';
}

/* Whether the valid content type @type has a parameter @name
 * (case-insensitive). */
static gboolean
content_type_has_param (const char *type,
                        const char *name)
{
  gsize name_len = strlen (name);
  const char *p = skip_token (skip_token (type) + 1);

  for (p = skip_ws (p); *p == ';'; p = skip_ws (p))
    {
      p = skip_ws (p + 1);
      const char *q = skip_token (p);
      if ((gsize) (q - p) == name_len && g_ascii_strncasecmp (p, name, name_len) == 0)
        return TRUE;
      p = q + 1;
      if (*p == '"')
        {
          for (p++; *p != '"'; p++)
            if (*p == '\\')
              p++;
          p++;
        }
      else
        p = skip_token (p);
    }
  return FALSE;
}

/* Is the valid content type @type "type/subtype" (case-insensitive)? */
static gboolean
content_type_is (const char *type,
                 const char *type_subtype)
{
  gsize len = strlen (type_subtype);
  return g_ascii_strncasecmp (type, type_subtype, len) == 0 && !is_token_char (type[len]);
}

/* A calendar invitation goes into the body's alternatives as well. */
static gboolean
is_calendar_invitation (const char *type)
{
  return type != NULL && content_type_is (type, "text/calendar") &&
         content_type_has_param (type, "method");
}

static gboolean
check_attachment_name (const char  *name,
                       GError     **error)
{
  if (!check_header_text (name, "attachment name", error))
    return FALSE;
  if (strlen (name) > MAX_FILENAME_LEN)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, "the attachment name is too long");
      return FALSE;
    }
  for (const guchar *p = (const guchar *) name; *p; p++)
    if (*p < 0x20 || *p == 0x7f)
      {
        g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                     "the attachment name contains a control character");
        return FALSE;
      }
  return TRUE;
}

static gboolean
validate_mail (const SdMail  *mail,
               GError       **error)
{
  if (!check_address (mail->to, "recipient", error) ||
      !check_header_text (mail->to_name, "recipient name", error) ||
      !check_header_text (mail->subject, "subject", error))
    return FALSE;

  if ((mail->text != NULL && !g_utf8_validate (mail->text, -1, NULL)) ||
      (mail->html != NULL && !g_utf8_validate (mail->html, -1, NULL)))
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, "the mail's body is not valid UTF-8");
      return FALSE;
    }

  if (mail->n_attachments > 0 && mail->attachments == NULL)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, "the mail's attachments are missing");
      return FALSE;
    }
  for (gsize i = 0; i < mail->n_attachments; i++)
    {
      const SdMailAttachment *a = &mail->attachments[i];
      if (a->data == NULL)
        {
          g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, "an attachment has no data");
          return FALSE;
        }
      if (a->filename != NULL && !check_attachment_name (a->filename, error))
        return FALSE;
      if (a->content_type != NULL &&
          (has_line_break (a->content_type) || !content_type_is_valid (a->content_type)))
        {
          g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                       "the attachment type is not a MIME type");
          return FALSE;
        }
    }
  return TRUE;
}

/* Splits "Name <addr>", "\"Name\" <addr>" or "addr". */
static gboolean
parse_from (const char  *from,
            char       **name_out,
            char       **addr_out,
            GError     **error)
{
  g_autofree char *name = NULL;
  g_autofree char *addr = NULL;

  if (from == NULL)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, "no sender address configured");
      return FALSE;
    }
  if (!check_header_text (from, "sender", error))
    return FALSE;

  const char *lt = strchr (from, '<');
  if (lt == NULL)
    addr = g_strstrip (g_strdup (from));
  else
    {
      const char *gt = strchr (lt, '>');
      if (gt == NULL || *skip_ws (gt + 1) != '\0')
        {
          g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                       "the sender “%s” is not “Name <address>” or “address”", from);
          return FALSE;
        }
      addr = g_strndup (lt + 1, (gsize) (gt - lt - 1));
      name = g_strstrip (g_strndup (from, (gsize) (lt - from)));
      gsize n = strlen (name);
      if (n >= 2 && name[0] == '"' && name[n - 1] == '"')
        {
          /* Undo the quoting; the name is re-quoted or encoded on output. */
          GString *plain = g_string_new (NULL);
          for (gsize i = 1; i + 1 < n; i++)
            {
              if (name[i] == '\\' && i + 2 < n)
                i++;
              g_string_append_c (plain, name[i]);
            }
          g_free (name);
          name = g_string_free (plain, FALSE);
        }
      if (*name == '\0')
        g_clear_pointer (&name, g_free);
    }

  if (!address_is_plain (addr))
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                   "the sender address in “%s” is not a plain address (local@domain)", from);
      return FALSE;
    }
  *name_out = g_steal_pointer (&name);
  *addr_out = g_steal_pointer (&addr);
  return TRUE;
}

/* --- header encoding ----------------------------------------------------- */

static const char hex_digits[] = "0123456789ABCDEF";

static gboolean
needs_encoding (const char *s)
{
  for (const guchar *p = (const guchar *) s; *p; p++)
    if (*p < 0x20 || *p >= 0x7f)
      return TRUE;
  return strstr (s, "=?") != NULL;
}

/* Appends @utf8 as RFC 2047 "Q" encoded-words to @atoms, each short enough
 * to fit a header line, never splitting a UTF-8 character.  Only the
 * characters allowed in a phrase are left as they are, so the result can be
 * used for display names as well as for the subject. */
static void
add_encoded_words (GPtrArray  *atoms,
                   const char *utf8)
{
  g_autoptr(GString) word = g_string_new (NULL);
  char chunk[4 * 3 * 2];

  for (const char *p = utf8; *p; p = g_utf8_next_char (p))
    {
      const char *next = g_utf8_next_char (p);
      gsize n = 0;
      for (const guchar *b = (const guchar *) p; b < (const guchar *) next; b++)
        {
          if (*b == ' ')
            chunk[n++] = '_';
          else if (g_ascii_isalnum (*b) || strchr ("!*+-/", *b) != NULL)
            chunk[n++] = (char) *b;
          else
            {
              chunk[n++] = '=';
              chunk[n++] = hex_digits[*b >> 4];
              chunk[n++] = hex_digits[*b & 0xf];
            }
        }
      if (word->len > 0 && word->len + n > EW_PAYLOAD_MAX)
        {
          g_ptr_array_add (atoms, g_strdup_printf ("=?utf-8?Q?%s?=", word->str));
          g_string_truncate (word, 0);
        }
      g_string_append_len (word, chunk, (gssize) n);
    }
  if (word->len > 0)
    g_ptr_array_add (atoms, g_strdup_printf ("=?utf-8?Q?%s?=", word->str));
}

/* Unstructured text (the subject): words separated by single spaces so the
 * header can be folded at them, or encoded-words when the text is not plain
 * ASCII or has a word too long to fold. */
static void
add_unstructured (GPtrArray  *atoms,
                  const char *text)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  gboolean encode = needs_encoding (text);

  for (guint i = 0; !encode && words[i] != NULL; i++)
    if (strlen (words[i]) > HEADER_WIDTH - 10)
      encode = TRUE;
  if (encode)
    {
      add_encoded_words (atoms, text);
      return;
    }
  for (guint i = 0; words[i] != NULL; i++)
    g_ptr_array_add (atoms, g_strdup (words[i]));
}

static void
add_phrase (GPtrArray  *atoms,
            const char *name)
{
  gboolean atoms_only = TRUE;

  if (needs_encoding (name) || strlen (name) > HEADER_WIDTH - 10)
    {
      add_encoded_words (atoms, name);
      return;
    }
  for (const char *p = name; *p; p++)
    if (!is_atext (*p) && *p != ' ')
      atoms_only = FALSE;
  if (atoms_only)
    {
      g_auto(GStrv) words = g_strsplit (name, " ", -1);
      for (guint i = 0; words[i] != NULL; i++)
        if (*words[i] != '\0')
          g_ptr_array_add (atoms, g_strdup (words[i]));
      return;
    }

  GString *quoted = g_string_new ("\"");
  for (const char *p = name; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (quoted, '\\');
      g_string_append_c (quoted, *p);
    }
  g_string_append_c (quoted, '"');
  g_ptr_array_add (atoms, g_string_free (quoted, FALSE));
}

static void
add_mailbox (GPtrArray  *atoms,
             const char *name,
             const char *addr)
{
  if (name == NULL || *name == '\0')
    {
      g_ptr_array_add (atoms, g_strdup (addr));
      return;
    }
  add_phrase (atoms, name);
  g_ptr_array_add (atoms, g_strdup_printf ("<%s>", addr));
}

/* "Name: atom atom …", folded before an atom where the line would grow past
 * HEADER_WIDTH.  Unfolding restores the single spaces between the atoms. */
static void
append_header_atoms (GString    *out,
                     const char *name,
                     GPtrArray  *atoms)
{
  gsize line_start = out->len;

  g_string_append_printf (out, "%s:", name);
  for (guint i = 0; i < atoms->len; i++)
    {
      const char *atom = g_ptr_array_index (atoms, i);
      gsize col = out->len - line_start;
      if (i > 0 && *atom != '\0' && col + 1 + strlen (atom) > HEADER_WIDTH)
        {
          g_string_append (out, "\r\n");
          line_start = out->len;
        }
      g_string_append_c (out, ' ');
      g_string_append (out, atom);
    }
  g_string_append (out, "\r\n");
}

static void
append_date (GString *out)
{
  static const char *const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  if (now == NULL)
    now = g_date_time_new_now_utc ();

  gint64 offset_min = g_date_time_get_utc_offset (now) / G_TIME_SPAN_MINUTE;
  char sign = offset_min < 0 ? '-' : '+';
  if (offset_min < 0)
    offset_min = -offset_min;

  /* Not g_date_time_format(): %a and %b are localised there. */
  g_string_append_printf (out, "Date: %s, %02d %s %04d %02d:%02d:%02d %c%02d%02d\r\n",
                          days[g_date_time_get_day_of_week (now) - 1],
                          g_date_time_get_day_of_month (now),
                          months[g_date_time_get_month (now) - 1],
                          g_date_time_get_year (now),
                          g_date_time_get_hour (now),
                          g_date_time_get_minute (now),
                          g_date_time_get_second (now),
                          sign, (int) (offset_min / 60), (int) (offset_min % 60));
}

/* --- body encoding ------------------------------------------------------- */

/* Quoted-printable (RFC 2045 §6.7) with every line break in @text (LF, CRLF
 * or CR) turned into CRLF, lines of at most QP_WIDTH characters, and a
 * CRLF at the end. */
static void
append_qp (GString    *out,
           const char *text)
{
  gsize start = out->len;
  gsize col = 0;

  for (const guchar *p = (const guchar *) text; *p; p++)
    {
      if (*p == '\r' || *p == '\n')
        {
          if (*p == '\r' && p[1] == '\n')
            p++;
          g_string_append (out, "\r\n");
          col = 0;
          continue;
        }

      gboolean at_eol = p[1] == '\0' || p[1] == '\r' || p[1] == '\n';
      char token[3];
      gsize n;
      if ((*p >= 33 && *p <= 126 && *p != '=') || ((*p == ' ' || *p == '\t') && !at_eol))
        {
          token[0] = (char) *p;
          n = 1;
        }
      else
        {
          token[0] = '=';
          token[1] = hex_digits[*p >> 4];
          token[2] = hex_digits[*p & 0xf];
          n = 3;
        }
      /* Leave room for the '=' of a soft line break. */
      if (col + n > QP_WIDTH - 1)
        {
          g_string_append (out, "=\r\n");
          col = 0;
        }
      g_string_append_len (out, token, (gssize) n);
      col += n;
    }
  if (col > 0 || out->len == start)
    g_string_append (out, "\r\n");
}

static void
append_base64 (GString *out,
               GBytes  *data)
{
  gsize size = 0;
  const guchar *bytes = g_bytes_get_data (data, &size);
  g_autofree char *b64 = g_base64_encode (bytes, size);
  gsize len = strlen (b64);

  for (gsize i = 0; i < len; i += B64_WIDTH)
    {
      g_string_append_len (out, b64 + i, (gssize) MIN (B64_WIDTH, len - i));
      g_string_append (out, "\r\n");
    }
}

/* "=_" can occur neither in quoted-printable nor in base64 output, so the
 * boundary never collides with a part's content. */
static char *
new_boundary (void)
{
  return g_strdup_printf ("=_tandem_%08x%08x%08x",
                          g_random_int (), g_random_int (), g_random_int ());
}

static void
append_text_part (GString    *out,
                  const char *subtype,
                  const char *body)
{
  g_string_append_printf (out, "Content-Type: text/%s; charset=utf-8\r\n"
                               "Content-Transfer-Encoding: quoted-printable\r\n"
                               "\r\n", subtype);
  append_qp (out, body != NULL ? body : "");
}

/* The text, or text + HTML as multipart/alternative: headers and body of
 * one entity. */
static void
append_content (GString      *out,
                const SdMail *mail)
{
  if (mail->html == NULL)
    {
      append_text_part (out, "plain", mail->text);
      return;
    }

  g_autofree char *boundary = new_boundary ();
  g_string_append_printf (out, "Content-Type: multipart/alternative;\r\n"
                               " boundary=\"%s\"\r\n"
                               "\r\n", boundary);
  g_string_append_printf (out, "--%s\r\n", boundary);
  append_text_part (out, "plain", mail->text);
  g_string_append_printf (out, "--%s\r\n", boundary);
  append_text_part (out, "html", mail->html);
  g_string_append_printf (out, "--%s--\r\n", boundary);
}

/* A file name parameter: name="x" when that is possible, else the RFC 2231
 * form name*=utf-8''%XX… */
static void
append_filename_param (GString    *out,
                       const char *param,
                       const char *filename)
{
  gboolean plain = TRUE;
  for (const guchar *p = (const guchar *) filename; *p; p++)
    if (*p < 0x20 || *p >= 0x7f || *p == '"' || *p == '\\')
      plain = FALSE;

  if (plain)
    {
      g_string_append_printf (out, ";\r\n %s=\"%s\"", param, filename);
      return;
    }
  g_string_append_printf (out, ";\r\n %s*=utf-8''", param);
  for (const guchar *p = (const guchar *) filename; *p; p++)
    {
      if (g_ascii_isalnum (*p) || strchr ("!#$&+-.^_`|~", *p) != NULL)
        g_string_append_c (out, (char) *p);
      else
        g_string_append_printf (out, "%%%c%c", hex_digits[*p >> 4], hex_digits[*p & 0xf]);
    }
}

/* "Content-Type: TYPE" for an attachment, with charset=utf-8 added to a
 * text type that names none. */
static void
append_attachment_type (GString                *out,
                        const SdMailAttachment *a)
{
  const char *type = a->content_type != NULL ? a->content_type : "application/octet-stream";

  g_string_append_printf (out, "Content-Type: %s", type);
  if (g_ascii_strncasecmp (type, "text/", 5) == 0 && !content_type_has_param (type, "charset"))
    g_string_append (out, "; charset=utf-8");
}

static void
append_attachment (GString                *out,
                   const SdMailAttachment *a)
{
  const char *name = a->filename != NULL && *a->filename != '\0' ? a->filename : "attachment";

  append_attachment_type (out, a);
  append_filename_param (out, "name", name);
  g_string_append (out, "\r\nContent-Disposition: attachment");
  append_filename_param (out, "filename", name);
  g_string_append (out, "\r\nContent-Transfer-Encoding: base64\r\n\r\n");
  append_base64 (out, a->data);
}

/* The calendar alternative of the body: the invitation itself, inline. */
static void
append_calendar_alternative (GString                *out,
                             const SdMailAttachment *a)
{
  append_attachment_type (out, a);
  g_string_append (out, "\r\nContent-Transfer-Encoding: base64\r\n\r\n");
  append_base64 (out, a->data);
}

static gboolean
has_calendar_invitation (const SdMail *mail)
{
  for (gsize i = 0; i < mail->n_attachments; i++)
    if (is_calendar_invitation (mail->attachments[i].content_type))
      return TRUE;
  return FALSE;
}

/* The body with attachments: multipart/mixed holding the text (or
 * multipart/alternative of text, HTML and calendar invitations), then each
 * file. */
static void
append_mixed (GString      *out,
              const SdMail *mail)
{
  g_autofree char *boundary = new_boundary ();
  g_string_append_printf (out, "Content-Type: multipart/mixed;\r\n"
                               " boundary=\"%s\"\r\n"
                               "\r\n", boundary);
  g_string_append_printf (out, "--%s\r\n", boundary);
  if (!has_calendar_invitation (mail))
    append_content (out, mail);
  else
    {
      g_autofree char *inner = new_boundary ();
      g_string_append_printf (out, "Content-Type: multipart/alternative;\r\n"
                                   " boundary=\"%s\"\r\n"
                                   "\r\n", inner);
      g_string_append_printf (out, "--%s\r\n", inner);
      append_text_part (out, "plain", mail->text);
      if (mail->html != NULL)
        {
          g_string_append_printf (out, "--%s\r\n", inner);
          append_text_part (out, "html", mail->html);
        }
      for (gsize i = 0; i < mail->n_attachments; i++)
        if (is_calendar_invitation (mail->attachments[i].content_type))
          {
            g_string_append_printf (out, "--%s\r\n", inner);
            append_calendar_alternative (out, &mail->attachments[i]);
          }
      g_string_append_printf (out, "--%s--\r\n", inner);
    }
  for (gsize i = 0; i < mail->n_attachments; i++)
    {
      g_string_append_printf (out, "--%s\r\n", boundary);
      append_attachment (out, &mail->attachments[i]);
    }
  g_string_append_printf (out, "--%s--\r\n", boundary);
}

static char *
format_message (SdMailer      *mailer,
                const SdMail  *mail,
                GError       **error)
{
  if (!validate_mail (mail, error))
    return NULL;

  GString *out = g_string_sized_new (1024);
  g_autoptr(GPtrArray) atoms = g_ptr_array_new_with_free_func (g_free);

  append_date (out);

  add_mailbox (atoms, mailer->from_name, mailer->from_addr);
  append_header_atoms (out, "From", atoms);
  g_ptr_array_set_size (atoms, 0);

  add_mailbox (atoms, mail->to_name, mail->to);
  append_header_atoms (out, "To", atoms);
  g_ptr_array_set_size (atoms, 0);

  add_unstructured (atoms, mail->subject != NULL ? mail->subject : "");
  append_header_atoms (out, "Subject", atoms);
  g_ptr_array_set_size (atoms, 0);

  g_string_append_printf (out, "Message-ID: <%08x%08x%08x%08x@%s>\r\n",
                          g_random_int (), g_random_int (), g_random_int (), g_random_int (),
                          mailer->from_domain);
  g_string_append (out, "MIME-Version: 1.0\r\n"
                        "Auto-Submitted: auto-generated\r\n");

  if (mail->n_attachments == 0)
    append_content (out, mail);
  else
    append_mixed (out, mail);

  return g_string_free (out, FALSE);
}

/* --- spool --------------------------------------------------------------- */

static gboolean
ensure_spool_dir (const char  *dir,
                  GError     **error)
{
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "cannot create the mail spool “%s”: %s", dir, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_all (int          fd,
           const char  *data,
           gsize        len)
{
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      len -= (gsize) n;
    }
  return TRUE;
}

static gboolean
spool_message (SdMailer    *mailer,
               const char  *message,
               GError     **error)
{
  if (!ensure_spool_dir (mailer->spool_dir, error))
    return FALSE;

  g_autofree char *tmp_path = g_build_filename (mailer->spool_dir, ".tmp-XXXXXX", NULL);
  int fd = g_mkstemp_full (tmp_path, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "cannot create a file in the mail spool “%s”: %s",
                   mailer->spool_dir, g_strerror (saved));
      return FALSE;
    }

  int saved = 0;
  errno = 0;
  if (fchmod (fd, 0600) != 0 || !write_all (fd, message, strlen (message)) || fsync (fd) != 0)
    saved = errno != 0 ? errno : EIO;
  if (close (fd) != 0 && saved == 0)
    saved = errno;

  g_autofree char *name = g_strdup_printf ("%" G_GINT64_FORMAT "-%08x%08x.eml",
                                           g_get_real_time (), g_random_int (), g_random_int ());
  g_autofree char *path = g_build_filename (mailer->spool_dir, name, NULL);
  if (saved == 0 && g_rename (tmp_path, path) != 0)
    saved = errno;
  if (saved != 0)
    {
      g_unlink (tmp_path);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "cannot write a message to the mail spool “%s”: %s",
                   mailer->spool_dir, g_strerror (saved));
      return FALSE;
    }

  /* Make the rename durable; failing here only weakens crash safety. */
  int dir_fd = open (mailer->spool_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0)
    {
      (void) fsync (dir_fd);
      close (dir_fd);
    }

  g_debug ("spooled a message as %s", name);
  return TRUE;
}

/* --- SMTP ---------------------------------------------------------------- */

static gboolean
curl_ready (GError **error)
{
  static gsize state = 0;   /* 1: initialised, 2: curl_global_init failed */

  if (g_once_init_enter (&state))
    {
      CURLcode rc = curl_global_init (CURL_GLOBAL_DEFAULT);
      if (rc != CURLE_OK)
        g_warning ("curl_global_init failed: %s", curl_easy_strerror (rc));
      g_once_init_leave (&state, rc == CURLE_OK ? 1 : 2);
    }
  if (state != 1)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INTERNAL, "libcurl could not be initialised");
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  const char *data;
  gsize       len;
  gsize       pos;
} UploadState;

static size_t
upload_read (char   *buffer,
             size_t  size,
             size_t  nitems,
             void   *user_data)
{
  UploadState *upload = user_data;
  size_t n = MIN (size * nitems, upload->len - upload->pos);

  memcpy (buffer, upload->data + upload->pos, n);
  upload->pos += n;
  return n;
}

#define LAST_REPLY_MAX 200

/* Keeps the server's last 4xx/5xx reply line (curl hands SMTP responses to
 * the header callback), printable ASCII only, for the error message. */
static size_t
record_reply (char   *buffer,
              size_t  size,
              size_t  nitems,
              void   *user_data)
{
  char *last = user_data;
  size_t n = size * nitems;
  size_t j = 0;

  if (n == 0 || (buffer[0] != '4' && buffer[0] != '5'))
    return n;
  for (size_t i = 0; i < n && j < LAST_REPLY_MAX - 1; i++)
    if (buffer[i] >= 0x20 && buffer[i] < 0x7f)
      last[j++] = buffer[i];
  if (j > 0)
    last[j] = '\0';
  return n;
}

static gboolean
url_is_loopback (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;
  return g_strcmp0 (host, "127.0.0.1") == 0 || g_strcmp0 (host, "localhost") == 0 ||
         g_strcmp0 (host, "::1") == 0 || g_strcmp0 (host, "[::1]") == 0;
}

static gboolean
url_is_smtps (const char *url)
{
  return g_ascii_strncasecmp (url, "smtps://", 8) == 0;
}

static gboolean
send_smtp (SdMailer      *mailer,
           const SdMail  *mail,
           const char    *message,
           GError       **error)
{
  if (!curl_ready (error))
    return FALSE;

  CURL *curl = curl_easy_init ();
  if (curl == NULL)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INTERNAL, "cannot create a libcurl handle");
      return FALSE;
    }

  char errbuf[CURL_ERROR_SIZE] = "";
  char last_reply[LAST_REPLY_MAX] = "";
  UploadState upload = { message, strlen (message), 0 };
  g_autofree char *mail_from = g_strdup_printf ("<%s>", mailer->from_addr);
  g_autofree char *rcpt_to = g_strdup_printf ("<%s>", mail->to);
  struct curl_slist *rcpt = curl_slist_append (NULL, rcpt_to);

  curl_easy_setopt (curl, CURLOPT_URL, mailer->smtp_url);
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt (curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#endif
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt (curl, CURLOPT_HEADERFUNCTION, record_reply);
  curl_easy_setopt (curl, CURLOPT_HEADERDATA, last_reply);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT, SMTP_CONNECT_TIMEOUT_S);
  curl_easy_setopt (curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt (curl, CURLOPT_LOW_SPEED_TIME, SMTP_STALL_TIMEOUT_S);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, SMTP_TOTAL_TIMEOUT_S);
  /* Credentials never travel in clear text, except to a relay on this host. */
  gboolean need_tls = url_is_smtps (mailer->smtp_url) ||
                      (mailer->smtp_username != NULL && !url_is_loopback (mailer->smtp_url));
  curl_easy_setopt (curl, CURLOPT_USE_SSL, need_tls ? (long) CURLUSESSL_ALL : (long) CURLUSESSL_TRY);
  if (mailer->smtp_username != NULL)
    curl_easy_setopt (curl, CURLOPT_USERNAME, mailer->smtp_username);
  if (mailer->smtp_password != NULL)
    curl_easy_setopt (curl, CURLOPT_PASSWORD, mailer->smtp_password);
  curl_easy_setopt (curl, CURLOPT_MAIL_FROM, mail_from);
  curl_easy_setopt (curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt (curl, CURLOPT_READFUNCTION, upload_read);
  curl_easy_setopt (curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt (curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t) upload.len);
  curl_easy_setopt (curl, CURLOPT_UPLOAD, 1L);

  CURLcode rc = curl_easy_perform (curl);
  long reply = 0;
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &reply);
  curl_slist_free_all (rcpt);
  curl_easy_cleanup (curl);

  if (rc != CURLE_OK)
    {
      /* Neither errbuf, curl_easy_strerror() nor a server reply contains
       * the password; the URL (which might) is not part of the message. */
      const char *what = errbuf[0] != '\0' ? errbuf : curl_easy_strerror (rc);
      if (reply >= 400 && last_reply[0] != '\0')
        g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_UNAVAILABLE,
                     "SMTP delivery failed: %s; the server replied “%s”", what, last_reply);
      else
        g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_UNAVAILABLE,
                     "SMTP delivery failed: %s", what);
      return FALSE;
    }

  g_debug ("delivered a message by SMTP");
  return TRUE;
}

/* --- public API ---------------------------------------------------------- */

/* Creates a mailer; @from must be "Name <addr>" or "addr".  With @smtp_url
 * (smtp:// or smtps://) mail goes by SMTP, otherwise into @spool_dir, which
 * is created (0700) when missing.  Fails with TANDEM_ERROR_VALIDATION on a
 * bad sender or URL, or a file error when the spool cannot be created. */
SdMailer *
sd_mailer_new (const char  *smtp_url,
               const char  *smtp_username,
               const char  *smtp_password,
               const char  *from,
               const char  *spool_dir,
               GError     **error)
{
  g_autofree char *from_name = NULL;
  g_autofree char *from_addr = NULL;

  if (!parse_from (from, &from_name, &from_addr, error))
    return NULL;

  if (smtp_url != NULL)
    {
      gboolean bad = FALSE;
      for (const guchar *p = (const guchar *) smtp_url; *p && !bad; p++)
        bad = *p <= 0x20 || *p >= 0x7f;
      if (bad || (g_ascii_strncasecmp (smtp_url, "smtp://", 7) != 0 && !url_is_smtps (smtp_url)))
        {
          g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                       "the SMTP URL must start with smtp:// or smtps://");
          return NULL;
        }
      if (has_line_break (smtp_username) || has_line_break (smtp_password))
        {
          g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                       "the SMTP credentials contain a line break");
          return NULL;
        }
      if (!curl_ready (error))
        return NULL;
    }
  else if (spool_dir == NULL || *spool_dir == '\0')
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                   "neither an SMTP URL nor a mail spool directory is configured");
      return NULL;
    }
  else if (!ensure_spool_dir (spool_dir, error))
    return NULL;

  SdMailer *mailer = g_new0 (SdMailer, 1);
  mailer->smtp_url = g_strdup (smtp_url);
  mailer->smtp_username = smtp_url != NULL ? g_strdup (smtp_username) : NULL;
  mailer->smtp_password = smtp_url != NULL ? g_strdup (smtp_password) : NULL;
  mailer->from_name = g_steal_pointer (&from_name);
  mailer->from_addr = g_steal_pointer (&from_addr);
  mailer->from_domain = strchr (mailer->from_addr, '@') + 1;
  mailer->spool_dir = g_strdup (spool_dir);
  return mailer;
}

static void
wipe_string (char *s)
{
  if (s == NULL)
    return;
  /* volatile so that the stores are not optimised away before the free */
  for (volatile char *p = s; *p != '\0'; p++)
    *p = '\0';
}

/* Frees @mailer (NULL is fine), wiping the SMTP password from memory. */
void
sd_mailer_free (SdMailer *mailer)
{
  if (mailer == NULL)
    return;
  g_free (mailer->smtp_url);
  g_free (mailer->smtp_username);
  wipe_string (mailer->smtp_password);
  g_free (mailer->smtp_password);
  g_free (mailer->from_name);
  g_free (mailer->from_addr);
  g_free (mailer->spool_dir);
  g_free (mailer);
}

/* Formats and delivers @mail (blocking; thread-safe, the mailer is not
 * modified).  TANDEM_ERROR_VALIDATION when the mail is refused (line breaks
 * in a header field, not a plain recipient address, invalid UTF-8, bad
 * attachment type) — retrying will not help; TANDEM_ERROR_UNAVAILABLE when
 * the SMTP server could not be reached or refused the message; a
 * G_FILE_ERROR when the spool could not be written. */
gboolean
sd_mailer_send (SdMailer      *mailer,
                const SdMail  *mail,
                GError       **error)
{
  g_return_val_if_fail (mailer != NULL, FALSE);
  g_return_val_if_fail (mail != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_autofree char *message = format_message (mailer, mail, error);
  if (message == NULL)
    return FALSE;

  gboolean ok = mailer->smtp_url != NULL
                ? send_smtp (mailer, mail, message, error)
                : spool_message (mailer, message, error);
  /* The text carries invitation codes: do not leave it in freed memory. */
  wipe_string (message);
  return ok;
}

/* The message sd_mailer_send() would deliver, or NULL when @mail would be
 * refused (the reason is logged at debug level only). */
char *
sd_mailer_format (SdMailer      *mailer,
                  const SdMail  *mail)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (mailer != NULL, NULL);
  g_return_val_if_fail (mail != NULL, NULL);

  char *message = format_message (mailer, mail, &error);
  if (message == NULL)
    g_debug ("refusing to format a mail: %s", error->message);
  return message;
}
