/* tc-review-sync.c — the "review" data channel's messages; see
 * tc-review-sync.h.  Data-channel callbacks arrive on webrtcbin's SCTP
 * threads and are handed to the creator's main context, tagged with the
 * channel's generation so that a replaced channel's late messages die. */
#define G_LOG_DOMAIN "tc-review"

#include "tc-review-sync.h"

#include <gio/gio.h>
#include <gst/webrtc/webrtc.h>
#include <math.h>

struct _TcReviewSync
{
  GObject parent_instance;

  GMainContext *context;
  GstWebRTCDataChannel *channel;
  gulong handlers[3];
  guint generation;      /* bumped by each attach */
  gboolean open;
  GQueue queued;         /* char *, sent when the channel opens */
};

G_DEFINE_FINAL_TYPE (TcReviewSync, tc_review_sync, G_TYPE_OBJECT)

enum {
  SIG_OPEN_VIDEO,
  SIG_CLOSE_VIDEO,
  SIG_PLAY,
  SIG_PAUSE,
  SIG_SEEK,
  SIG_RATE,
  SIG_FRAME_STEP,
  SIG_STROKE,
  SIG_CLEAR_DRAWING,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

enum { PROP_0, PROP_OPEN, N_PROPS };
static GParamSpec *props[N_PROPS];

#define MAX_POSITION_NS (G_GINT64_CONSTANT (1) << 53)   /* exact in JSON; ≈104 days */

/* ---- parsing ---- */

static gboolean
get_int (JsonObject  *o,
         const char  *name,
         gint64       min,
         gint64       max,
         gint64      *out,
         GError     **error)
{
  JsonNode *n = json_object_get_member (o, name);
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) ||
      (json_node_get_value_type (n) != G_TYPE_INT64 && json_node_get_value_type (n) != G_TYPE_DOUBLE))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "“%s” must be a number", name);
      return FALSE;
    }
  gint64 v;
  if (json_node_get_value_type (n) == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (n);
      if (d != floor (d) || d < (double) min || d > (double) max)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "“%s” is out of range", name);
          return FALSE;
        }
      v = (gint64) d;
    }
  else
    v = json_node_get_int (n);
  if (v < min || v > max)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "“%s” is out of range", name);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

static gboolean
check_drawing (JsonNode  *drawing,
               GError   **error)
{
  JsonObject *o = drawing != NULL && JSON_NODE_HOLDS_OBJECT (drawing) ? json_node_get_object (drawing) : NULL;
  JsonNode *shapes = o != NULL ? json_object_get_member (o, "shapes") : NULL;
  if (shapes == NULL || !JSON_NODE_HOLDS_ARRAY (shapes))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "a drawing is an object with a “shapes” array");
      return FALSE;
    }
  if (json_array_get_length (json_node_get_array (shapes)) > 200)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "a drawing has at most 200 shapes");
      return FALSE;
    }
  return TRUE;
}

const char *
tc_review_sync_parse (const char  *text,
                      JsonObject **object,
                      GError     **error)
{
  static const char *const types[] = {
    "open-video", "close-video", "play", "pause", "seek", "rate", "frame-step", "stroke", "clear-drawing", NULL
  };
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gint64 v;

  if (text == NULL || strlen (text) > TC_REVIEW_SYNC_MAX_MESSAGE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "message too large");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, text, -1, error))
    return NULL;
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "a message is a JSON object");
      return NULL;
    }
  JsonObject *o = json_node_get_object (root);
  const char *type = json_object_get_string_member_with_default (o, "type", NULL);
  const char *known = NULL;
  for (guint i = 0; type != NULL && types[i] != NULL; i++)
    if (g_str_equal (type, types[i]))
      known = types[i];
  if (known == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "unknown message type");
      return NULL;
    }

  if (g_str_equal (known, "open-video"))
    {
      const char *id = json_object_get_string_member_with_default (o, "video_id", NULL);
      if (id == NULL || *id == '\0' || strlen (id) > 64 || !g_str_is_ascii (id))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "“video_id” must be an id");
          return NULL;
        }
    }
  else if (g_str_equal (known, "play") || g_str_equal (known, "pause") || g_str_equal (known, "seek"))
    {
      if (!get_int (o, "position_ns", 0, MAX_POSITION_NS, &v, error))
        return NULL;
    }
  else if (g_str_equal (known, "rate"))
    {
      JsonNode *n = json_object_get_member (o, "rate");
      double r = n != NULL && JSON_NODE_HOLDS_VALUE (n) &&
                 (json_node_get_value_type (n) == G_TYPE_DOUBLE || json_node_get_value_type (n) == G_TYPE_INT64)
                 ? json_node_get_double (n) : NAN;
      if (!(r >= 0.0625 && r <= 16))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "“rate” must be from 0.0625 to 16");
          return NULL;
        }
    }
  else if (g_str_equal (known, "frame-step"))
    {
      if (!get_int (o, "frames", -1000, 1000, &v, error))
        return NULL;
      if (v == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "“frames” must not be 0");
          return NULL;
        }
    }
  else if (g_str_equal (known, "stroke"))
    {
      if (!check_drawing (json_object_get_member (o, "drawing"), error))
        return NULL;
    }
  *object = json_object_ref (o);
  return known;
}

