/* tandem-signal.c — parse, validate and build the call signaling messages
 * (see tandem-signal.h for the rules). */
#include "tandem-signal.h"

#include <json-glib/json-glib.h>
#include <string.h>

G_DEFINE_QUARK (tandem-signal-error-quark, tandem_signal_error)

typedef struct {
  TandemSignalType type;
  const char *name;
  gboolean from_client;   /* a client may send it */
  gboolean from_server;   /* the server may send it */
} TypeInfo;

static const TypeInfo types[] = {
  { TANDEM_SIGNAL_WELCOME,     "welcome",     FALSE, TRUE },
  { TANDEM_SIGNAL_PEER_JOINED, "peer-joined", FALSE, TRUE },
  { TANDEM_SIGNAL_PEER_LEFT,   "peer-left",   FALSE, TRUE },
  { TANDEM_SIGNAL_ERROR_MSG,   "error",       FALSE, TRUE },
  { TANDEM_SIGNAL_PONG,        "pong",        FALSE, TRUE },
  { TANDEM_SIGNAL_OFFER,       "offer",       TRUE,  TRUE },
  { TANDEM_SIGNAL_ANSWER,      "answer",      TRUE,  TRUE },
  { TANDEM_SIGNAL_CANDIDATE,   "candidate",   TRUE,  TRUE },
  { TANDEM_SIGNAL_MEDIA,       "media",       TRUE,  TRUE },
  { TANDEM_SIGNAL_HANGUP,      "hangup",      TRUE,  TRUE },
  { TANDEM_SIGNAL_PING,        "ping",        TRUE,  FALSE },
  { TANDEM_SIGNAL_LEAVE,       "leave",       TRUE,  FALSE },
};

static const char *const reasons[] = {
  [TANDEM_SIGNAL_REASON_LEFT] = "left",
  [TANDEM_SIGNAL_REASON_DROPPED] = "dropped",
  [TANDEM_SIGNAL_REASON_HANGUP] = "hangup",
};

static const TypeInfo *
type_info (TandemSignalType type)
{
  for (gsize i = 0; i < G_N_ELEMENTS (types); i++)
    if (types[i].type == type)
      return &types[i];
  return NULL;
}

const char *
tandem_signal_type_to_string (TandemSignalType type)
{
  const TypeInfo *info = type_info (type);
  return info != NULL ? info->name : NULL;
}

TandemSignalType
tandem_signal_type_from_string (const char *name)
{
  for (gsize i = 0; name != NULL && i < G_N_ELEMENTS (types); i++)
    if (g_str_equal (types[i].name, name))
      return types[i].type;
  return TANDEM_SIGNAL_INVALID;
}

gboolean
tandem_signal_type_is_relayed (TandemSignalType type)
{
  const TypeInfo *info = type_info (type);
  return info != NULL && info->from_client && info->from_server;
}

const char *
tandem_signal_reason_to_string (TandemSignalReason reason)
{
  return (guint) reason < G_N_ELEMENTS (reasons) ? reasons[reason] : "dropped";
}

const char *
tandem_signal_error_code (const GError *error)
{
  if (error == NULL || error->domain != TANDEM_SIGNAL_ERROR)
    return "invalid_message";
  switch ((TandemSignalError) error->code)
    {
    case TANDEM_SIGNAL_ERROR_TOO_LARGE: return "message_too_large";
    case TANDEM_SIGNAL_ERROR_UNKNOWN_TYPE: return "unknown_type";
    case TANDEM_SIGNAL_ERROR_NOT_ALLOWED: return "not_allowed";
    case TANDEM_SIGNAL_ERROR_INVALID:
    default: return "invalid_message";
    }
}

/* ---- messages ---- */

TandemSignal *
tandem_signal_new (TandemSignalType type)
{
  TandemSignal *msg = g_new0 (TandemSignal, 1);
  msg->type = type;
  return msg;
}

TandemSignal *
tandem_signal_new_sdp (TandemSignalType  type,
                       const char       *sdp)
{
  g_return_val_if_fail (type == TANDEM_SIGNAL_OFFER || type == TANDEM_SIGNAL_ANSWER, NULL);
  TandemSignal *msg = tandem_signal_new (type);
  msg->sdp = g_strdup (sdp);
  return msg;
}

