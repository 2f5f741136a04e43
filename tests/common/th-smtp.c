/* th-smtp.c — a loopback SMTP server for tests (see th-smtp.h).
 *
 * One thread runs a blocking accept loop over a GSocket; every blocking call
 * takes the server's GCancellable, so th_smtp_stop() can interrupt it at any
 * point, even in the middle of a session. */
#define G_LOG_DOMAIN "th-smtp"

#include "th-smtp.h"

#include <gio/gio.h>
#include <string.h>

#define MAX_DATA_BYTES  (32 * 1024 * 1024)
#define CLIENT_TIMEOUT_S 30

struct _ThSmtp {
  GSocket      *listener;
  guint16       port;
  GCancellable *cancellable;
  GThread      *thread;

  GMutex        lock;         /* protects everything below */
  GCond         cond;         /* signalled when a message arrives */
  GPtrArray    *messages;     /* of ThSmtpMessage */
  guint         fail_next;
  guint         sessions;
  char         *auth_user;
  char         *auth_pass;
};

typedef struct {
  ThSmtp           *smtp;
  GDataInputStream *in;
  GOutputStream    *out;
  gboolean          fail;
  char             *want_user;   /* NULL: no AUTH */
  char             *want_pass;
  char             *helo;
  char             *auth_user;
  char             *from;        /* NULL: no transaction */
  GPtrArray        *rcpt;
} Session;

static void
message_free (gpointer data)
{
  ThSmtpMessage *msg = data;
  g_free (msg->helo);
  g_free (msg->auth_user);
  g_free (msg->from);
  g_strfreev (msg->rcpt);
  g_free (msg->data);
  g_free (msg);
}

/* --- the session --------------------------------------------------------- */

static gboolean
reply (Session    *s,
       const char *text)
{
  g_autofree char *line = g_strconcat (text, "\r\n", NULL);
  return g_output_stream_write_all (s->out, line, strlen (line), NULL,
                                    s->smtp->cancellable, NULL);
}

static char *
read_line (Session *s)
{
  gsize len = 0;
  return g_data_input_stream_read_line (s->in, &len, s->smtp->cancellable, NULL);
}

static void
reset_transaction (Session *s)
{
  g_clear_pointer (&s->from, g_free);
  g_ptr_array_set_size (s->rcpt, 0);
}

/* "<addr> params" → "addr"; NULL when there are no angle brackets. */
static char *
path_argument (const char *arg,
               const char *keyword)
{
  gsize n = strlen (keyword);
  if (g_ascii_strncasecmp (arg, keyword, n) != 0)
    return NULL;
  arg += n;
  while (*arg == ' ')
    arg++;
  const char *end = strchr (arg, '>');
  if (*arg != '<' || end == NULL)
    return NULL;
  return g_strndup (arg + 1, (gsize) (end - arg - 1));
}

static gboolean
do_auth (Session    *s,
         const char *arg)
{
  if (s->want_user == NULL)
    return reply (s, "502 5.5.1 AUTH not available");
  if (s->auth_user != NULL)
    return reply (s, "503 5.5.1 Already authenticated");

  g_autofree char *response = NULL;
  if (g_ascii_strcasecmp (arg, "PLAIN") == 0)
    {
      if (!reply (s, "334 "))
        return FALSE;
      if ((response = read_line (s)) == NULL)
        return FALSE;
    }
  else if (g_ascii_strncasecmp (arg, "PLAIN ", 6) == 0)
    response = g_strdup (arg + 6);
  else
    return reply (s, "504 5.5.4 Only PLAIN is supported");

  if (strcmp (response, "*") == 0)
    return reply (s, "501 5.7.0 Authentication cancelled");

  /* authzid NUL authcid NUL passwd */
  gsize len = 0;
  g_autofree guchar *raw = g_base64_decode (response, &len);
  const char *user = NULL, *pass = NULL;
  const guchar *nul1 = memchr (raw, '\0', len);
  const guchar *nul2 = nul1 != NULL ? memchr (nul1 + 1, '\0', len - (gsize) (nul1 + 1 - raw)) : NULL;
  g_autofree char *user_copy = NULL;
  g_autofree char *pass_copy = NULL;
  if (nul2 != NULL)
    {
      user = user_copy = g_strndup ((const char *) nul1 + 1, (gsize) (nul2 - nul1 - 1));
      pass = pass_copy = g_strndup ((const char *) nul2 + 1, len - (gsize) (nul2 + 1 - raw));
    }
  if (user == NULL || strcmp (user, s->want_user) != 0 || strcmp (pass, s->want_pass) != 0)
    return reply (s, "535 5.7.8 Authentication credentials invalid");

  s->auth_user = g_steal_pointer (&user_copy);
  return reply (s, "235 2.7.0 Authentication successful");
}

