/* sd-outbox.c — delivers outbox rows on a thread of its own, with its own
 * database connection; a failed delivery is retried with exponential
 * backoff (30 s doubling, at most 6 h), for at most 20 attempts. */
#define G_LOG_DOMAIN "sd-outbox"

#include "jobs/sd-outbox.h"
#include "jobs/sd-mailer.h"
#include "sd-server.h"
#include "store/sd-db.h"
#include "tandem-error.h"

#include <json-glib/json-glib.h>
#include <string.h>

#define POLL_INTERVAL_US (1 * G_USEC_PER_SEC)
#define MAX_ATTEMPTS 20

struct _SdOutbox {
  SdServer *server;
  SdMailer *mailer;
  GThread *thread;
  GMutex lock;
  GCond cond;
  gboolean kicked;
  gboolean stopping;
};

SdOutbox *
sd_outbox_new (SdServer  *server,
               GError   **error)
{
  const SdConfig *config = sd_server_get_config (server);
  SdMailer *mailer = sd_mailer_new (config->smtp_url, config->smtp_username,
                                    config->smtp_password, config->smtp_from,
                                    config->mail_spool, error);
  if (mailer == NULL)
    return NULL;
  SdOutbox *outbox = g_new0 (SdOutbox, 1);
  outbox->server = server;
  outbox->mailer = mailer;
  g_mutex_init (&outbox->lock);
  g_cond_init (&outbox->cond);
  return outbox;
}

static gboolean
deliver_mail (SdOutbox    *outbox,
              const char  *payload,
              GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, payload, -1, error))
    return FALSE;
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "mail payload is not an object");
      return FALSE;
    }
  JsonObject *o = json_node_get_object (root);
  SdMail mail = {
    .to = json_object_get_string_member_with_default (o, "to", NULL),
    .to_name = json_object_get_string_member_with_default (o, "to_name", NULL),
    .subject = json_object_get_string_member_with_default (o, "subject", ""),
    .text = json_object_get_string_member_with_default (o, "text", ""),
    .html = json_object_get_string_member_with_default (o, "html", NULL),
  };
  g_autoptr(GArray) attachments = g_array_new (FALSE, TRUE, sizeof (SdMailAttachment));
  g_autoptr(GPtrArray) datas = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  JsonNode *list = json_object_get_member (o, "attachments");
  if (list != NULL && !JSON_NODE_HOLDS_NULL (list))
    {
      if (!JSON_NODE_HOLDS_ARRAY (list))
        {
          g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, "mail attachments are not a list");
          return FALSE;
        }
      JsonArray *array = json_node_get_array (list);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          if (!JSON_NODE_HOLDS_OBJECT (item))
            {
              g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, "a mail attachment is not an object");
              return FALSE;
            }
          JsonObject *a = json_node_get_object (item);
          const char *text = json_object_get_string_member_with_default (a, "text", NULL);
          const char *b64 = json_object_get_string_member_with_default (a, "base64", NULL);
          GBytes *data;
          if (text != NULL)
            data = g_bytes_new (text, strlen (text));
          else if (b64 != NULL)
            {
              gsize len = 0;
              guchar *raw = g_base64_decode (b64, &len);
              data = g_bytes_new_take (raw, len);
            }
          else
            {
              g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, "a mail attachment has no content");
              return FALSE;
            }
          g_ptr_array_add (datas, data);
          SdMailAttachment att = {
            .filename = json_object_get_string_member_with_default (a, "filename", NULL),
            .content_type = json_object_get_string_member_with_default (a, "content_type", NULL),
            .data = data,
          };
          g_array_append_val (attachments, att);
        }
      mail.attachments = (const SdMailAttachment *) (gpointer) attachments->data;
      mail.n_attachments = attachments->len;
    }
  if (mail.to == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "mail payload has no recipient");
      return FALSE;
    }
  return sd_mailer_send (outbox->mailer, &mail, error);
}

gboolean
sd_outbox_insert (SdDbConn    *conn,
                  const char  *org_id,
                  const char  *kind,
                  JsonObject  *payload,
                  gint64       now,
                  GError     **error)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, payload);
  g_autofree char *text = json_to_string (node, FALSE);
  g_autofree char *id = g_uuid_string_random ();

  return sd_db_exec (conn, error,
                     "INSERT INTO outbox (id, org_id, kind, payload, created_at, next_attempt_at)"
                     " VALUES ($1, $2, $3, $4, $5, $5)",
                     "ssssi", id, org_id, kind, text, now) >= 0;
}

