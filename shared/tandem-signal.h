/* tandem-signal.h — the call signaling messages of /ws, in one place for
 * signald and the client call engine.
 *
 * Every message is one JSON object in one WebSocket text frame, told apart
 * by "type" (docs: the "Call signaling" section of docs/ARCHITECTURE.md):
 *
 *   server → client   welcome {call_id, user_id, peer_present, peer{user_id, name}}
 *                     peer-joined {user_id, name}
 *                     peer-left {user_id, reason: left|dropped|hangup}
 *                     error {code, message}
 *                     pong
 *   client → server,  offer {sdp}, answer {sdp},
 *   relayed to the    candidate {sdp_mline_index, candidate} ("" = end of candidates),
 *   other side with   media {audio, video, screen, session?},
 *   "from" added      hangup
 *   client → server   ping, leave
 *
 * tandem_signal_parse() checks everything a receiver relies on: the text
 * is at most TANDEM_SIGNAL_MAX_BYTES of UTF-8 holding one JSON object
 * nested at most TANDEM_SIGNAL_MAX_DEPTH deep, "type" is known and allowed
 * from that origin, each field has its JSON type, its length limit and its
 * character set.  Members the type does not define are ignored (and so are
 * never relayed: signald relays what tandem_signal_to_json() rebuilds).
 * tandem_signal_to_json() makes the compact text of a message; what it
 * makes, tandem_signal_parse() accepts.
 *
 * What signald expects of a client (signald/rtc/sd-ws.h): a ping at least
 * every 20 s (60 s of silence close the socket as dropped); at most 50
 * messages at once and 50 per second (else error rate_limited, close
 * 1008); messages of at most TANDEM_SIGNAL_MAX_BYTES (else close 1009).
 * A socket replaced by a newer one of the same user is closed with 4001.
 * A relayed message arrives only while the other participant is there:
 * the one who stays offers again on peer-joined — unless the one who
 * comes back names, in its media message's "session", the connection
 * that still carries the media (then nothing is renegotiated).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Largest message either side sends or accepts (bytes of text). */
#define TANDEM_SIGNAL_MAX_BYTES      65536
/* Field limits, in bytes. */
#define TANDEM_SIGNAL_MAX_SDP        61440
#define TANDEM_SIGNAL_MAX_CANDIDATE  2048
#define TANDEM_SIGNAL_MAX_ID         64
#define TANDEM_SIGNAL_MAX_NAME       400
#define TANDEM_SIGNAL_MAX_CODE       64
#define TANDEM_SIGNAL_MAX_MESSAGE    1024
#define TANDEM_SIGNAL_MAX_MLINE      255
#define TANDEM_SIGNAL_MAX_SESSION    256   /* an ICE ufrag (RFC 8839: up to 256 ice-chars) */
/* Objects and arrays nested deeper than this are refused before parsing. */
#define TANDEM_SIGNAL_MAX_DEPTH      4

#define TANDEM_SIGNAL_ERROR (tandem_signal_error_quark ())

typedef enum {
  TANDEM_SIGNAL_ERROR_INVALID,       /* not a JSON object, or a field is missing or wrong */
  TANDEM_SIGNAL_ERROR_TOO_LARGE,     /* over TANDEM_SIGNAL_MAX_BYTES, or nested too deep */
  TANDEM_SIGNAL_ERROR_UNKNOWN_TYPE,  /* "type" is not one of the types above */
  TANDEM_SIGNAL_ERROR_NOT_ALLOWED,   /* a known type that this origin may not send */
} TandemSignalError;

GQuark tandem_signal_error_quark (void);

typedef enum {
  TANDEM_SIGNAL_INVALID = 0,
  /* server → client */
  TANDEM_SIGNAL_WELCOME,
  TANDEM_SIGNAL_PEER_JOINED,
  TANDEM_SIGNAL_PEER_LEFT,
  TANDEM_SIGNAL_ERROR_MSG,
  TANDEM_SIGNAL_PONG,
  /* client → server, relayed to the other participant with "from" */
  TANDEM_SIGNAL_OFFER,
  TANDEM_SIGNAL_ANSWER,
  TANDEM_SIGNAL_CANDIDATE,
  TANDEM_SIGNAL_MEDIA,
  TANDEM_SIGNAL_HANGUP,
  /* client → server only */
  TANDEM_SIGNAL_PING,
  TANDEM_SIGNAL_LEAVE,
} TandemSignalType;