TandemSignal *
tandem_signal_new_candidate (guint       sdp_mline_index,
                             const char *candidate)
{
  TandemSignal *msg = tandem_signal_new (TANDEM_SIGNAL_CANDIDATE);
  msg->sdp_mline_index = sdp_mline_index;
  msg->candidate = g_strdup (candidate != NULL ? candidate : "");
  return msg;
}

TandemSignal *
tandem_signal_new_media (gboolean audio,
                         gboolean video,
                         gboolean screen)
{
  TandemSignal *msg = tandem_signal_new (TANDEM_SIGNAL_MEDIA);
  msg->audio = audio;
  msg->video = video;
  msg->screen = screen;
  return msg;
}

TandemSignal *
tandem_signal_copy (const TandemSignal *msg)
{
  TandemSignal *copy = g_memdup2 (msg, sizeof *msg);
  copy->from = g_strdup (msg->from);
  copy->call_id = g_strdup (msg->call_id);
  copy->user_id = g_strdup (msg->user_id);
  copy->name = g_strdup (msg->name);
  copy->peer_user_id = g_strdup (msg->peer_user_id);
  copy->peer_name = g_strdup (msg->peer_name);
  copy->code = g_strdup (msg->code);
  copy->message = g_strdup (msg->message);
  copy->sdp = g_strdup (msg->sdp);
  copy->candidate = g_strdup (msg->candidate);
  copy->session = g_strdup (msg->session);
  return copy;
}

void
tandem_signal_free (TandemSignal *msg)
{
  if (msg == NULL)
    return;
  g_free (msg->from);
  g_free (msg->call_id);
  g_free (msg->user_id);
  g_free (msg->name);
  g_free (msg->peer_user_id);
  g_free (msg->peer_name);
  g_free (msg->code);
  g_free (msg->message);
  g_free (msg->sdp);
  g_free (msg->candidate);
  g_free (msg->session);
  g_free (msg);
}

/* ---- parsing ---- */

static int
hex4 (const char *text,
      gsize       size,
      gsize       at)
{
  int value = 0;
  if (at + 4 > size)
    return -1;
  for (gsize k = at; k < at + 4; k++)
    {
      int d = g_ascii_xdigit_value (text[k]);
      if (d < 0)
        return -1;
      value = value * 16 + d;
    }
  return value;
}

/* At *@i the "u" of a "\u" escape: checks that it names a character other
 * than NUL — a high surrogate only when a low one follows — and moves *@i
 * to its last hex digit.  json-glib turns a lone surrogate into invalid
 * UTF-8 (and leaks memory on some of those paths), and NUL cuts strings. */
static gboolean
check_unicode_escape (const char  *text,
                      gsize        size,
                      gsize       *i,
                      GError     **error)
{
  int cp = hex4 (text, size, *i + 1);
  gboolean ok = cp > 0 && !(cp >= 0xdc00 && cp <= 0xdfff);
  gsize end = *i + 4;

  if (ok && cp >= 0xd800 && cp <= 0xdbff)
    {
      int low = end + 2 < size && text[end + 1] == '\\' && text[end + 2] == 'u'
                ? hex4 (text, size, end + 3) : -1;
      ok = low >= 0xdc00 && low <= 0xdfff;
      end += 6;
    }
  if (!ok)
    {
      g_set_error_literal (error, TANDEM_SIGNAL_ERROR, TANDEM_SIGNAL_ERROR_INVALID,
                           "a message may not escape NUL, a lone surrogate or a malformed \\u");
      return FALSE;
    }
  *i = end;
  return TRUE;
}

/* One JSON object and nothing after it, nested at most
 * TANDEM_SIGNAL_MAX_DEPTH deep.  Checked on the raw text, before json-glib
 * sees it: its parser recurses once per level (a deep text exhausts the
 * stack before any depth check could run) and accepts, then leaks, values
 * that follow the first one. */