static gboolean
do_data (Session *s)
{
  if (s->from == NULL || s->rcpt->len == 0)
    return reply (s, "503 5.5.1 Need MAIL and RCPT first");
  if (!reply (s, "354 End data with <CR><LF>.<CR><LF>"))
    return FALSE;

  g_autoptr(GString) data = g_string_new (NULL);
  for (;;)
    {
      g_autofree char *line = read_line (s);
      if (line == NULL)
        return FALSE;
      if (strcmp (line, ".") == 0)
        break;
      if (data->len < MAX_DATA_BYTES)
        {
          g_string_append (data, line[0] == '.' ? line + 1 : line);
          g_string_append (data, "\r\n");
        }
    }

  if (data->len >= MAX_DATA_BYTES)
    {
      reset_transaction (s);
      return reply (s, "552 5.3.4 Message too big");
    }
  if (s->fail)
    {
      reset_transaction (s);
      return reply (s, "451 4.3.0 Temporary failure requested by the test");
    }

  ThSmtpMessage *msg = g_new0 (ThSmtpMessage, 1);
  msg->helo = g_strdup (s->helo);
  msg->auth_user = g_strdup (s->auth_user);
  msg->from = g_steal_pointer (&s->from);
  msg->rcpt = g_new0 (char *, s->rcpt->len + 1);
  for (guint i = 0; i < s->rcpt->len; i++)
    msg->rcpt[i] = g_strdup (g_ptr_array_index (s->rcpt, i));
  msg->data = g_string_free (g_steal_pointer (&data), FALSE);
  reset_transaction (s);

  guint n;
  g_mutex_lock (&s->smtp->lock);
  g_ptr_array_add (s->smtp->messages, msg);
  n = s->smtp->messages->len;
  g_cond_broadcast (&s->smtp->cond);
  g_mutex_unlock (&s->smtp->lock);

  g_autofree char *ok = g_strdup_printf ("250 2.0.0 OK queued as %u", n);
  return reply (s, ok);
}

/* One command; FALSE ends the session. */
static gboolean
do_command (Session    *s,
            const char *line)
{
  const char *space = strchr (line, ' ');
  g_autofree char *verb = g_ascii_strup (line, space != NULL ? (gssize) (space - line) : -1);
  const char *arg = space != NULL ? space + 1 : "";

  if (strcmp (verb, "EHLO") == 0 || strcmp (verb, "HELO") == 0)
    {
      g_free (s->helo);
      s->helo = g_strdup (arg);
      reset_transaction (s);
      if (strcmp (verb, "HELO") == 0)
        return reply (s, "250 127.0.0.1");
      g_autofree char *text = g_strdup_printf ("250-127.0.0.1 greets %s\r\n"
                                               "250-8BITMIME\r\n"
                                               "%s"
                                               "250-SIZE %d\r\n"
                                               "250 HELP",
                                               arg,
                                               s->want_user != NULL ? "250-AUTH PLAIN\r\n" : "",
                                               MAX_DATA_BYTES);
      return reply (s, text);
    }
  if (strcmp (verb, "AUTH") == 0)
    return do_auth (s, arg);
  if (strcmp (verb, "MAIL") == 0)
    {
      g_autofree char *from = path_argument (arg, "FROM:");
      if (s->helo == NULL)
        return reply (s, "503 5.5.1 Say EHLO first");
      if (s->want_user != NULL && s->auth_user == NULL)
        return reply (s, "530 5.7.0 Authentication required");
      if (s->from != NULL)
        return reply (s, "503 5.5.1 Nested MAIL command");
      if (from == NULL)
        return reply (s, "501 5.5.4 Syntax: MAIL FROM:<address>");
      s->from = g_steal_pointer (&from);
      return reply (s, "250 2.1.0 OK");
    }
  if (strcmp (verb, "RCPT") == 0)
    {
      g_autofree char *to = path_argument (arg, "TO:");
      if (s->from == NULL)
        return reply (s, "503 5.5.1 Need MAIL first");
      if (to == NULL || *to == '\0')
        return reply (s, "501 5.5.4 Syntax: RCPT TO:<address>");
      g_ptr_array_add (s->rcpt, g_steal_pointer (&to));
      return reply (s, "250 2.1.5 OK");
    }
  if (strcmp (verb, "DATA") == 0)
    return do_data (s);
  if (strcmp (verb, "RSET") == 0)
    {
      reset_transaction (s);
      return reply (s, "250 2.0.0 OK");
    }
  if (strcmp (verb, "NOOP") == 0)
    return reply (s, "250 2.0.0 OK");
  if (strcmp (verb, "VRFY") == 0)
    return reply (s, "252 2.5.2 Cannot VRFY");
  if (strcmp (verb, "QUIT") == 0)
    {
      reply (s, "221 2.0.0 Bye");
      return FALSE;
    }
  return reply (s, "500 5.5.2 Command not recognised");
}