typedef enum {
  TANDEM_SIGNAL_REASON_LEFT,     /* sent "leave" */
  TANDEM_SIGNAL_REASON_DROPPED,  /* the socket closed or was replaced without a word */
  TANDEM_SIGNAL_REASON_HANGUP,   /* sent "hangup" */
} TandemSignalReason;

/* Who sent the text being parsed. */
typedef enum {
  /* A client, as signald sees it: offer, answer, candidate, media, hangup,
   * ping, leave.  A "from" member is ignored (the server sets it). */
  TANDEM_SIGNAL_FROM_CLIENT,
  /* signald, as a client sees it: the server → client types, and the
   * relayed types, which must then carry "from". */
  TANDEM_SIGNAL_FROM_SERVER,
} TandemSignalOrigin;

/* One message.  Only the fields of its type are meaningful; strings are
 * owned by the message (NULL when absent). */
typedef struct {
  TandemSignalType type;
  char *from;              /* relayed types, as delivered by the server */
  char *call_id;           /* welcome */
  char *user_id;           /* welcome (the receiver), peer-joined, peer-left */
  char *name;              /* peer-joined */
  gboolean peer_present;   /* welcome */
  char *peer_user_id;      /* welcome */
  char *peer_name;         /* welcome */
  TandemSignalReason reason; /* peer-left */
  char *code;              /* error */
  char *message;           /* error */
  char *sdp;               /* offer, answer */
  guint sdp_mline_index;   /* candidate */
  char *candidate;         /* candidate; "" marks the end of candidates */
  gboolean audio;          /* media */
  gboolean video;
  gboolean screen;
  char *session;           /* media, optional: the ICE user fragment of the
                            * sender's current peer connection, so that after
                            * a break of signaling alone the other side can
                            * tell the connection still stands */
} TandemSignal;

/* A zeroed message of @type; never fails. */
TandemSignal *tandem_signal_new           (TandemSignalType type);
/* offer or answer with @sdp (copied). */
TandemSignal *tandem_signal_new_sdp       (TandemSignalType type,
                                           const char      *sdp);
/* candidate; @candidate NULL or "" is the end of candidates. */
TandemSignal *tandem_signal_new_candidate (guint            sdp_mline_index,
                                           const char      *candidate);
TandemSignal *tandem_signal_new_media     (gboolean         audio,
                                           gboolean         video,
                                           gboolean         screen);
TandemSignal *tandem_signal_copy          (const TandemSignal *msg);
void          tandem_signal_free          (TandemSignal    *msg);

/* Parses and validates @size bytes of @text (need not be NUL-terminated)
 * sent by @origin.  Returns a new message, or NULL with @error set in
 * TANDEM_SIGNAL_ERROR; the error message names the offending field.
 * Never crashes on any input. */
TandemSignal *tandem_signal_parse         (const char        *text,
                                           gsize              size,
                                           TandemSignalOrigin origin,
                                           GError           **error);

/* The compact JSON text of @msg (the fields of its type; "from" when set
 * on a relayed type).  Never fails; the caller frees it.  Strings longer
 * than their limit are not cut: the receiver refuses them. */
char         *tandem_signal_to_json       (const TandemSignal *msg);

/* "offer", "peer-joined", …; NULL for TANDEM_SIGNAL_INVALID. */
const char   *tandem_signal_type_to_string   (TandemSignalType type);
/* TANDEM_SIGNAL_INVALID for an unknown name. */
TandemSignalType tandem_signal_type_from_string (const char *name);
/* TRUE for the types a client sends that the server relays. */
gboolean      tandem_signal_type_is_relayed  (TandemSignalType type);
const char   *tandem_signal_reason_to_string (TandemSignalReason reason);
/* The stable code ("invalid_message", "message_too_large", "unknown_type",
 * "not_allowed") for an error of TANDEM_SIGNAL_ERROR. */
const char   *tandem_signal_error_code       (const GError *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TandemSignal, tandem_signal_free)

G_END_DECLS
