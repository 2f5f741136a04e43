/* sd-api-uploads.c — resumable uploads with tus 1.0 under /uploads: core
 * (HEAD, PATCH), creation (POST), termination (DELETE), checksum
 * (Upload-Checksum: sha1, sha256, sha512, md5) and expiration
 * (Upload-Expires).  https://tus.io/protocols/resumable-upload
 *
 * Every upload belongs to one video of an asset.  POST /assets makes them
 * (one per file); POST /uploads, for plain tus clients, makes a one-video
 * asset from Upload-Metadata: group_id (required), name (the asset's),
 * filename, description.
 *
 * Who may do what: HEAD and DELETE the uploader and the organization's
 * admins; PATCH the uploader only; anybody else gets 404.
 *
 * PATCH bodies are streamed (SD_ROUTE_STREAM_BODY): the checks run before
 * the body is read (patch_begin), each piece goes to a storage writer as it
 * arrives (patch_chunk) and into the running SHA-256 of the whole file,
 * whose state is stored with the offset (uploads.hash_state) so that the
 * next PATCH goes on from there.  When the body is complete the bytes are
 * fsync'd off the worker thread, then the new offset is committed
 * (handle_patch, patch_done): the offset a HEAD reports is always durable.
 * When the client goes away mid-body, what arrived is synced and kept
 * (patch_abort), unless the request carried Upload-Checksum, which can only
 * be checked on a whole body: then nothing of it stays, as after a
 * mismatch (460).  The last byte completes the upload: in the same
 * transaction its video becomes `processing` with source_key set, for the
 * media worker. */
#define G_LOG_DOMAIN "sd-api-uploads"

#include "api/sd-api-media-common.h"
#include "sd-server.h"
#include "storage/sd-storage.h"

#include <nettle/sha2.h>
#include <string.h>

#define TUS_VERSION     "1.0.0"
#define TUS_EXTENSIONS  "creation,termination,checksum,expiration"
#define TUS_CHECKSUMS   "sha1,sha256,sha512,md5"
#define OCTET_STREAM    "application/offset+octet-stream"
#define MAX_METADATA    4096

static const struct {
  const char *name;
  GChecksumType type;
  gsize length;
} algorithms[] = {
  { "sha1", G_CHECKSUM_SHA1, 20 },
  { "sha256", G_CHECKSUM_SHA256, 32 },
  { "sha512", G_CHECKSUM_SHA512, 64 },
  { "md5", G_CHECKSUM_MD5, 16 },
};

/* ---- header values ---- */

/* A non-negative decimal integer and nothing else. */
static gboolean
parse_size (const char *value,
            gint64     *out)
{
  if (value == NULL || *value == '\0' || strlen (value) > 19)
    return FALSE;
  for (const char *p = value; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return g_ascii_string_to_signed (value, 10, 0, G_MAXINT64, out, NULL);
}

/* Standard base64 with padding, strictly: NULL when @text is not that. */
static guint8 *
base64_decode_strict (const char *text,
                      gsize      *len)
{
  gsize n = strlen (text);
  if (n % 4 != 0)
    return NULL;
  for (gsize i = 0; i < n; i++)
    {
      char c = text[i];
      gboolean pad_ok = c == '=' && (i == n - 1 || (i == n - 2 && text[n - 1] == '='));
      if (!g_ascii_isalnum (c) && c != '+' && c != '/' && !pad_ok)
        return NULL;
    }
  if (n == 0)
    {
      *len = 0;
      return g_malloc0 (1);
    }
  return g_base64_decode (text, len);
}

/* Upload-Metadata ("key base64,key base64,key") as key -> text.  Values
 * must be UTF-8 text without NUL. */
static GHashTable *
parse_metadata (const char  *header,
                GError     **error)
{
  g_autoptr(GHashTable) table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (header == NULL || *header == '\0')
    return g_steal_pointer (&table);
  if (strlen (header) > MAX_METADATA)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST,
                   "Upload-Metadata may have at most %d bytes", MAX_METADATA);
      return NULL;
    }
  g_auto(GStrv) pairs = g_strsplit (header, ",", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char *pair = g_strstrip (pairs[i]);
      char *space = strchr (pair, ' ');
      const char *b64 = "";
      if (space != NULL)
        {
          *space = '\0';
          b64 = space + 1;
        }
      gboolean key_ok = *pair != '\0';
      for (const char *p = pair; *p != '\0'; p++)
        if (!g_ascii_isgraph (*p))
          key_ok = FALSE;
      gsize len = 0;
      g_autofree guint8 *value = key_ok ? base64_decode_strict (b64, &len) : NULL;
      if (value == NULL || memchr (value, '\0', len) != NULL ||
          !g_utf8_validate ((const char *) value, (gssize) len, NULL) ||
          g_hash_table_contains (table, pair))
        {
          g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST,
                       "Upload-Metadata must be unique keys with base64-encoded UTF-8 values "
                       "(“key base64,key base64”)");
          return NULL;
        }
      g_hash_table_insert (table, g_strdup (pair), g_strndup ((const char *) value, len));
    }
  return g_steal_pointer (&table);
}