static void
serve (ThSmtp  *smtp,
       GSocket *client)
{
  g_autoptr(GSocketConnection) conn = g_socket_connection_factory_create_connection (client);
  Session s = { .smtp = smtp };

  g_socket_set_timeout (client, CLIENT_TIMEOUT_S);
  s.in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (conn)));
  g_data_input_stream_set_newline_type (s.in, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
  s.out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
  s.rcpt = g_ptr_array_new_with_free_func (g_free);

  g_mutex_lock (&smtp->lock);
  smtp->sessions++;
  if (smtp->fail_next > 0)
    {
      smtp->fail_next--;
      s.fail = TRUE;
    }
  s.want_user = g_strdup (smtp->auth_user);
  s.want_pass = g_strdup (smtp->auth_pass);
  g_mutex_unlock (&smtp->lock);

  if (reply (&s, "220 127.0.0.1 ESMTP th-smtp ready"))
    for (;;)
      {
        g_autofree char *line = read_line (&s);
        if (line == NULL || !do_command (&s, line))
          break;
      }

  g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
  g_object_unref (s.in);
  g_ptr_array_unref (s.rcpt);
  g_free (s.want_user);
  g_free (s.want_pass);
  g_free (s.helo);
  g_free (s.auth_user);
  g_free (s.from);
}

static gpointer
server_thread (gpointer data)
{
  ThSmtp *smtp = data;

  while (!g_cancellable_is_cancelled (smtp->cancellable))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) client = g_socket_accept (smtp->listener, smtp->cancellable, &error);
      if (client != NULL)
        serve (smtp, client);
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_debug ("accept failed: %s", error->message);
          g_usleep (10 * 1000);
        }
    }
  return NULL;
}

/* --- the server ---------------------------------------------------------- */

/* See th-smtp.h. */
ThSmtp *
th_smtp_start (GError **error)
{
  g_autoptr(GSocket) listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                              G_SOCKET_PROTOCOL_TCP, error);
  if (listener == NULL)
    return NULL;

  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  if (!g_socket_bind (listener, any_port, TRUE, error) || !g_socket_listen (listener, error))
    return NULL;
  g_autoptr(GSocketAddress) bound = g_socket_get_local_address (listener, error);
  if (bound == NULL)
    return NULL;

  ThSmtp *smtp = g_new0 (ThSmtp, 1);
  smtp->listener = g_steal_pointer (&listener);
  smtp->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  smtp->cancellable = g_cancellable_new ();
  g_mutex_init (&smtp->lock);
  g_cond_init (&smtp->cond);
  smtp->messages = g_ptr_array_new_with_free_func (message_free);
  smtp->thread = g_thread_new ("th-smtp", server_thread, smtp);
  return smtp;
}

/* See th-smtp.h. */
void
th_smtp_stop (ThSmtp *smtp)
{
  if (smtp == NULL)
    return;
  g_cancellable_cancel (smtp->cancellable);
  g_thread_join (smtp->thread);
  g_socket_close (smtp->listener, NULL);
  g_object_unref (smtp->listener);
  g_object_unref (smtp->cancellable);
  g_ptr_array_unref (smtp->messages);
  g_mutex_clear (&smtp->lock);
  g_cond_clear (&smtp->cond);
  g_free (smtp->auth_user);
  g_free (smtp->auth_pass);
  g_free (smtp);
}

/* See th-smtp.h. */
guint16
th_smtp_get_port (ThSmtp *smtp)
{
  return smtp->port;
}

/* See th-smtp.h. */
char *
th_smtp_get_url (ThSmtp *smtp)
{
  return g_strdup_printf ("smtp://127.0.0.1:%u", (guint) smtp->port);
}

