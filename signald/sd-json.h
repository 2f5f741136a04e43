/* sd-json.h — parsing and validating JSON request bodies against a static
 * field table (the Janus way: every request checked before a handler sees
 * it), and small helpers for writing replies. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  SD_FIELD_STRING,
  SD_FIELD_INT,
  SD_FIELD_BOOL,
  SD_FIELD_OBJECT,
  SD_FIELD_ARRAY,
  SD_FIELD_STRING_ARRAY,
} SdFieldType;

typedef enum {
  SD_FIELD_OPTIONAL = 0,
  SD_FIELD_REQUIRED = 1 << 0,
  SD_FIELD_NULLABLE = 1 << 1,  /* null is accepted (means "clear") */
  SD_FIELD_TRIM     = 1 << 2,  /* strings: surrounding spaces do not count (checked, not changed) */
} SdFieldFlags;

typedef struct {
  const char *name;
  SdFieldType type;
  SdFieldFlags flags;
  gint64 min;   /* strings: characters; ints: value; arrays: elements */
  gint64 max;   /* 0 = no limit */
} SdField;

/* Parse @data as a JSON object no deeper than 32 levels.  Errors are
 * TANDEM_ERROR_INVALID_JSON. */
JsonObject *sd_json_parse_object (const char  *data,
                                  gsize        size,
                                  GError     **error);

/* Check @object against @fields (terminated by an entry with name NULL).
 * Errors are TANDEM_ERROR_VALIDATION naming the field.  Unknown members are
 * ignored. */
gboolean    sd_json_validate     (JsonObject     *object,
                                  const SdField  *fields,
                                  GError        **error);

/* Member access after validation: NULL / default when absent or null. */
const char *sd_json_get_string   (JsonObject *object, const char *name);
gint64      sd_json_get_int      (JsonObject *object, const char *name, gint64 fallback);
gboolean    sd_json_get_bool     (JsonObject *object, const char *name, gboolean fallback);
gboolean    sd_json_has          (JsonObject *object, const char *name);

/* Unix seconds -> "2026-11-21T10:00:00Z"; newly allocated. */
char       *sd_json_format_time  (gint64 unix_seconds);
/* Appends the same text to @out (no allocation of its own: for replies
 * with many times). */
void        sd_json_append_time  (GString *out, gint64 unix_seconds);
/* Appends @value as a JSON string literal (quotes and escapes included). */
void        sd_json_append_string (GString *out, const char *value);
/* Sets @name to the RFC 3339 form of @unix_seconds, or null when < 0. */
void        sd_json_set_time     (JsonObject *object, const char *name, gint64 unix_seconds);
/* Sets @name to @value or null. */
void        sd_json_set_string_or_null (JsonObject *object, const char *name, const char *value);

/* "Normal" e-mail check: one @, no spaces, a dot in the domain, ≤ 254 bytes. */
gboolean    sd_json_is_email     (const char *value);
/* Is @value a UUID in canonical text form? */
gboolean    sd_json_is_uuid      (const char *value);

G_END_DECLS