static gboolean
check_shape (const char  *text,
             gsize        size,
             GError     **error)
{
  gsize i = 0;
  guint depth = 0;
  gboolean in_string = FALSE, escaped = FALSE, closed = FALSE;

  while (i < size && g_ascii_isspace (text[i]))
    i++;
  if (i == size || text[i] != '{')
    {
      g_set_error_literal (error, TANDEM_SIGNAL_ERROR, TANDEM_SIGNAL_ERROR_INVALID,
                           "a message is one JSON object");
      return FALSE;
    }
  for (; i < size; i++)
    {
      char c = text[i];
      if (closed)
        {
          if (!g_ascii_isspace (c))
            {
              g_set_error_literal (error, TANDEM_SIGNAL_ERROR, TANDEM_SIGNAL_ERROR_INVALID,
                                   "text follows the message's object");
              return FALSE;
            }
          continue;
        }
      if (in_string)
        {
          if (escaped)
            {
              escaped = FALSE;
              if (c == 'u' && !check_unicode_escape (text, size, &i, error))
                return FALSE;
            }
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '/' || c == '#' || c == '\'')
        {
          /* Not JSON; json-glib's scanner would take them for comments or
           * quotes, hiding brackets from this count. */
          g_set_error_literal (error, TANDEM_SIGNAL_ERROR, TANDEM_SIGNAL_ERROR_INVALID,
                               "a message must be valid JSON");
          return FALSE;
        }
      else if (c == '{' || c == '[')
        {
          if (++depth > TANDEM_SIGNAL_MAX_DEPTH)
            {
              g_set_error (error, TANDEM_SIGNAL_ERROR, TANDEM_SIGNAL_ERROR_TOO_LARGE,
                           "a message may nest at most %d levels", TANDEM_SIGNAL_MAX_DEPTH);
              return FALSE;
            }
        }
      else if (c == '}' || c == ']')
        {
          if (depth == 0)
            break;   /* unbalanced: json-glib reports it */
          if (--depth == 0)
            closed = TRUE;
        }
    }
  return TRUE;
}

static gboolean
invalid (GError     **error,
         const char  *field,
         const char  *what)
{
  g_set_error (error, TANDEM_SIGNAL_ERROR, TANDEM_SIGNAL_ERROR_INVALID, "“%s” %s", field, what);
  return FALSE;
}

static JsonNode *
member (JsonObject *object,
        const char *name)
{
  return json_object_has_member (object, name) ? json_object_get_member (object, name) : NULL;
}

typedef enum {
  TEXT_ANY,        /* valid UTF-8 */
  TEXT_ID,         /* [A-Za-z0-9_-], not empty */
  TEXT_CODE,       /* [a-z0-9_], not empty */
  TEXT_SDP,        /* starts with "v=0" */
  TEXT_CANDIDATE,  /* "" or "candidate:…" on one line */
  TEXT_UFRAG,      /* ICE ice-chars: [A-Za-z0-9+/], not empty */
} TextKind;

static gboolean
text_ok (const char *s,
         gsize       len,
         TextKind    kind)
{
  if (!g_utf8_validate_len (s, len, NULL))
    return FALSE;
  switch (kind)
    {
    case TEXT_ID:
    case TEXT_CODE:
      if (len == 0)
        return FALSE;
      for (gsize i = 0; i < len; i++)
        {
          char c = s[i];
          gboolean ok = kind == TEXT_ID
                        ? (g_ascii_isalnum (c) || c == '-' || c == '_')
                        : (g_ascii_islower (c) || g_ascii_isdigit (c) || c == '_');
          if (!ok)
            return FALSE;
        }
      return TRUE;
    case TEXT_UFRAG:
      if (len == 0)
        return FALSE;
      for (gsize i = 0; i < len; i++)
        if (!g_ascii_isalnum (s[i]) && s[i] != '+' && s[i] != '/')
          return FALSE;
      return TRUE;
    case TEXT_SDP:
      return len >= 3 && strncmp (s, "v=0", 3) == 0;
    case TEXT_CANDIDATE:
      if (len == 0)
        return TRUE;
      if (len < 10 || strncmp (s, "candidate:", 10) != 0)
        return FALSE;
      /* One SDP attribute: a line break would let a peer inject lines into
       * the other side's session description. */
      for (gsize i = 0; i < len; i++)
        if ((guchar) s[i] < 0x20 || s[i] == 0x7f)
          return FALSE;
      return TRUE;
    case TEXT_ANY:
    default:
      return TRUE;
    }
}