/* See th-smtp.h. */
guint
th_smtp_count (ThSmtp *smtp)
{
  g_mutex_lock (&smtp->lock);
  guint n = smtp->messages->len;
  g_mutex_unlock (&smtp->lock);
  return n;
}

/* See th-smtp.h. */
gboolean
th_smtp_wait (ThSmtp *smtp,
              guint   count,
              guint   timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  gboolean ok = TRUE;

  g_mutex_lock (&smtp->lock);
  while (smtp->messages->len < count && ok)
    ok = g_cond_wait_until (&smtp->cond, &smtp->lock, deadline) || smtp->messages->len >= count;
  g_mutex_unlock (&smtp->lock);
  return ok;
}

/* See th-smtp.h. */
ThSmtpMessage *
th_smtp_get (ThSmtp *smtp,
             guint   index)
{
  ThSmtpMessage *msg = NULL;

  g_mutex_lock (&smtp->lock);
  if (index < smtp->messages->len)
    msg = g_ptr_array_index (smtp->messages, index);
  g_mutex_unlock (&smtp->lock);
  return msg;
}

/* See th-smtp.h. */
void
th_smtp_fail_next (ThSmtp *smtp,
                   guint   sessions)
{
  g_mutex_lock (&smtp->lock);
  smtp->fail_next = sessions;
  g_mutex_unlock (&smtp->lock);
}

/* See th-smtp.h. */
void
th_smtp_set_auth (ThSmtp     *smtp,
                  const char *username,
                  const char *password)
{
  g_mutex_lock (&smtp->lock);
  g_free (smtp->auth_user);
  g_free (smtp->auth_pass);
  smtp->auth_user = g_strdup (username);
  smtp->auth_pass = username != NULL ? g_strdup (password != NULL ? password : "") : NULL;
  g_mutex_unlock (&smtp->lock);
}

/* See th-smtp.h. */
guint
th_smtp_sessions (ThSmtp *smtp)
{
  g_mutex_lock (&smtp->lock);
  guint n = smtp->sessions;
  g_mutex_unlock (&smtp->lock);
  return n;
}

/* --- message helpers ----------------------------------------------------- */

/* Splits an entity into its header block (ending in CRLF, or empty) and
 * its body. */
static void
split_entity (const char  *entity,
              gsize        len,
              gsize       *headers_len,
              const char **body,
              gsize       *body_len)
{
  const char *end = entity + len;
  const char *sep = NULL;

  if (len >= 2 && entity[0] == '\r' && entity[1] == '\n')
    {
      *headers_len = 0;
      *body = entity + 2;
      *body_len = len - 2;
      return;
    }
  for (const char *p = entity; p + 4 <= end; p++)
    if (memcmp (p, "\r\n\r\n", 4) == 0)
      {
        sep = p;
        break;
      }
  if (sep == NULL)
    {
      *headers_len = len;
      *body = end;
      *body_len = 0;
      return;
    }
  *headers_len = (gsize) (sep - entity) + 2;
  *body = sep + 4;
  *body_len = (gsize) (end - *body);
}

/* The raw, unfolded value of header @name, or NULL. */
static char *
header_raw (const char *headers,
            gsize       len,
            const char *name)
{
  gsize name_len = strlen (name);
  const char *end = headers + len;

  for (const char *line = headers; line < end; )
    {
      const char *eol = g_strstr_len (line, end - line, "\r\n");
      if (eol == NULL)
        eol = end;
      if ((gsize) (eol - line) > name_len && line[name_len] == ':' &&
          g_ascii_strncasecmp (line, name, name_len) == 0)
        {
          GString *value = g_string_new_len (line + name_len + 1, eol - line - (gssize) name_len - 1);
          /* Unfolding: drop each CRLF that is followed by white space. */
          while (eol + 2 < end && (eol[2] == ' ' || eol[2] == '\t'))
            {
              const char *next = g_strstr_len (eol + 2, end - eol - 2, "\r\n");
              if (next == NULL)
                next = end;
              g_string_append_len (value, eol + 2, next - eol - 2);
              eol = next;
            }
          return g_strstrip (g_string_free (value, FALSE));
        }
      line = eol + 2;
    }
  return NULL;
}

static int
hex_value (char c)
{
  return g_ascii_xdigit_value (c);
}

/* Decodes one encoded-word at @p, advancing @p past it; FALSE (and @p
 * untouched) when @p does not start a UTF-8 encoded-word. */