static void
dispatch (TcReviewSync *self,
          const char   *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) o = NULL;
  const char *type = tc_review_sync_parse (text, &o, &error);

  if (type == NULL)
    {
      g_debug ("dropped a review message: %s", error->message);
      return;
    }
  if (g_str_equal (type, "open-video"))
    g_signal_emit (self, signals[SIG_OPEN_VIDEO], 0, json_object_get_string_member (o, "video_id"));
  else if (g_str_equal (type, "close-video"))
    g_signal_emit (self, signals[SIG_CLOSE_VIDEO], 0);
  else if (g_str_equal (type, "play"))
    g_signal_emit (self, signals[SIG_PLAY], 0, (gint64) json_object_get_double_member (o, "position_ns"));
  else if (g_str_equal (type, "pause"))
    g_signal_emit (self, signals[SIG_PAUSE], 0, (gint64) json_object_get_double_member (o, "position_ns"));
  else if (g_str_equal (type, "seek"))
    g_signal_emit (self, signals[SIG_SEEK], 0, (gint64) json_object_get_double_member (o, "position_ns"));
  else if (g_str_equal (type, "rate"))
    g_signal_emit (self, signals[SIG_RATE], 0, json_object_get_double_member (o, "rate"));
  else if (g_str_equal (type, "frame-step"))
    g_signal_emit (self, signals[SIG_FRAME_STEP], 0, (int) json_object_get_double_member (o, "frames"));
  else if (g_str_equal (type, "stroke"))
    g_signal_emit (self, signals[SIG_STROKE], 0, json_object_get_member (o, "drawing"));
  else if (g_str_equal (type, "clear-drawing"))
    g_signal_emit (self, signals[SIG_CLEAR_DRAWING], 0);
}

/* ---- the channel ---- */

typedef struct {
  GWeakRef self;
  guint generation;
  int what;          /* 0 open, 1 close, 2 message */
  char *text;
} Event;

static void
event_free (gpointer data)
{
  Event *e = data;
  g_weak_ref_clear (&e->self);
  g_free (e->text);
  g_free (e);
}

static void
set_open (TcReviewSync *self,
          gboolean      open)
{
  if (self->open == open)
    return;
  self->open = open;
  if (open)
    {
      char *text;
      while ((text = g_queue_pop_head (&self->queued)) != NULL)
        {
          gst_webrtc_data_channel_send_string (self->channel, text);
          g_free (text);
        }
    }
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_OPEN]);
}

static gboolean
event_cb (gpointer data)
{
  Event *e = data;
  g_autoptr(TcReviewSync) self = g_weak_ref_get (&e->self);

  if (self == NULL || e->generation != self->generation || self->channel == NULL)
    return G_SOURCE_REMOVE;
  switch (e->what)
    {
    case 0:
      set_open (self, TRUE);
      break;
    case 1:
      set_open (self, FALSE);
      break;
    default:
      dispatch (self, e->text);
      break;
    }
  return G_SOURCE_REMOVE;
}