static void
set_int_header (SdRequest  *req,
                const char *name,
                gint64      value)
{
  char text[32];
  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, value);
  sd_request_set_header (req, name, text);
}

static void
set_expires_header (SdRequest *req,
                    gint64     expires_at)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (expires_at);
  if (dt == NULL)
    return;
  g_autofree char *text = soup_date_time_to_string (dt, SOUP_DATE_HTTP);
  sd_request_set_header (req, "Upload-Expires", text);
}

/* ---- the upload row ---- */

typedef struct {
  SdDbRows *rows;
  const char *id;          /* these belong to rows */
  const char *owner_id;
  const char *status;
  const char *metadata;
  const char *storage_key;
  gint64 length;
  gint64 received;
  gint64 expires_at;
} Upload;

static void
upload_clear (Upload *upload)
{
  g_clear_pointer (&upload->rows, sd_db_rows_free);
  memset (upload, 0, sizeof *upload);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Upload, upload_clear)

typedef enum {
  UPLOAD_READ   = 0,        /* the uploader and admins */
  UPLOAD_WRITE  = 1 << 0,   /* the uploader only */
  UPLOAD_ANY_AGE = 1 << 1,  /* expired ones too */
} UploadAccess;

/* Inside an open transaction: the upload of the {id} parameter, or
 * NOT_FOUND for anybody but those @access allows, GONE when it expired. */
static gboolean
upload_load (SdRequest     *req,
             UploadAccess   access,
             Upload        *out,
             GError       **error)
{
  SdDbRows *rows = sd_db_query (sd_request_db (req), error,
                                "SELECT id, owner_id, length, received, status, metadata, storage_key,"
                                "       expires_at, hash_state"
                                "  FROM uploads WHERE id = $1 AND org_id = $2",
                                "ss", sd_request_param (req, "id"), req->auth.org_id);
  if (rows == NULL)
    return FALSE;
  gboolean mine = sd_db_rows_n (rows) == 1 &&
                  g_strcmp0 (sd_db_rows_text (rows, 0, "owner_id"), req->auth.user_id) == 0;
  gboolean admin = req->auth.role == SD_ROLE_ADMIN && !(access & UPLOAD_WRITE);
  if (sd_db_rows_n (rows) != 1 || !(mine || admin))
    {
      sd_db_rows_free (rows);
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, "there is no such upload");
      return FALSE;
    }
  out->rows = rows;
  out->id = sd_db_rows_text (rows, 0, "id");
  out->owner_id = sd_db_rows_text (rows, 0, "owner_id");
  out->status = sd_db_rows_text (rows, 0, "status");
  out->metadata = sd_db_rows_text (rows, 0, "metadata");
  out->storage_key = sd_db_rows_text (rows, 0, "storage_key");
  out->length = sd_db_rows_int (rows, 0, "length");
  out->received = sd_db_rows_int (rows, 0, "received");
  out->expires_at = sd_db_rows_int (rows, 0, "expires_at");
  if (!(access & UPLOAD_ANY_AGE) && g_str_equal (out->status, "receiving") &&
      out->expires_at <= sd_request_now (req))
    {
      upload_clear (out);
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_GONE,
                           "this upload expired before it was finished; start a new one");
      return FALSE;
    }
  return TRUE;
}