/* A required string member, copied into *@out. */
static gboolean
get_text (JsonObject  *object,
          const char  *name,
          gsize        max,
          TextKind     kind,
          char       **out,
          GError     **error)
{
  JsonNode *node = member (object, name);
  if (node == NULL)
    return invalid (error, name, "is missing");
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return invalid (error, name, "must be a string");
  const char *s = json_node_get_string (node);
  gsize len = strlen (s);
  if (len > max)
    {
      g_set_error (error, TANDEM_SIGNAL_ERROR, TANDEM_SIGNAL_ERROR_INVALID,
                   "“%s” may be at most %" G_GSIZE_FORMAT " bytes", name, max);
      return FALSE;
    }
  if (!text_ok (s, len, kind))
    return invalid (error, name, kind == TEXT_ID ? "is not an id"
                                 : kind == TEXT_CODE ? "is not an error code"
                                 : kind == TEXT_SDP ? "is not a session description"
                                 : kind == TEXT_CANDIDATE ? "is not an ICE candidate line"
                                 : kind == TEXT_UFRAG ? "is not an ICE user fragment"
                                 : "is not valid UTF-8");
  g_free (*out);
  *out = g_strndup (s, len);
  return TRUE;
}

static gboolean
get_bool (JsonObject  *object,
          const char  *name,
          gboolean    *out,
          GError     **error)
{
  JsonNode *node = member (object, name);
  if (node == NULL)
    return invalid (error, name, "is missing");
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return invalid (error, name, "must be true or false");
  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
get_index (JsonObject  *object,
           const char  *name,
           guint       *out,
           GError     **error)
{
  JsonNode *node = member (object, name);
  if (node == NULL)
    return invalid (error, name, "is missing");
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return invalid (error, name, "must be an integer");
  gint64 v = json_node_get_int (node);
  if (v < 0 || v > TANDEM_SIGNAL_MAX_MLINE)
    {
      g_set_error (error, TANDEM_SIGNAL_ERROR, TANDEM_SIGNAL_ERROR_INVALID,
                   "“%s” must be 0 to %d", name, TANDEM_SIGNAL_MAX_MLINE);
      return FALSE;
    }
  *out = (guint) v;
  return TRUE;
}

static gboolean
parse_fields (JsonObject          *object,
              TandemSignal        *msg,
              TandemSignalOrigin   origin,
              GError             **error)
{
  if (origin == TANDEM_SIGNAL_FROM_SERVER && tandem_signal_type_is_relayed (msg->type) &&
      !get_text (object, "from", TANDEM_SIGNAL_MAX_ID, TEXT_ID, &msg->from, error))
    return FALSE;

  switch (msg->type)
    {
    case TANDEM_SIGNAL_WELCOME:
      {
        if (!get_text (object, "call_id", TANDEM_SIGNAL_MAX_ID, TEXT_ID, &msg->call_id, error) ||
            !get_text (object, "user_id", TANDEM_SIGNAL_MAX_ID, TEXT_ID, &msg->user_id, error) ||
            !get_bool (object, "peer_present", &msg->peer_present, error))
          return FALSE;
        JsonNode *peer = member (object, "peer");
        if (peer == NULL || !JSON_NODE_HOLDS_OBJECT (peer))
          return invalid (error, "peer", "must be an object");
        JsonObject *p = json_node_get_object (peer);
        if (!get_text (p, "user_id", TANDEM_SIGNAL_MAX_ID, TEXT_ID, &msg->peer_user_id, error) ||
            !get_text (p, "name", TANDEM_SIGNAL_MAX_NAME, TEXT_ANY, &msg->peer_name, error))
          {
            g_prefix_error (error, "peer: ");
            return FALSE;
          }
        return TRUE;
      }
    case TANDEM_SIGNAL_PEER_JOINED:
      return get_text (object, "user_id", TANDEM_SIGNAL_MAX_ID, TEXT_ID, &msg->user_id, error) &&
             get_text (object, "name", TANDEM_SIGNAL_MAX_NAME, TEXT_ANY, &msg->name, error);
    case TANDEM_SIGNAL_PEER_LEFT:
      {
        g_autofree char *reason = NULL;
        if (!get_text (object, "user_id", TANDEM_SIGNAL_MAX_ID, TEXT_ID, &msg->user_id, error) ||
            !get_text (object, "reason", TANDEM_SIGNAL_MAX_CODE, TEXT_CODE, &reason, error))
          return FALSE;
        for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
          if (g_str_equal (reasons[i], reason))
            {
              msg->reason = (TandemSignalReason) i;
              return TRUE;
            }
        return invalid (error, "reason", "must be left, dropped or hangup");
      }
    case TANDEM_SIGNAL_ERROR_MSG:
      return get_text (object, "code", TANDEM_SIGNAL_MAX_CODE, TEXT_CODE, &msg->code, error) &&
             get_text (object, "message", TANDEM_SIGNAL_MAX_MESSAGE, TEXT_ANY, &msg->message, error);
    case TANDEM_SIGNAL_OFFER:
    case TANDEM_SIGNAL_ANSWER:
      return get_text (object, "sdp", TANDEM_SIGNAL_MAX_SDP, TEXT_SDP, &msg->sdp, error);
    case TANDEM_SIGNAL_CANDIDATE:
      return get_index (object, "sdp_mline_index", &msg->sdp_mline_index, error) &&
             get_text (object, "candidate", TANDEM_SIGNAL_MAX_CANDIDATE, TEXT_CANDIDATE,
                       &msg->candidate, error);
    case TANDEM_SIGNAL_MEDIA:
      return get_bool (object, "audio", &msg->audio, error) &&
             get_bool (object, "video", &msg->video, error) &&
             get_bool (object, "screen", &msg->screen, error) &&
             (member (object, "session") == NULL ||
              get_text (object, "session", TANDEM_SIGNAL_MAX_SESSION, TEXT_UFRAG, &msg->session, error));
    case TANDEM_SIGNAL_PONG:
    case TANDEM_SIGNAL_HANGUP:
    case TANDEM_SIGNAL_PING:
    case TANDEM_SIGNAL_LEAVE:
      return TRUE;
    case TANDEM_SIGNAL_INVALID:
    default:
      g_assert_not_reached ();
    }
}

TandemSignal *
tandem_signal_parse (const char          *text,
                     gsize                size,
                     TandemSignalOrigin   origin,
                     GError             **error)
{
  g_return_val_if_fail (text != NULL || size == 0, NULL);

  if (size > TANDEM_SIGNAL_MAX_BYTES)
    {
      g_set_error (error, TANDEM_SIGNAL_ERROR, TANDEM_SIGNAL_ERROR_TOO_LARGE,
                   "a message may be at most %d bytes", TANDEM_SIGNAL_MAX_BYTES);
      return NULL;
    }
  /* Also refuses NUL bytes, which would cut strings short. */
  if (!g_utf8_validate_len (text, size, NULL))
    {
      g_set_error_literal (error, TANDEM_SIGNAL_ERROR, TANDEM_SIGNAL_ERROR_INVALID,
                           "a message must be UTF-8 text");
      return NULL;
    }
  if (!check_shape (text, size, error))
    return NULL;

  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) json_error = NULL;
  if (!json_parser_load_from_data (parser, text, (gssize) size, &json_error))
    {
      /* json-glib quotes the input in its messages; they are not repeated. */
      g_set_error_literal (error, TANDEM_SIGNAL_ERROR, TANDEM_SIGNAL_ERROR_INVALID,
                           "a message must be valid JSON");
      return NULL;
    }
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, TANDEM_SIGNAL_ERROR, TANDEM_SIGNAL_ERROR_INVALID,
                           "a message is one JSON object");
      return NULL;
    }
  JsonObject *object = json_node_get_object (root);

  JsonNode *type_node = member (object, "type");
  if (type_node == NULL || !JSON_NODE_HOLDS_VALUE (type_node) ||
      json_node_get_value_type (type_node) != G_TYPE_STRING)
    {
      g_set_error_literal (error, TANDEM_SIGNAL_ERROR, TANDEM_SIGNAL_ERROR_INVALID,
                           "“type” must be a string");
      return NULL;
    }
  const TypeInfo *info = type_info (tandem_signal_type_from_string (json_node_get_string (type_node)));
  if (info == NULL)
    {
      g_set_error_literal (error, TANDEM_SIGNAL_ERROR, TANDEM_SIGNAL_ERROR_UNKNOWN_TYPE,
                           "unknown message type");
      return NULL;
    }
  if ((origin == TANDEM_SIGNAL_FROM_CLIENT && !info->from_client) ||
      (origin == TANDEM_SIGNAL_FROM_SERVER && !info->from_server))
    {
      g_set_error (error, TANDEM_SIGNAL_ERROR, TANDEM_SIGNAL_ERROR_NOT_ALLOWED,
                   "“%s” may not be sent by the %s", info->name,
                   origin == TANDEM_SIGNAL_FROM_CLIENT ? "client" : "server");
      return NULL;
    }

  g_autoptr(TandemSignal) msg = tandem_signal_new (info->type);
  if (!parse_fields (object, msg, origin, error))
    return NULL;
  return g_steal_pointer (&msg);
}