static void
post (TcReviewSync *self,
      int           what,
      const char   *text)
{
  Event *e = g_new0 (Event, 1);
  g_weak_ref_init (&e->self, self);
  /* read without a lock: a stale generation only drops the event */
  e->generation = g_atomic_int_get (&self->generation);
  e->what = what;
  e->text = g_strdup (text);
  GSource *source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, event_cb, e, event_free);
  g_source_attach (source, self->context);
  g_source_unref (source);
}

static void
on_open_cb (GstWebRTCDataChannel *channel,
            gpointer              user_data)
{
  post (user_data, 0, NULL);
}

static void
on_close_cb (GstWebRTCDataChannel *channel,
             gpointer              user_data)
{
  post (user_data, 1, NULL);
}

static void
on_message_string_cb (GstWebRTCDataChannel *channel,
                      const char           *text,
                      gpointer              user_data)
{
  post (user_data, 2, text);
}

void
tc_review_sync_attach (TcReviewSync *self,
                       GObject      *channel)
{
  g_return_if_fail (TC_IS_REVIEW_SYNC (self));
  g_return_if_fail (channel == NULL || GST_IS_WEBRTC_DATA_CHANNEL (channel));

  if (self->channel != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (self->handlers); i++)
        g_clear_signal_handler (&self->handlers[i], self->channel);
      g_clear_object (&self->channel);
    }
  g_atomic_int_inc (&self->generation);
  set_open (self, FALSE);
  if (channel == NULL)
    return;

  self->channel = g_object_ref (GST_WEBRTC_DATA_CHANNEL (channel));
  self->handlers[0] = g_signal_connect (channel, "on-open", G_CALLBACK (on_open_cb), self);
  self->handlers[1] = g_signal_connect (channel, "on-close", G_CALLBACK (on_close_cb), self);
  self->handlers[2] = g_signal_connect (channel, "on-message-string", G_CALLBACK (on_message_string_cb), self);
  GstWebRTCDataChannelState state;
  g_object_get (channel, "ready-state", &state, NULL);
  if (state == GST_WEBRTC_DATA_CHANNEL_STATE_OPEN)
    set_open (self, TRUE);
}

gboolean
tc_review_sync_is_open (TcReviewSync *self)
{
  g_return_val_if_fail (TC_IS_REVIEW_SYNC (self), FALSE);
  return self->open;
}

/* Sends @o (consumed), or queues it until the channel opens. */
static void
send_object (TcReviewSync *self,
             JsonObject   *o)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), o);
  json_object_unref (o);
  g_autofree char *text = json_to_string (node, FALSE);

  if (self->open && self->channel != NULL)
    gst_webrtc_data_channel_send_string (self->channel, text);
  else if (self->queued.length < TC_REVIEW_SYNC_MAX_QUEUED)
    g_queue_push_tail (&self->queued, g_steal_pointer (&text));
  else
    g_debug ("review channel not open; message dropped");
}

static JsonObject *
message (const char *type)
{
  JsonObject *o = json_object_new ();
  json_object_set_string_member (o, "type", type);
  return o;
}

static void
send_position (TcReviewSync *self,
               const char   *type,
               gint64        position_ns)
{
  g_return_if_fail (TC_IS_REVIEW_SYNC (self));
  JsonObject *o = message (type);
  json_object_set_int_member (o, "position_ns", CLAMP (position_ns, 0, MAX_POSITION_NS));
  send_object (self, o);
}

void
tc_review_sync_open_video (TcReviewSync *self,
                           const char   *video_id)
{
  g_return_if_fail (TC_IS_REVIEW_SYNC (self));
  g_return_if_fail (video_id != NULL);
  JsonObject *o = message ("open-video");
  json_object_set_string_member (o, "video_id", video_id);
  send_object (self, o);
}

void
tc_review_sync_close_video (TcReviewSync *self)
{
  g_return_if_fail (TC_IS_REVIEW_SYNC (self));
  send_object (self, message ("close-video"));
}

void
tc_review_sync_play (TcReviewSync *self,
                     gint64        position_ns)
{
  send_position (self, "play", position_ns);
}

