/* sd-api-stream.h — replies whose body is read from a stream piece by
 * piece (video files, pictures in storage) instead of held in memory, and
 * the single byte range of an HTTP Range header. */
#pragma once

#include "api/sd-api.h"

#include <gio/gio.h>

G_BEGIN_DECLS

/* Replies @status with @length bytes read from @stream (a reference is
 * taken; it is read from its current position and closed at the end) as
 * @content_type, in 64 KiB pieces read asynchronously on the worker's
 * main loop.  A HEAD request gets the headers only.  When the stream
 * fails midway the connection is closed, since the status is sent. */
void sd_api_reply_stream (SdRequest    *req,
                          guint         status,
                          const char   *content_type,
                          GInputStream *stream,
                          goffset       length);

typedef enum {
  SD_API_RANGE_NONE,            /* no Range, or one to ignore (several ranges, not bytes, malformed) */
  SD_API_RANGE_OK,              /* serve [start, end] */
  SD_API_RANGE_UNSATISFIABLE,   /* 416 */
} SdApiRange;

/* Reads a Range header ("bytes=0-499", "bytes=500-", "bytes=-500") against
 * a resource of @total bytes; on SD_API_RANGE_OK sets the inclusive
 * @start and @end (clamped to the resource). */
SdApiRange sd_api_parse_range (const char *header,
                               goffset     total,
                               goffset    *start,
                               goffset    *end);

G_END_DECLS