static gboolean
decode_encoded_word (const char **p,
                     GString     *out)
{
  const char *s = *p;
  if (strncmp (s, "=?", 2) != 0)
    return FALSE;
  const char *q1 = strchr (s + 2, '?');
  if (q1 == NULL || q1[1] == '\0' || q1[2] != '?')
    return FALSE;
  g_autofree char *charset = g_strndup (s + 2, (gsize) (q1 - s - 2));
  char enc = g_ascii_toupper (q1[1]);
  const char *text = q1 + 3;
  const char *close = strstr (text, "?=");
  if (close == NULL || (g_ascii_strcasecmp (charset, "utf-8") != 0) || (enc != 'Q' && enc != 'B'))
    return FALSE;
  for (const char *c = text; c < close; c++)
    if (*c == ' ' || *c == '\t')
      return FALSE;

  if (enc == 'B')
    {
      g_autofree char *b64 = g_strndup (text, (gsize) (close - text));
      gsize n = 0;
      g_autofree guchar *raw = g_base64_decode (b64, &n);
      g_string_append_len (out, (const char *) raw, (gssize) n);
    }
  else
    for (const char *c = text; c < close; c++)
      {
        if (*c == '_')
          g_string_append_c (out, ' ');
        else if (*c == '=' && c + 2 < close && hex_value (c[1]) >= 0 && hex_value (c[2]) >= 0)
          {
            g_string_append_c (out, (char) (hex_value (c[1]) * 16 + hex_value (c[2])));
            c += 2;
          }
        else
          g_string_append_c (out, *c);
      }
  *p = close + 2;
  return TRUE;
}

static char *
decode_rfc2047 (const char *value)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GString) space = g_string_new (NULL);
  gboolean after_word = FALSE;

  for (const char *p = value; *p; )
    {
      if (*p == ' ' || *p == '\t')
        {
          g_string_append_c (space, *p++);
          continue;
        }
      gsize before = out->len;
      if (decode_encoded_word (&p, out))
        {
          /* White space between two encoded-words is not part of the text. */
          if (!after_word)
            g_string_insert_len (out, (gssize) before, space->str, (gssize) space->len);
          after_word = TRUE;
        }
      else
        {
          g_string_append_len (out, space->str, (gssize) space->len);
          g_string_append_c (out, *p++);
          after_word = FALSE;
        }
      g_string_truncate (space, 0);
    }
  g_string_append_len (out, space->str, (gssize) space->len);
  return g_string_free (out, FALSE);
}

/* See th-smtp.h. */
char *
th_mail_get_header (const char *message,
                    const char *name)
{
  gsize headers_len, body_len;
  const char *body;

  split_entity (message, strlen (message), &headers_len, &body, &body_len);
  g_autofree char *raw = header_raw (message, headers_len, name);
  return raw != NULL ? decode_rfc2047 (raw) : NULL;
}

static GBytes *
decode_qp (const char *data,
           gsize       len)
{
  GByteArray *out = g_byte_array_sized_new ((guint) len);
  const char *end = data + len;

  for (const char *p = data; p < end; p++)
    {
      if (*p != '=')
        g_byte_array_append (out, (const guint8 *) p, 1);
      else if (p + 2 < end && p[1] == '\r' && p[2] == '\n')
        p += 2;
      else if (p + 1 < end && p[1] == '\n')
        p += 1;
      else if (p + 2 < end && hex_value (p[1]) >= 0 && hex_value (p[2]) >= 0)
        {
          guint8 byte = (guint8) (hex_value (p[1]) * 16 + hex_value (p[2]));
          g_byte_array_append (out, &byte, 1);
          p += 2;
        }
      else
        g_byte_array_append (out, (const guint8 *) p, 1);
    }
  return g_byte_array_free_to_bytes (out);
}

/* The value of parameter @param in a Content-Type value, or NULL. */
static char *
content_type_param (const char *value,
                    const char *param)
{
  gsize n = strlen (param);

  for (const char *p = strchr (value, ';'); p != NULL; p = strchr (p + 1, ';'))
    {
      const char *q = p + 1;
      while (*q == ' ' || *q == '\t')
        q++;
      if (g_ascii_strncasecmp (q, param, n) != 0 || q[n] != '=')
        continue;
      q += n + 1;
      if (*q == '"')
        {
          const char *close = strchr (q + 1, '"');
          return close != NULL ? g_strndup (q + 1, (gsize) (close - q - 1)) : NULL;
        }
      gsize len = strcspn (q, "; \t");
      return g_strndup (q, len);
    }
  return NULL;
}

