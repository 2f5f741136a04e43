/* tg-util.h — small helpers the desktop app's views share: reading the
 * server's JSON without crashing on a missing member, turning a GError into
 * a sentence for a person, and formatting sizes, dates and asset states. */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* @node's object, or NULL when it is no object. */
JsonObject  *tg_json_object        (JsonNode    *node);
/* Member @name of @object as a string/object/array/integer/boolean, or
 * NULL (@fallback) when missing or of another type; @object may be NULL. */
const char  *tg_json_string        (JsonObject  *object,
                                    const char  *name);
JsonObject  *tg_json_member_object (JsonObject  *object,
                                    const char  *name);
JsonArray   *tg_json_member_array  (JsonObject  *object,
                                    const char  *name);
gint64       tg_json_int           (JsonObject  *object,
                                    const char  *name,
                                    gint64       fallback);
gboolean     tg_json_bool          (JsonObject  *object,
                                    const char  *name,
                                    gboolean     fallback);

/* A sentence for @error that a person can act on (translated where the
 * code is known, else the server's own message), starting with a capital
 * and ending with a full stop.  @doing, when not NULL, names what failed
 * ("Could not create the group"): the result is "DOING: REASON". */
char        *tg_error_sentence     (const GError *error,
                                    const char   *doing);

/* Whether @error is a cancellation (then nothing is shown). */
gboolean     tg_error_is_cancelled (const GError *error);

/* The label of an asset status ("waiting_upload" → "Waiting for Upload"),
 * and the CSS class of its badge. */
const char  *tg_asset_status_label (const char  *status);
const char  *tg_asset_status_css   (const char  *status);

/* An RFC 3339 time from the server in the user's time zone (the
 * "time-zone" setting, else the system's), e.g. "12 March 2025, 14:05";
 * NULL when @text is not a time. */
char        *tg_format_time        (const char  *text);
/* @date as "14 March 2025" in the user's language (no weekday). */
char        *tg_format_date        (GDateTime   *date);

/* "3.2 MB" */
char        *tg_format_size        (guint64      bytes);

/* "1:02" / "1:02:03" for a duration in milliseconds. */
char        *tg_format_duration    (gint64       ms);

/* The user's time zone: the "time-zone" setting when valid, else the
 * account's (GET /auth/me), else the system's. */
GTimeZone   *tg_user_time_zone     (void);
/* Its IANA name ("Europe/Berlin"); "UTC" when the system's has no name.
 * Never NULL. */
char        *tg_user_time_zone_name (void);

/* Sets the settings the app reads (the application owns them). */
void         tg_util_set_settings  (GSettings   *settings);
GSettings   *tg_util_get_settings  (void);

/* Finds the descendant of @root (or @root) whose widget name is @name,
 * depth first; NULL when there is none.  Used by tests and by the
 * screenshots. */
GtkWidget   *tg_widget_find        (GtkWidget   *root,
                                    const char  *name);

G_END_DECLS
