/* sd-mailer.h — sending e-mail: SMTP through libcurl when an SMTP URL is
 * configured, otherwise one RFC 5322 .eml file per message in a spool
 * directory (written to a temporary name, then renamed, so a reader never
 * sees half a message). */
#pragma once

#include <glib.h>

#include "sd-types.h"

G_BEGIN_DECLS

/* One attached file.  A calendar invitation — a text/calendar type with a
 * method parameter, e.g. "text/calendar; method=REQUEST" — is also put
 * next to the text (and HTML) as the calendar alternative of the body, the
 * way calendar programs look for it, besides being attached as a file.
 * Text parts without a charset parameter are labelled charset=utf-8. */
typedef struct {
  const char *filename;      /* may be NULL: "attachment" */
  const char *content_type;  /* "type/subtype; param=value…"; NULL: application/octet-stream */
  GBytes *data;              /* must not be NULL (may be empty) */
} SdMailAttachment;

typedef struct {
  const char *to;          /* one address */
  const char *to_name;     /* may be NULL */
  const char *subject;     /* UTF-8; encoded as RFC 2047 when not ASCII */
  const char *text;        /* UTF-8 plain-text body */
  const char *html;        /* optional HTML alternative, may be NULL */
  /* Attached files, in order; may be NULL when n_attachments is 0.  With
   * any, the message is multipart/mixed: the body, then the files. */
  const SdMailAttachment *attachments;
  gsize n_attachments;
} SdMail;

/* @smtp_url NULL means spool-only.  @from is "Name <addr>" or "addr". */
SdMailer *sd_mailer_new      (const char *smtp_url,
                              const char *smtp_username,
                              const char *smtp_password,
                              const char *from,
                              const char *spool_dir,
                              GError    **error);
void      sd_mailer_free     (SdMailer  *mailer);

/* Deliver one message.  Blocking; call from a worker thread.  Fails with a
 * GError naming the SMTP or file error; the caller retries later. */
gboolean  sd_mailer_send     (SdMailer      *mailer,
                              const SdMail  *mail,
                              GError       **error);

/* The full RFC 5322 message text (headers + MIME body) that would be sent,
 * with CRLF line ends.  Exposed for tests. */
char     *sd_mailer_format   (SdMailer      *mailer,
                              const SdMail  *mail);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdMailer, sd_mailer_free)

G_END_DECLS
