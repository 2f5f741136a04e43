/* th-smtp.h — a small SMTP server on 127.0.0.1 for tests, plus helpers to
 * pick apart the messages it (or a mail spool) received.
 *
 * The server runs in its own thread and serves one connection at a time,
 * speaking enough SMTP for libcurl: EHLO/HELO (no STARTTLS), optional AUTH
 * PLAIN, MAIL, RCPT, DATA (dot-stuffing undone), RSET, NOOP, QUIT.  All
 * functions are thread-safe. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ThSmtp ThSmtp;

typedef struct {
  char  *helo;       /* argument of EHLO/HELO */
  char  *auth_user;  /* user of a successful AUTH, or NULL */
  char  *from;       /* envelope sender, without the <> */
  GStrv  rcpt;       /* envelope recipients, without the <> */
  char  *data;       /* the message as sent after DATA: CRLF line ends,
                      * dot-stuffing undone, without the final ".\r\n" */
} ThSmtpMessage;

/* Starts a server on a random port of 127.0.0.1. */
ThSmtp        *th_smtp_start     (GError  **error);
/* Stops the server, waits for its thread and frees everything, including
 * the messages th_smtp_get() returned.  NULL is fine. */
void           th_smtp_stop      (ThSmtp   *smtp);

guint16        th_smtp_get_port  (ThSmtp   *smtp);
/* "smtp://127.0.0.1:PORT"; free with g_free(). */
char          *th_smtp_get_url   (ThSmtp   *smtp);

/* Number of messages accepted so far. */
guint          th_smtp_count     (ThSmtp   *smtp);
/* Blocks until at least @count messages were accepted; FALSE after
 * @timeout_ms without. */
gboolean       th_smtp_wait      (ThSmtp   *smtp,
                                  guint     count,
                                  guint     timeout_ms);
/* Message number @index (from 0), owned by @smtp and valid until
 * th_smtp_stop(); NULL when there is no such message yet. */
ThSmtpMessage *th_smtp_get       (ThSmtp   *smtp,
                                  guint     index);

/* The next @sessions connections answer the end of DATA with "451" and do
 * not record the message (to test retries). */
void           th_smtp_fail_next (ThSmtp   *smtp,
                                  guint     sessions);
/* Advertise AUTH PLAIN and require these credentials before MAIL; NULL
 * @username turns authentication off again (the default). */
void           th_smtp_set_auth  (ThSmtp     *smtp,
                                  const char *username,
                                  const char *password);
/* Number of connections served or being served. */
guint          th_smtp_sessions  (ThSmtp   *smtp);

/* Message helpers; @message is RFC 5322 text with CRLF line ends (from
 * ThSmtpMessage.data or a spooled .eml file). */

/* The first header field @name (case-insensitive), unfolded, with RFC 2047
 * UTF-8 encoded-words decoded; NULL when absent. */
char          *th_mail_get_header (const char *message,
                                   const char *name);
/* The decoded body (quoted-printable/base64 undone) of the first part whose
 * type is @mime_type (e.g. "text/plain", no parameters), searching through
 * multipart entities; NULL when there is none. */
GBytes        *th_mail_get_part   (const char *message,
                                   const char *mime_type);
/* One leaf part of a message. */
typedef struct {
  char   *mime_type;     /* "text/calendar", lowercase, without parameters */
  char   *content_type;  /* the whole Content-Type value, unfolded */
  char   *disposition;   /* the Content-Disposition value, or NULL */
  char   *parent;        /* type of the enclosing multipart ("multipart/alternative"), NULL at top */
  GBytes *body;          /* decoded */
} ThMailPart;

/* Every leaf part (ThMailPart), depth first in order; free with
 * g_ptr_array_unref(). */
GPtrArray     *th_mail_get_parts  (const char *message);
/* Like th_mail_get_part(), as a string with CRLF turned into LF. */
char          *th_mail_get_text   (const char *message,
                                   const char *mime_type);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ThSmtp, th_smtp_stop)

G_END_DECLS
