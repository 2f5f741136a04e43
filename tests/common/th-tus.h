/* th-tus.h — test helpers for uploads: tus requests (with Tus-Resumable
 * and any extra headers), PATCH loops, a PATCH whose connection is cut
 * mid-body (raw socket), random data and SHA-256, and direct database
 * queries in an organization (for checks the API does not expose, such as
 * storage_used). */
#pragma once

#include "th-server.h"
#include "store/sd-db.h"

G_BEGIN_DECLS

/* @method on @target (a path, or an absolute URL on the server) with
 * "Tus-Resumable: 1.0.0", the bearer @token (may be NULL), @body (may be
 * NULL) and extra headers as name, value pairs ending with NULL.  A header
 * named "Tus-Resumable" with value NULL removes that header. */
ThResponse *th_tus_request     (ThServer   *ts,
                                const char *method,
                                const char *target,
                                const char *token,
                                GBytes     *body,
                                ...) G_GNUC_NULL_TERMINATED;

/* A response header, or NULL. */
const char *th_header          (ThResponse *r,
                                const char *name);
/* A response header as an integer, or -1. */
gint64      th_header_int      (ThResponse *r,
                                const char *name);

/* HEAD: the Upload-Offset, or -(status) when the reply is not 200. */
gint64      th_tus_offset      (ThServer   *ts,
                                const char *upload,
                                const char *token);

/* PATCH @chunk at @offset; @checksum is an Upload-Checksum value or NULL. */
ThResponse *th_tus_patch       (ThServer   *ts,
                                const char *upload,
                                const char *token,
                                gint64      offset,
                                GBytes     *chunk,
                                const char *checksum);

/* PATCH the rest of @data, from the offset HEAD reports, in pieces of
 * @piece bytes; asserts each reply. */
void        th_tus_upload_rest (ThServer   *ts,
                                const char *upload,
                                const char *token,
                                GBytes     *data,
                                gsize       piece);

/* "Upload-Checksum" value for @data with @algorithm ("sha1", "sha256"…). */
char       *th_tus_checksum    (const char *algorithm,
                                GBytes     *data);

/* Sends a PATCH at @offset announcing all of @data but only its first
 * @send bytes, then closes the connection.  With @checksum (or NULL). */
void        th_tus_patch_cut   (ThServer   *ts,
                                const char *upload,
                                const char *token,
                                gint64      offset,
                                GBytes     *data,
                                gsize       send,
                                const char *checksum);
/* Like th_tus_patch_cut but leaves the connection open: close it with
 * g_object_unref(). */
GIOStream  *th_tus_patch_hold  (ThServer   *ts,
                                const char *upload,
                                const char *token,
                                gint64      offset,
                                GBytes     *data,
                                gsize       send);

/* Polls HEAD until it reports @offset or @timeout_ms pass; returns the
 * last offset seen. */
gint64      th_tus_wait_offset (ThServer   *ts,
                                const char *upload,
                                const char *token,
                                gint64      offset,
                                guint       timeout_ms);

/* The path of @url ("http://host:port/uploads/ID" -> "/uploads/ID"). */
char       *th_url_path        (const char *url);

/* @n bytes from a seeded PRNG (deterministic per seed). */
GBytes     *th_random_bytes    (gsize   n,
                                guint32 seed);
char       *th_sha256_hex      (GBytes *bytes);
/* The SHA-256 of a file, or NULL when it cannot be read. */
char       *th_sha256_file     (const char *path);

/* Read-only query in @org_id's transaction on the in-process server's
 * database (its own connection). */
SdDbRows   *th_db_query        (ThServer   *ts,
                                const char *org_id,
                                const char *sql,
                                const char *fmt,
                                ...);
/* An UPDATE/INSERT/DELETE (RETURNING is appended) in @org_id's
 * transaction; returns the rows changed. */
gint64      th_db_exec         (ThServer   *ts,
                                const char *org_id,
                                const char *sql,
                                const char *fmt,
                                ...);
/* The integer column "n" of the one row that @sql returns. */
gint64      th_db_int          (ThServer   *ts,
                                const char *org_id,
                                const char *sql,
                                const char *fmt,
                                ...);

/* The organization id of the user with @token (GET /auth/me). */
char       *th_org_of          (ThServer   *ts,
                                const char *token);

G_END_DECLS