/* ---- every request: the protocol version ---- */

static gboolean
tus_before (SdRequest  *req,
            GError    **error)
{
  sd_request_set_header (req, "Tus-Resumable", TUS_VERSION);
  if (g_str_equal (sd_request_method (req), "OPTIONS"))
    return TRUE;
  if (g_strcmp0 (sd_request_header (req, "Tus-Resumable"), TUS_VERSION) != 0)
    {
      sd_request_set_header (req, "Tus-Version", TUS_VERSION);
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_UNSUPPORTED_VERSION,
                           "this server speaks tus " TUS_VERSION "; send “Tus-Resumable: " TUS_VERSION "”");
      return FALSE;
    }
  return TRUE;
}

/* ---- OPTIONS /uploads, /uploads/{id} ---- */

static gboolean
handle_options (SdRequest  *req,
                GError    **error)
{
  sd_request_set_header (req, "Tus-Version", TUS_VERSION);
  sd_request_set_header (req, "Tus-Extension", TUS_EXTENSIONS);
  sd_request_set_header (req, "Tus-Checksum-Algorithm", TUS_CHECKSUMS);
  set_int_header (req, "Tus-Max-Size", sd_request_config (req)->max_upload_bytes);
  sd_request_reply_empty (req, 204);
  return TRUE;
}

/* ---- POST /uploads (creation) ---- */

/* @value from the metadata, or NULL; fails when it is there but empty,
 * longer than @max characters or holds control characters. */
static gboolean
metadata_text (GHashTable  *meta,
               const char  *key,
               glong        max,
               gboolean     multiline,
               const char **out,
               GError     **error)
{
  const char *value = g_hash_table_lookup (meta, key);
  *out = NULL;
  if (value == NULL)
    return TRUE;
  g_autofree char *trimmed = g_strstrip (g_strdup (value));
  if ((*trimmed == '\0' && !multiline) || g_utf8_strlen (value, -1) > max ||
      !sd_api_media_text_ok (value, multiline))
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                   "Upload-Metadata “%s” must be 1 to %ld characters without control characters",
                   key, max);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

static gboolean
handle_create (SdRequest  *req,
               GError    **error)
{
  const SdConfig *config = sd_request_config (req);
  const char *length_header = sd_request_header (req, "Upload-Length");
  gint64 length = 0;

  if (sd_request_header (req, "Upload-Defer-Length") != NULL)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST,
                           "uploads of unknown length (Upload-Defer-Length) are not supported");
      return FALSE;
    }
  if (sd_request_body_size (req) > 0)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST,
                           "create the upload with an empty body, then send the bytes with PATCH");
      return FALSE;
    }
  if (!parse_size (length_header, &length))
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST,
                           "send the file's size in bytes as Upload-Length");
      return FALSE;
    }
  if (length > config->max_upload_bytes)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_PAYLOAD_TOO_LARGE,
                   "a file may have at most %" G_GINT64_FORMAT " bytes", config->max_upload_bytes);
      return FALSE;
    }
  if (length == 0)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION, "an empty file is not a video");
      return FALSE;
    }

  const char *raw_metadata = sd_request_header (req, "Upload-Metadata");
  g_autoptr(GHashTable) meta = parse_metadata (raw_metadata, error);
  if (meta == NULL)
    return FALSE;
  const char *group_id = g_hash_table_lookup (meta, "group_id");
  const char *name = NULL, *filename = NULL, *description = NULL;
  if (!sd_json_is_uuid (group_id))
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                           "Upload-Metadata must carry the group's id as “group_id”");
      return FALSE;
    }
  if (!metadata_text (meta, "name", 200, FALSE, &name, error) ||
      !metadata_text (meta, "filename", 255, FALSE, &filename, error) ||
      !metadata_text (meta, "description", 5000, TRUE, &description, error))
    return FALSE;
  if (filename == NULL)
    filename = name != NULL ? name : "video";
  if (name == NULL)
    name = filename;

  SdApiNewFile file = { filename, length };
  if (!sd_request_begin (req, SD_DB_TX_WRITE, error))
    return FALSE;
  g_autofree char *asset_id = sd_api_asset_create (req, group_id, name, description, &file, 1,
                                                   raw_metadata != NULL ? raw_metadata : "", error);
  if (asset_id == NULL)
    return FALSE;
  g_autoptr(SdDbRows) rows = sd_db_query (sd_request_db (req), error,
                                          "SELECT u.id, u.expires_at FROM videos v"
                                          "  JOIN uploads u ON u.id = v.upload_id AND u.org_id = v.org_id"
                                          " WHERE v.asset_id = $1 AND v.org_id = $2",
                                          "ss", asset_id, req->auth.org_id);
  if (rows == NULL)
    return FALSE;
  g_assert (sd_db_rows_n (rows) == 1);
  g_autofree char *location = sd_api_upload_url (req, sd_db_rows_text (rows, 0, "id"));
  sd_request_set_header (req, "Location", location);
  set_expires_header (req, sd_db_rows_int (rows, 0, "expires_at"));
  return sd_api_asset_reply_created (req, asset_id, error);
}

