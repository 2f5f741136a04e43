/* tandem-error.c — error codes <-> HTTP statuses <-> API strings. */
#include "tandem-error.h"

G_DEFINE_QUARK (tandem-error-quark, tandem_error)

typedef struct {
  TandemErrorCode code;
  guint status;
  const char *name;
} ErrorInfo;

static const ErrorInfo error_table[] = {
  { TANDEM_ERROR_INVALID_REQUEST,     400, "invalid_request" },
  { TANDEM_ERROR_INVALID_JSON,        400, "invalid_json" },
  { TANDEM_ERROR_UNAUTHORIZED,        401, "unauthorized" },
  { TANDEM_ERROR_INVALID_CREDENTIALS, 401, "invalid_credentials" },
  { TANDEM_ERROR_FORBIDDEN,           403, "forbidden" },
  { TANDEM_ERROR_INSUFFICIENT_SCOPE,  403, "insufficient_scope" },
  { TANDEM_ERROR_NOT_FOUND,           404, "not_found" },
  { TANDEM_ERROR_METHOD_NOT_ALLOWED,  405, "method_not_allowed" },
  { TANDEM_ERROR_CONFLICT,            409, "conflict" },
  { TANDEM_ERROR_EMAIL_TAKEN,         409, "email_taken" },
  { TANDEM_ERROR_ALREADY_MEMBER,      409, "already_member" },
  { TANDEM_ERROR_GONE,                410, "gone" },
  { TANDEM_ERROR_INVITATION_EXPIRED,  410, "invitation_expired" },
  { TANDEM_ERROR_INVITATION_USED,     410, "invitation_used" },
  { TANDEM_ERROR_PAYLOAD_TOO_LARGE,   413, "payload_too_large" },
  { TANDEM_ERROR_UNSUPPORTED_MEDIA,   415, "unsupported_media_type" },
  { TANDEM_ERROR_VALIDATION,          422, "validation_failed" },
  { TANDEM_ERROR_WEAK_PASSWORD,       422, "weak_password" },
  { TANDEM_ERROR_RATE_LIMITED,        429, "rate_limited" },
  { TANDEM_ERROR_INTERNAL,            500, "internal" },
  { TANDEM_ERROR_UNAVAILABLE,         503, "unavailable" },
  { TANDEM_ERROR_NETWORK,             0,   "network" },
  { TANDEM_ERROR_PROTOCOL,            0,   "protocol" },
  { TANDEM_ERROR_QUOTA_EXCEEDED,      507, "quota_exceeded" },
  { TANDEM_ERROR_SLOT_UNAVAILABLE,    409, "slot_unavailable" },
  { TANDEM_ERROR_INVALID_TRANSITION,  409, "invalid_transition" },
  { TANDEM_ERROR_RANGE_NOT_SATISFIABLE, 416, "range_not_satisfiable" },
  { TANDEM_ERROR_NOT_READY,           409, "not_ready" },
  { TANDEM_ERROR_UNSUPPORTED_VERSION, 412, "unsupported_version" },
  { TANDEM_ERROR_CHECKSUM_MISMATCH,   460, "checksum_mismatch" },
  { TANDEM_ERROR_BOOKING_CANCELLED,   409, "booking_cancelled" },
  { TANDEM_ERROR_OUTSIDE_CONNECT_WINDOW, 409, "outside_connect_window" },
  { TANDEM_ERROR_TOO_LATE,            409, "too_late" },
};

static const ErrorInfo *
lookup (TandemErrorCode code)
{
  for (gsize i = 0; i < G_N_ELEMENTS (error_table); i++)
    if (error_table[i].code == code)
      return &error_table[i];
  return NULL;
}

guint
tandem_error_http_status (TandemErrorCode code)
{
  const ErrorInfo *info = lookup (code);
  return info != NULL && info->status != 0 ? info->status : 500;
}

const char *
tandem_error_code_name (TandemErrorCode code)
{
  const ErrorInfo *info = lookup (code);
  return info != NULL ? info->name : "internal";
}

TandemErrorCode
tandem_error_code_from_name (const char *name,
                             guint       http_status)
{
  if (name != NULL)
    for (gsize i = 0; i < G_N_ELEMENTS (error_table); i++)
      if (g_str_equal (error_table[i].name, name))
        return error_table[i].code;

  /* Unknown name: the first table entry with the same status is the generic one. */
  for (gsize i = 0; i < G_N_ELEMENTS (error_table); i++)
    if (error_table[i].status == http_status)
      return error_table[i].code;
  return http_status >= 500 ? TANDEM_ERROR_INTERNAL : TANDEM_ERROR_PROTOCOL;
}