guint
sd_outbox_run_once (SdOutbox *outbox,
                    gpointer  conn_ptr)
{
  SdDbConn *conn = conn_ptr;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint delivered = 0;

  g_autoptr(SdDbRows) rows = sd_db_sys (conn, &error, SD_DB_SYS_OUTBOX_PENDING, "ii", now, (gint64) 50);
  if (rows == NULL)
    {
      g_warning ("cannot read the outbox: %s", error->message);
      return 0;
    }
  for (guint i = 0; i < sd_db_rows_n (rows); i++)
    {
      const char *id = sd_db_rows_text (rows, i, "id");
      const char *kind = sd_db_rows_text (rows, i, "kind");
      gint64 attempts = sd_db_rows_int (rows, i, "attempts");
      g_autoptr(GError) local_error = NULL;
      gboolean ok;

      if (g_strcmp0 (kind, "mail") == 0)
        ok = deliver_mail (outbox, sd_db_rows_text (rows, i, "payload"), &local_error);
      else
        {
          g_set_error (&local_error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       "unknown outbox kind “%s”", kind);
          ok = FALSE;
          attempts = MAX_ATTEMPTS;
        }

      g_autoptr(GError) db_error = NULL;
      g_autoptr(SdDbRows) done = NULL;
      if (ok)
        {
          done = sd_db_sys (conn, &db_error, SD_DB_SYS_OUTBOX_DONE, "si", id, now);
          delivered++;
        }
      else
        {
          /* A message the mailer refuses outright will never go out. */
          if (g_error_matches (local_error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION))
            attempts = MAX_ATTEMPTS;
          gint64 delay = MIN ((gint64) 30 << MIN (attempts, 10), (gint64) 6 * 3600);
          gint64 next = attempts + 1 >= MAX_ATTEMPTS ? G_MAXINT32 * (gint64) 4 : now + delay;
          g_warning ("outbox row %s (%s) failed, attempt %" G_GINT64_FORMAT ": %s",
                     id, kind, attempts + 1, local_error->message);
          done = sd_db_sys (conn, &db_error, SD_DB_SYS_OUTBOX_RETRY, "sis", id, next,
                            local_error->message);
        }
      if (done == NULL)
        g_warning ("cannot update outbox row %s: %s", id, db_error->message);
    }
  return delivered;
}

static gpointer
outbox_main (gpointer data)
{
  SdOutbox *outbox = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdDbConn) conn = sd_db_connect (sd_server_get_db (outbox->server), &error);
  if (conn == NULL)
    {
      g_critical ("the outbox worker cannot connect to the database: %s", error->message);
      return NULL;
    }

  g_mutex_lock (&outbox->lock);
  while (!outbox->stopping)
    {
      outbox->kicked = FALSE;
      g_mutex_unlock (&outbox->lock);
      /* Keep delivering while full batches come back. */
      while (sd_outbox_run_once (outbox, conn) == 50)
        ;
      g_mutex_lock (&outbox->lock);
      if (!outbox->kicked && !outbox->stopping)
        g_cond_wait_until (&outbox->cond, &outbox->lock, g_get_monotonic_time () + POLL_INTERVAL_US);
    }
  g_mutex_unlock (&outbox->lock);
  return NULL;
}

gboolean
sd_outbox_start (SdOutbox  *outbox,
                 GError   **error)
{
  g_return_val_if_fail (outbox->thread == NULL, FALSE);
  outbox->stopping = FALSE;
  outbox->thread = g_thread_try_new ("sd-outbox", outbox_main, outbox, error);
  return outbox->thread != NULL;
}

void
sd_outbox_kick (SdOutbox *outbox)
{
  g_mutex_lock (&outbox->lock);
  outbox->kicked = TRUE;
  g_cond_signal (&outbox->cond);
  g_mutex_unlock (&outbox->lock);
}

void
sd_outbox_stop (SdOutbox *outbox)
{
  if (outbox->thread == NULL)
    return;
  g_mutex_lock (&outbox->lock);
  outbox->stopping = TRUE;
  g_cond_signal (&outbox->cond);
  g_mutex_unlock (&outbox->lock);
  g_thread_join (outbox->thread);
  outbox->thread = NULL;
}

void
sd_outbox_free (SdOutbox *outbox)
{
  if (outbox == NULL)
    return;
  sd_outbox_stop (outbox);
  sd_mailer_free (outbox->mailer);
  g_mutex_clear (&outbox->lock);
  g_cond_clear (&outbox->cond);
  g_free (outbox);
}