/* ---- HEAD /uploads/{id} ---- */

static gboolean
handle_head (SdRequest  *req,
             GError    **error)
{
  g_auto(Upload) upload = { 0 };
  if (!sd_request_begin (req, SD_DB_TX_READ, error) ||
      !upload_load (req, UPLOAD_READ, &upload, error) ||
      !sd_request_commit (req, error))
    return FALSE;
  set_int_header (req, "Upload-Offset", upload.received);
  set_int_header (req, "Upload-Length", upload.length);
  if (upload.metadata != NULL && *upload.metadata != '\0')
    sd_request_set_header (req, "Upload-Metadata", upload.metadata);
  if (g_str_equal (upload.status, "receiving"))
    set_expires_header (req, upload.expires_at);
  sd_request_reply_empty (req, 200);
  return TRUE;
}

/* ---- PATCH /uploads/{id} ---- */

typedef struct {
  SdStorage *storage;
  SdStorageWriter *writer;     /* NULL for an empty body */
  char *upload_id;
  char *storage_key;
  gint64 start;                /* the offset this PATCH began at */
  gint64 length;               /* Upload-Length */
  gint64 expires_at;
  gint64 got;                  /* body bytes written */
  struct sha256_ctx file_hash; /* nettle: SHA-NI where the CPU has it */
  gboolean file_hash_ok;       /* file_hash covers bytes [0, start + got) */
  GChecksum *chunk_sum;        /* of the body, for Upload-Checksum */
  guint8 *expected;
  gsize expected_len;
  const char *algorithm;
  /* filled off the worker thread */
  GError *sync_error;
  char *sha256;                /* hex, when the upload is complete */
} Patch;

static void
patch_free (gpointer data)
{
  Patch *p = data;
  g_clear_pointer (&p->writer, sd_storage_writer_close);
  g_free (p->upload_id);
  g_free (p->storage_key);
  g_clear_pointer (&p->chunk_sum, g_checksum_free);
  g_free (p->expected);
  g_clear_error (&p->sync_error);
  g_free (p->sha256);
  g_free (p);
}

/* Upload-Checksum: "ALGORITHM BASE64". */
static gboolean
parse_checksum (Patch       *p,
                const char  *header,
                GError     **error)
{
  if (header == NULL)
    return TRUE;
  const char *space = strchr (header, ' ');
  g_autofree char *name = space != NULL ? g_strndup (header, (gsize) (space - header)) : NULL;
  for (gsize i = 0; name != NULL && i < G_N_ELEMENTS (algorithms); i++)
    if (g_ascii_strcasecmp (name, algorithms[i].name) == 0)
      {
        gsize len = 0;
        g_autofree char *b64 = g_strstrip (g_strdup (space + 1));
        g_autofree guint8 *digest = base64_decode_strict (b64, &len);
        if (digest == NULL || len != algorithms[i].length)
          {
            g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST,
                         "Upload-Checksum must be “%s” and the base64 of a %" G_GSIZE_FORMAT "-byte digest",
                         algorithms[i].name, algorithms[i].length);
            return FALSE;
          }
        p->algorithm = algorithms[i].name;
        p->chunk_sum = g_checksum_new (algorithms[i].type);
        p->expected = g_steal_pointer (&digest);
        p->expected_len = len;
        return TRUE;
      }
  g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST,
                       "Upload-Checksum must name one of " TUS_CHECKSUMS " and a base64 digest");
  return FALSE;
}

