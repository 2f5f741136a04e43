/* tandem-error.h — the one error domain shared by signald and the clients.
 *
 * Each code maps to an HTTP status and to the stable string that the REST API
 * puts in {"error":{"code":…}}.  The client maps the string back to the code,
 * so a GError survives the trip over the wire.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TANDEM_ERROR (tandem_error_quark ())

typedef enum {
  TANDEM_ERROR_INVALID_REQUEST,     /* 400 invalid_request */
  TANDEM_ERROR_INVALID_JSON,        /* 400 invalid_json */
  TANDEM_ERROR_UNAUTHORIZED,        /* 401 unauthorized */
  TANDEM_ERROR_INVALID_CREDENTIALS, /* 401 invalid_credentials */
  TANDEM_ERROR_FORBIDDEN,           /* 403 forbidden */
  TANDEM_ERROR_INSUFFICIENT_SCOPE,  /* 403 insufficient_scope */
  TANDEM_ERROR_NOT_FOUND,           /* 404 not_found */
  TANDEM_ERROR_METHOD_NOT_ALLOWED,  /* 405 method_not_allowed */
  TANDEM_ERROR_CONFLICT,            /* 409 conflict */
  TANDEM_ERROR_EMAIL_TAKEN,         /* 409 email_taken */
  TANDEM_ERROR_ALREADY_MEMBER,      /* 409 already_member */
  TANDEM_ERROR_GONE,                /* 410 gone */
  TANDEM_ERROR_INVITATION_EXPIRED,  /* 410 invitation_expired */
  TANDEM_ERROR_INVITATION_USED,     /* 410 invitation_used */
  TANDEM_ERROR_PAYLOAD_TOO_LARGE,   /* 413 payload_too_large */
  TANDEM_ERROR_UNSUPPORTED_MEDIA,   /* 415 unsupported_media_type */
  TANDEM_ERROR_VALIDATION,          /* 422 validation_failed */
  TANDEM_ERROR_WEAK_PASSWORD,       /* 422 weak_password */
  TANDEM_ERROR_RATE_LIMITED,        /* 429 rate_limited */
  TANDEM_ERROR_INTERNAL,            /* 500 internal */
  TANDEM_ERROR_UNAVAILABLE,         /* 503 unavailable */
  TANDEM_ERROR_NETWORK,             /* client side: could not reach the server */
  TANDEM_ERROR_PROTOCOL,            /* client side: the server's reply made no sense */
  TANDEM_ERROR_QUOTA_EXCEEDED,      /* 507 quota_exceeded */
  TANDEM_ERROR_SLOT_UNAVAILABLE,    /* 409 slot_unavailable */
  TANDEM_ERROR_INVALID_TRANSITION,  /* 409 invalid_transition */
  TANDEM_ERROR_RANGE_NOT_SATISFIABLE, /* 416 range_not_satisfiable */
  TANDEM_ERROR_NOT_READY,           /* 409 not_ready: media still processing or failed */
  TANDEM_ERROR_UNSUPPORTED_VERSION, /* 412 unsupported_version (tus: Tus-Resumable) */
  TANDEM_ERROR_CHECKSUM_MISMATCH,   /* 460 checksum_mismatch (tus checksum extension) */
  TANDEM_ERROR_BOOKING_CANCELLED,   /* 409 booking_cancelled */
  TANDEM_ERROR_OUTSIDE_CONNECT_WINDOW, /* 409 outside_connect_window: too early or too late to join a call */
  TANDEM_ERROR_TOO_LATE,            /* 409 too_late: inside a notice period (cancel/move a session) */
} TandemErrorCode;

GQuark       tandem_error_quark          (void);

/* HTTP status for @code; never fails (unknown codes give 500). */
guint        tandem_error_http_status    (TandemErrorCode code);

/* The API's string for @code, e.g. "email_taken"; a static string. */
const char  *tandem_error_code_name      (TandemErrorCode code);

/* Reverse of tandem_error_code_name(); when @name is unknown, falls back to
 * the generic code for @http_status.  Never fails. */
TandemErrorCode tandem_error_code_from_name (const char *name,
                                             guint       http_status);

G_END_DECLS