static GBytes *
decode_body (const char *cte,
             const char *body,
             gsize       body_len)
{
  if (cte != NULL && g_ascii_strcasecmp (cte, "quoted-printable") == 0)
    return decode_qp (body, body_len);
  if (cte != NULL && g_ascii_strcasecmp (cte, "base64") == 0)
    {
      g_autofree char *b64 = g_strndup (body, body_len);
      gsize n = 0;
      guchar *raw = g_base64_decode (b64, &n);
      return g_bytes_new_take (raw, n);
    }
  return g_bytes_new (body, body_len);
}

/* Adds every leaf part of @entity (depth first, in order) to @parts. */
static void
collect_parts (const char *entity,
               gsize       len,
               const char *parent,
               GPtrArray  *parts,
               guint       depth)
{
  gsize headers_len, body_len;
  const char *body;

  if (depth > 8)
    return;
  split_entity (entity, len, &headers_len, &body, &body_len);

  g_autofree char *type = header_raw (entity, headers_len, "Content-Type");
  g_autofree char *base = g_ascii_strdown (type != NULL ? type : "text/plain",
                                           type != NULL ? (gssize) strcspn (type, ";") : -1);
  g_strstrip (base);

  if (g_str_has_prefix (base, "multipart/"))
    {
      g_autofree char *boundary = content_type_param (type, "boundary");
      if (boundary == NULL)
        return;
      g_autofree char *delimiter = g_strconcat ("\r\n--", boundary, NULL);
      /* Put a CRLF in front so that a delimiter at the very start of the
       * body is found like all the others. */
      g_autoptr(GString) buf = g_string_new ("\r\n");
      g_string_append_len (buf, body, (gssize) body_len);

      const char *end = buf->str + buf->len;
      const char *p = strstr (buf->str, delimiter);
      while (p != NULL)
        {
          p += strlen (delimiter);
          if (p + 2 <= end && strncmp (p, "--", 2) == 0)
            break;
          const char *start = strstr (p, "\r\n");
          if (start == NULL)
            break;
          start += 2;
          const char *next = strstr (start, delimiter);
          if (next == NULL)
            break;
          collect_parts (start, (gsize) (next - start), base, parts, depth + 1);
          p = next;
        }
      return;
    }

  g_autofree char *cte = header_raw (entity, headers_len, "Content-Transfer-Encoding");
  ThMailPart *part = g_new0 (ThMailPart, 1);
  part->mime_type = g_strdup (base);
  part->content_type = g_strdup (type != NULL ? type : "text/plain");
  part->disposition = header_raw (entity, headers_len, "Content-Disposition");
  part->parent = g_strdup (parent);
  part->body = decode_body (cte, body, body_len);
  g_ptr_array_add (parts, part);
}

static void
th_mail_part_free (ThMailPart *part)
{
  g_free (part->mime_type);
  g_free (part->content_type);
  g_free (part->disposition);
  g_free (part->parent);
  g_bytes_unref (part->body);
  g_free (part);
}

/* See th-smtp.h. */
GPtrArray *
th_mail_get_parts (const char *message)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func ((GDestroyNotify) th_mail_part_free);
  collect_parts (message, strlen (message), NULL, parts, 0);
  return parts;
}

/* See th-smtp.h. */
GBytes *
th_mail_get_part (const char *message,
                  const char *mime_type)
{
  g_autoptr(GPtrArray) parts = th_mail_get_parts (message);
  for (guint i = 0; i < parts->len; i++)
    {
      ThMailPart *part = g_ptr_array_index (parts, i);
      if (g_ascii_strcasecmp (part->mime_type, mime_type) == 0)
        return g_bytes_ref (part->body);
    }
  return NULL;
}

/* See th-smtp.h. */
char *
th_mail_get_text (const char *message,
                  const char *mime_type)
{
  g_autoptr(GBytes) part = th_mail_get_part (message, mime_type);
  if (part == NULL)
    return NULL;

  gsize len = 0;
  const char *data = g_bytes_get_data (part, &len);
  GString *text = g_string_sized_new (len);
  for (gsize i = 0; i < len; i++)
    if (!(data[i] == '\r' && i + 1 < len && data[i + 1] == '\n'))
      g_string_append_c (text, data[i]);
  return g_string_free (text, FALSE);
}