/* The checks before the body is read; sets the stream data (Patch). */
static gboolean
patch_begin (SdRequest  *req,
             GError    **error)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  goffset announced = soup_message_headers_get_content_length (headers);
  gint64 offset = 0;
  g_autoptr(GError) local = NULL;

  if (type == NULL || g_ascii_strcasecmp (type, OCTET_STREAM) != 0)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_UNSUPPORTED_MEDIA,
                           "send the bytes as " OCTET_STREAM);
      return FALSE;
    }
  if (!parse_size (sd_request_header (req, "Upload-Offset"), &offset))
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_INVALID_REQUEST,
                           "send the offset of the first byte as Upload-Offset");
      return FALSE;
    }

  Patch *p = g_new0 (Patch, 1);
  sd_request_set_stream_data (req, p, patch_free);
  if (!parse_checksum (p, sd_request_header (req, "Upload-Checksum"), error))
    return FALSE;

  g_auto(Upload) upload = { 0 };
  if (!sd_request_begin (req, SD_DB_TX_READ, error) ||
      !upload_load (req, UPLOAD_WRITE, &upload, error) ||
      !sd_request_commit (req, error))
    return FALSE;
  if (offset != upload.received)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_CONFLICT,
                   "the upload holds %" G_GINT64_FORMAT " bytes, so Upload-Offset must be %" G_GINT64_FORMAT,
                   upload.received, upload.received);
      return FALSE;
    }
  if (announced > upload.length - upload.received)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_PAYLOAD_TOO_LARGE,
                   "the body would go past Upload-Length (%" G_GINT64_FORMAT " bytes are missing)",
                   upload.length - upload.received);
      return FALSE;
    }

  p->storage = sd_request_storage (req);
  p->upload_id = g_strdup (upload.id);
  p->storage_key = g_strdup (upload.storage_key);
  p->start = upload.received;
  p->length = upload.length;
  p->expires_at = upload.expires_at;

  g_autoptr(GBytes) state = sd_db_rows_bytes (upload.rows, 0, "hash_state");
  if (p->start == 0)
    {
      sha256_init (&p->file_hash);
      p->file_hash_ok = TRUE;
    }
  else if (state != NULL && g_bytes_get_size (state) == sizeof p->file_hash)
    {
      memcpy (&p->file_hash, g_bytes_get_data (state, NULL), sizeof p->file_hash);
      /* A state from elsewhere (another nettle) is recomputed, not trusted. */
      p->file_hash_ok = p->file_hash.index < SHA256_BLOCK_SIZE &&
                        p->file_hash.count * SHA256_BLOCK_SIZE + p->file_hash.index == (guint64) p->start;
    }

  if (announced > 0)
    {
      p->writer = sd_storage_writer_open (p->storage, p->storage_key, p->start, &local);
      if (p->writer == NULL)
        {
          if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_BUSY))
            g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_CONFLICT,
                                 "another request is writing to this upload; ask for its offset and retry");
          else
            g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
patch_chunk (SdRequest  *req,
             GBytes     *chunk,
             GError    **error)
{
  Patch *p = sd_request_stream_data (req);
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (chunk, &len);

  /* libsoup stops at Content-Length, which patch_begin checked. */
  g_assert (p->writer != NULL && p->start + p->got + (gint64) len <= p->length);
  if (!sd_storage_writer_write (p->writer, data, len, error))
    return FALSE;
  if (p->file_hash_ok)
    sha256_update (&p->file_hash, len, data);
  if (p->chunk_sum != NULL)
    g_checksum_update (p->chunk_sum, data, (gssize) len);
  p->got += (gint64) len;
  return TRUE;
}

static char *
hash_hex (struct sha256_ctx *state)
{
  guint8 digest[SHA256_DIGEST_SIZE];
  sha256_digest (state, sizeof digest, digest);
  GString *hex = g_string_sized_new (2 * SHA256_DIGEST_SIZE);
  for (gsize i = 0; i < sizeof digest; i++)
    g_string_append_printf (hex, "%02x", digest[i]);
  return g_string_free (hex, FALSE);
}