/* ---- building ---- */

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value != NULL ? value : "");
}

static void
add_bool (JsonBuilder *b,
          const char  *name,
          gboolean     value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, value);
}

char *
tandem_signal_to_json (const TandemSignal *msg)
{
  g_return_val_if_fail (msg != NULL, NULL);
  const char *type = tandem_signal_type_to_string (msg->type);
  g_return_val_if_fail (type != NULL, NULL);

  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  json_builder_begin_object (b);
  add_string (b, "type", type);
  if (msg->from != NULL && tandem_signal_type_is_relayed (msg->type))
    add_string (b, "from", msg->from);

  switch (msg->type)
    {
    case TANDEM_SIGNAL_WELCOME:
      add_string (b, "call_id", msg->call_id);
      add_string (b, "user_id", msg->user_id);
      add_bool (b, "peer_present", msg->peer_present);
      json_builder_set_member_name (b, "peer");
      json_builder_begin_object (b);
      add_string (b, "user_id", msg->peer_user_id);
      add_string (b, "name", msg->peer_name);
      json_builder_end_object (b);
      break;
    case TANDEM_SIGNAL_PEER_JOINED:
      add_string (b, "user_id", msg->user_id);
      add_string (b, "name", msg->name);
      break;
    case TANDEM_SIGNAL_PEER_LEFT:
      add_string (b, "user_id", msg->user_id);
      add_string (b, "reason", tandem_signal_reason_to_string (msg->reason));
      break;
    case TANDEM_SIGNAL_ERROR_MSG:
      add_string (b, "code", msg->code);
      add_string (b, "message", msg->message);
      break;
    case TANDEM_SIGNAL_OFFER:
    case TANDEM_SIGNAL_ANSWER:
      add_string (b, "sdp", msg->sdp);
      break;
    case TANDEM_SIGNAL_CANDIDATE:
      json_builder_set_member_name (b, "sdp_mline_index");
      json_builder_add_int_value (b, msg->sdp_mline_index);
      add_string (b, "candidate", msg->candidate);
      break;
    case TANDEM_SIGNAL_MEDIA:
      add_bool (b, "audio", msg->audio);
      add_bool (b, "video", msg->video);
      add_bool (b, "screen", msg->screen);
      if (msg->session != NULL)
        add_string (b, "session", msg->session);
      break;
    case TANDEM_SIGNAL_PONG:
    case TANDEM_SIGNAL_HANGUP:
    case TANDEM_SIGNAL_PING:
    case TANDEM_SIGNAL_LEAVE:
    case TANDEM_SIGNAL_INVALID:
    default:
      break;
    }
  json_builder_end_object (b);

  g_autoptr(JsonNode) root = json_builder_get_root (b);
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}
