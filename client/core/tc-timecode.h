/* tc-timecode.h — positions in a video as people type and read them:
 * "1:02.5", "1:02:03.25", "62.5" ↔ milliseconds.  Pure code, no I/O. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The longest position accepted: 1000 hours, in ms. */
#define TC_TIMECODE_MAX_MS (G_GINT64_CONSTANT (1000) * 3600 * 1000)

/* Parses @text as a position: "[h:]m:s[.fff]" (seconds, and minutes after
 * hours, below 60; at most three decimals) or plain seconds "s[.fff]".
 * Surrounding spaces are allowed; signs, empty fields and other characters
 * are not.  On success stores the position in *@ms.  Fails with
 * TANDEM_ERROR_VALIDATION and a sentence quoting @text. */
gboolean  tc_timecode_parse  (const char  *text,
                              gint64      *ms,
                              GError     **error);

/* @ms (≥ 0) as "m:ss" or "h:mm:ss", with up to three decimals when @ms is
 * not whole seconds ("1:02.5", "0:00", "1:00:03.25").  Negative values are
 * shown as 0.  Free with g_free(). */
char     *tc_timecode_format (gint64       ms);

G_END_DECLS