/* The SHA-256 of the whole object, read back (when no running state was
 * kept).  Off the worker thread. */
static char *
hash_object (SdStorage   *storage,
             const char  *key,
             GError     **error)
{
  g_autoptr(GInputStream) in = sd_storage_read (storage, key, 0, error);
  if (in == NULL)
    return NULL;
  struct sha256_ctx state;
  sha256_init (&state);
  g_autofree guint8 *buf = g_malloc (1024 * 1024);
  for (;;)
    {
      gssize n = g_input_stream_read (in, buf, 1024 * 1024, NULL, error);
      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      sha256_update (&state, (size_t) n, buf);
    }
  return hash_hex (&state);
}

/* Off the worker thread: make the body durable; hash the file when it is
 * complete. */
static void
patch_sync_work (gpointer data)
{
  Patch *p = data;
  if (!sd_storage_writer_sync (p->writer, &p->sync_error))
    return;
  if (p->start + p->got == p->length)
    p->sha256 = p->file_hash_ok ? hash_hex (&p->file_hash)
                                : hash_object (p->storage, p->storage_key, &p->sync_error);
}

/* Commits the new offset (the bytes are durable already); on the last
 * byte also completes the upload and hands its video to the media worker. */
static gboolean
store_progress (SdRequest  *req,
                Patch      *p,
                GError    **error)
{
  SdDbConn *db = sd_request_db (req);
  gint64 received = p->start + p->got;
  gint64 now = sd_request_now (req);
  gint64 n;

  if (!sd_request_begin (req, SD_DB_TX_WRITE, error))
    return FALSE;
  if (received == p->length)
    {
      g_assert (p->sha256 != NULL);
      n = sd_db_exec (db, error,
                      "UPDATE uploads SET received = $3, status = 'complete', sha256 = $4,"
                      "                   hash_state = NULL, updated_at = $5"
                      " WHERE id = $1 AND org_id = $2 AND received = $6 AND status = 'receiving'",
                      "ssisii", p->upload_id, req->auth.org_id, received, p->sha256, now, p->start);
      if (n == 1 &&
          sd_db_exec (db, error,
                      "UPDATE videos SET status = 'processing', source_key = $3, updated_at = $4"
                      " WHERE upload_id = $1 AND org_id = $2 AND status = 'waiting_upload'",
                      "sssi", p->upload_id, req->auth.org_id, p->storage_key, now) < 0)
        return FALSE;
    }
  else
    {
      g_autoptr(GBytes) state = p->file_hash_ok ? g_bytes_new (&p->file_hash, sizeof p->file_hash) : NULL;
      n = sd_db_exec (db, error,
                      "UPDATE uploads SET received = $3, hash_state = $4, updated_at = $5"
                      " WHERE id = $1 AND org_id = $2 AND received = $6 AND status = 'receiving'",
                      "ssiBii", p->upload_id, req->auth.org_id, received, state, now, p->start);
    }
  if (n < 0)
    return FALSE;
  if (n == 0)
    {
      /* Deleted (terminated, expired) meanwhile: the writer may have made
       * the file again after the deletion removed it. */
      (void) sd_storage_remove (p->storage, p->storage_key, NULL);
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND,
                           "the upload was deleted while its bytes arrived");
      return FALSE;
    }
  if (!sd_request_commit (req, error))
    return FALSE;
  if (received == p->length)
    sd_server_kick_media_jobs (req->server);   /* its video is waiting */
  return TRUE;
}

static void
reply_offset (SdRequest *req,
              Patch     *p)
{
  gint64 received = p->start + p->got;
  set_int_header (req, "Upload-Offset", received);
  if (received < p->length)
    set_expires_header (req, p->expires_at);
  sd_request_reply_empty (req, 204);
}

static gboolean
patch_done (SdRequest  *req,
            GError    **error)
{
  Patch *p = sd_request_stream_data (req);
  if (p->sync_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&p->sync_error));
      return FALSE;
    }
  if (!store_progress (req, p, error))
    return FALSE;
  reply_offset (req, p);
  return TRUE;
}

