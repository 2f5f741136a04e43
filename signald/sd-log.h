/* sd-log.h — the request log: one JSON line per request on stdout.
 *
 * Each worker thread has its own SdLog buffer, so logging takes no lock and
 * costs no system call per request: lines collect in the buffer and go out
 * together in one write(2) when it passes a few kilobytes, a quarter of a
 * second after the first line waiting, and when the worker stops.  Lines
 * are never split between writes, so the lines of several workers
 * interleave whole.
 *
 * Nothing secret goes in: the path without its query string (which may hold
 * a signature), never headers or bodies.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SdLog SdLog;

typedef struct {
  const char *method;
  const char *path;
  guint status;
  gint64 duration_us;
  const char *user_id;   /* may be NULL */
  const char *ip;        /* may be NULL */
  guint worker;
} SdLogRequest;

/* A buffer writing to @fd, flushing on @context (the worker's). */
SdLog *sd_log_new     (int fd, GMainContext *context);
/* Flushes and frees. */
void   sd_log_free    (SdLog *log);
void   sd_log_request (SdLog *log, const SdLogRequest *entry);
void   sd_log_flush   (SdLog *log);

/* Appends @s as a JSON string (with quotes) to @out; invalid UTF-8 bytes
 * become U+FFFD. */
void   sd_log_append_json_string (GString *out, const char *s);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdLog, sd_log_free)

G_END_DECLS