void
tc_review_sync_pause (TcReviewSync *self,
                      gint64        position_ns)
{
  send_position (self, "pause", position_ns);
}

void
tc_review_sync_seek (TcReviewSync *self,
                     gint64        position_ns)
{
  send_position (self, "seek", position_ns);
}

void
tc_review_sync_set_rate (TcReviewSync *self,
                         double        rate)
{
  g_return_if_fail (TC_IS_REVIEW_SYNC (self));
  JsonObject *o = message ("rate");
  json_object_set_double_member (o, "rate", CLAMP (rate, 0.0625, 16));
  send_object (self, o);
}

void
tc_review_sync_frame_step (TcReviewSync *self,
                           int           frames)
{
  g_return_if_fail (TC_IS_REVIEW_SYNC (self));
  g_return_if_fail (frames != 0);
  JsonObject *o = message ("frame-step");
  json_object_set_int_member (o, "frames", CLAMP (frames, -1000, 1000));
  send_object (self, o);
}

gboolean
tc_review_sync_stroke (TcReviewSync *self,
                       JsonNode     *drawing,
                       GError      **error)
{
  g_return_val_if_fail (TC_IS_REVIEW_SYNC (self), FALSE);
  if (!check_drawing (drawing, error))
    return FALSE;
  g_autofree char *text = json_to_string (drawing, FALSE);
  if (strlen (text) > TC_REVIEW_SYNC_MAX_MESSAGE - 64)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "the drawing is too large to send");
      return FALSE;
    }
  JsonObject *o = message ("stroke");
  json_object_set_member (o, "drawing", json_node_copy (drawing));
  send_object (self, o);
  return TRUE;
}

void
tc_review_sync_clear_drawing (TcReviewSync *self)
{
  g_return_if_fail (TC_IS_REVIEW_SYNC (self));
  send_object (self, message ("clear-drawing"));
}

/* ---- GObject ---- */

static void
tc_review_sync_dispose (GObject *object)
{
  TcReviewSync *self = TC_REVIEW_SYNC (object);
  tc_review_sync_attach (self, NULL);
  g_queue_clear_full (&self->queued, g_free);
  G_OBJECT_CLASS (tc_review_sync_parent_class)->dispose (object);
}

static void
tc_review_sync_finalize (GObject *object)
{
  TcReviewSync *self = TC_REVIEW_SYNC (object);
  g_main_context_unref (self->context);
  G_OBJECT_CLASS (tc_review_sync_parent_class)->finalize (object);
}

static void
tc_review_sync_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TcReviewSync *self = TC_REVIEW_SYNC (object);
  switch (prop_id)
    {
    case PROP_OPEN:
      g_value_set_boolean (value, self->open);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tc_review_sync_class_init (TcReviewSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GType type = G_TYPE_FROM_CLASS (klass);

  object_class->dispose = tc_review_sync_dispose;
  object_class->finalize = tc_review_sync_finalize;
  object_class->get_property = tc_review_sync_get_property;

  props[PROP_OPEN] = g_param_spec_boolean ("open", NULL, NULL, FALSE,
                                           G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[SIG_OPEN_VIDEO] = g_signal_new ("open-video", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIG_CLOSE_VIDEO] = g_signal_new ("close-video", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);
  signals[SIG_PLAY] = g_signal_new ("play", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SIG_PAUSE] = g_signal_new ("pause", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SIG_SEEK] = g_signal_new ("seek", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SIG_RATE] = g_signal_new ("rate", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_DOUBLE);
  signals[SIG_FRAME_STEP] = g_signal_new ("frame-step", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_INT);
  signals[SIG_STROKE] = g_signal_new ("stroke", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                      G_TYPE_NONE, 1, JSON_TYPE_NODE);
  signals[SIG_CLEAR_DRAWING] = g_signal_new ("clear-drawing", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 0);
}

static void
tc_review_sync_init (TcReviewSync *self)
{
  self->context = g_main_context_ref_thread_default ();
  g_queue_init (&self->queued);
}

TcReviewSync *
tc_review_sync_new (void)
{
  return g_object_new (TC_TYPE_REVIEW_SYNC, NULL);
}