static gboolean
handle_patch (SdRequest  *req,
              GError    **error)
{
  Patch *p = sd_request_stream_data (req);
  /* An empty body skipped the streaming path. */
  if (p == NULL && !patch_begin (req, error))
    return FALSE;
  p = sd_request_stream_data (req);

  if (p->chunk_sum != NULL)
    {
      guint8 digest[64];
      gsize len = sizeof digest;
      g_checksum_get_digest (p->chunk_sum, digest, &len);
      if (len != p->expected_len || memcmp (digest, p->expected, len) != 0)
        {
          if (p->writer != NULL && !sd_storage_writer_truncate (p->writer, p->start, error))
            return FALSE;
          p->got = 0;
          set_int_header (req, "Upload-Offset", p->start);
          g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_CHECKSUM_MISMATCH,
                       "the body does not match its %s Upload-Checksum; nothing of it was kept",
                       p->algorithm);
          return FALSE;
        }
    }
  if (p->got == 0)
    {
      reply_offset (req, p);
      return TRUE;
    }
  /* fsync (and maybe hashing the whole file) off the worker thread; the
   * Patch stays owned by the request. */
  sd_request_defer (req, patch_sync_work, patch_done, p, NULL);
  return TRUE;
}

/* The client went away mid-body: keep what arrived (durably), unless it
 * can never be checked against Upload-Checksum. */
static void
patch_abort (SdRequest *req)
{
  Patch *p = sd_request_stream_data (req);
  g_autoptr(GError) error = NULL;

  if (p == NULL || p->writer == NULL || p->got == 0)
    return;
  if (p->chunk_sum != NULL)
    {
      if (!sd_storage_writer_truncate (p->writer, p->start, &error))
        g_warning ("upload %s: cannot drop an unchecked partial body: %s", p->upload_id, error->message);
      return;
    }
  if (!sd_storage_writer_sync (p->writer, &error) || !store_progress (req, p, &error))
    {
      if (!g_error_matches (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND))
        g_warning ("upload %s: cannot keep a partial body: %s", p->upload_id, error->message);
    }
  sd_db_rollback (sd_request_db (req));
}

/* ---- DELETE /uploads/{id} (termination) ---- */

static gboolean
handle_delete (SdRequest  *req,
               GError    **error)
{
  g_auto(Upload) upload = { 0 };
  g_auto(SdApiMediaFiles) files = { 0 };

  sd_api_media_files_init (&files);
  if (!sd_request_begin (req, SD_DB_TX_WRITE, error) ||
      !upload_load (req, UPLOAD_READ | UPLOAD_ANY_AGE, &upload, error))
    return FALSE;
  if (!sd_api_upload_delete_db (sd_request_db (req), req->auth.org_id, upload.id, 0, &files, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND, "there is no such upload");
      return FALSE;
    }
  if (!sd_request_commit (req, error))
    return FALSE;
  sd_api_media_files_remove (req, &files);
  sd_request_reply_empty (req, 204);
  return TRUE;
}

static const SdRouteHooks tus_hooks = {
  .before = tus_before,
};

static const SdRouteHooks tus_patch_hooks = {
  .before = tus_before,
  .stream_begin = patch_begin,
  .stream_chunk = patch_chunk,
  .stream_abort = patch_abort,
};

const SdRoute sd_api_uploads_routes[] = {
  { "OPTIONS", "/uploads", handle_options, SD_ROUTE_PUBLIC, NULL, 0, NULL, &tus_hooks },
  { "POST", "/uploads", handle_create, SD_ROUTE_AUTH | SD_ROUTE_NO_BODY_CHECK, NULL, 0, NULL, &tus_hooks },
  { "OPTIONS", "/uploads/{id}", handle_options, SD_ROUTE_PUBLIC, NULL, 0, NULL, &tus_hooks },
  { "HEAD", "/uploads/{id}", handle_head, SD_ROUTE_AUTH, NULL, 0, "read", &tus_hooks },
  { "PATCH", "/uploads/{id}", handle_patch,
    SD_ROUTE_AUTH | SD_ROUTE_NO_BODY_CHECK | SD_ROUTE_STREAM_BODY, NULL, 0, NULL, &tus_patch_hooks },
  { "DELETE", "/uploads/{id}", handle_delete, SD_ROUTE_AUTH, NULL, 0, NULL, &tus_hooks },
  { NULL }
};
