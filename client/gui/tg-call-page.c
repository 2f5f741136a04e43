/* tg-call-page.c — see tg-call-page.h.  The page joins a booking's call
 * (booking → engine → link), keeps the status text and the controls in
 * step with the engine and the link, and tears everything down when the
 * call ends or the page is left. */
#define G_LOG_DOMAIN "tg-call-page"

#include "tg-call-page.h"

#include "tg-application.h"
#include "tg-call-quality.h"
#include "tg-call-video.h"
#include "tg-coaching.h"
#include "tg-util.h"
#include "tg-window.h"

#include <glib/gi18n.h>

#define STATS_INTERVAL_S 2

typedef enum {
  SENDING_NONE,
  SENDING_CAMERA,
  SENDING_SCREEN,
} Sending;

struct _TgCallPage
{
  AdwBin parent_instance;

  AdwWindowTitle *title;
  GtkWidget *quality_box;
  GtkImage *quality_icon;
  GtkLabel *quality_label;
  GtkPaned *paned;
  GtkPicture *remote_picture;
  GtkWidget *status_box;
  GtkSpinner *status_spinner;
  GtkLabel *status_label;
  GtkWidget *peer_muted;
  GtkPicture *self_picture;
  TgCallReview *review;
  GtkToggleButton *mute_button;
  GtkToggleButton *camera_button;
  GtkToggleButton *screen_button;
  GtkToggleButton *review_button;
  GtkWidget *hangup_button;

  char *group_id;
  char *booking_id;
  JsonObject *booking;
  GCancellable *cancellable;
  TcCall *call;
  TgCallLink *link;
  TgVideoPaintable *remote_paintable;
  TgVideoPaintable *self_paintable;

  char *camera_spec;          /* the camera's source spec */
  gboolean camera_on_join;
  gboolean coach;             /* this user is the booking's expert */
  Sending sending;            /* what the engine sends as video */
  gboolean camera_on;         /* the user wants the camera on */
  gboolean have_audio;
  gboolean have_peer_media;   /* a "media" message came from the peer */
  gboolean have_remote_frame; /* since the peer (re)joined */
  char *peer_note;            /* "Sam left the call." while waiting */
  char *failure;              /* why the call could not go on */
  TgCallQualityMeter meter;
  TgCallQuality quality;
  guint stats_source;
  guint syncing;              /* > 0 while the code sets the toggles */
};

G_DEFINE_FINAL_TYPE (TgCallPage, tg_call_page, ADW_TYPE_BIN)

static TgSession *
session (void)
{
  return tg_application_get_session (tg_application_get_default ());
}

/* ---- what the page shows ---- */

static const char *
peer_name (TgCallPage *self)
{
  const char *name = self->call != NULL ? tc_call_get_peer_name (self->call) : NULL;
  if (name == NULL && self->link != NULL)
    name = tg_call_link_get_peer_name (self->link);
  if (name == NULL && self->booking != NULL)
    name = tg_coaching_booking_partner (self->booking, tg_session_get_user_id (session ()), NULL);
  /* TRANSLATORS: who is at the other end of a call when their name is unknown */
  return name != NULL ? name : _("the other participant");
}

static void
set_status (TgCallPage *self,
            const char *text,
            gboolean    spinning)
{
  gtk_label_set_text (self->status_label, text != NULL ? text : "");
  gtk_widget_set_visible (self->status_box, text != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->status_spinner), spinning);
  gtk_spinner_set_spinning (self->status_spinner, spinning);
}

static void
update_status (TgCallPage *self)
{
  g_autofree char *text = NULL;
  const char *name = peer_name (self);
  TcCallState state = self->call != NULL ? tc_call_get_state (self->call) : TC_CALL_STATE_IDLE;
  TgCallLinkState link = self->link != NULL ? tg_call_link_get_state (self->link) : TG_CALL_LINK_IDLE;
  gboolean spinning = TRUE;

  if (self->failure != NULL)
    {
      text = g_strdup (self->failure);
      spinning = FALSE;
    }
  else if (self->call == NULL || link == TG_CALL_LINK_CONNECTING || state == TC_CALL_STATE_IDLE)
    text = g_strdup (_("Joining the call…"));
  else if (state == TC_CALL_STATE_ENDED || link == TG_CALL_LINK_CLOSED)
    {
      text = g_strdup (_("The call has ended."));
      spinning = FALSE;
    }
  else if ((link == TG_CALL_LINK_RETRYING && state != TC_CALL_STATE_CONNECTED) ||
           state == TC_CALL_STATE_RECONNECTING)
    text = g_strdup (_("The connection was lost. Reconnecting…"));
  else if (state == TC_CALL_STATE_WAITING)
    {
      /* TRANSLATORS: %s is the other participant's name */
      g_autofree char *waiting = g_strdup_printf (_("Waiting for %s to join…"), name);
      text = self->peer_note != NULL ? g_strdup_printf ("%s\n%s", self->peer_note, waiting) : g_steal_pointer (&waiting);
    }
  else if (state == TC_CALL_STATE_CONNECTING)
    /* TRANSLATORS: %s is the other participant's name */
    text = g_strdup_printf (_("Connecting to %s…"), name);
  else if (state == TC_CALL_STATE_CONNECTED)
    {
      gboolean video = FALSE, screen = FALSE;
      tc_call_get_peer_media (self->call, NULL, &video, &screen);
      spinning = FALSE;
      if (self->have_peer_media && !video && !screen)
        /* TRANSLATORS: %s is the other participant's name */
        text = g_strdup_printf (_("%s’s camera is off."), name);
      else if (!self->have_remote_frame)
        {
          text = g_strdup_printf (_("Connecting to %s…"), name);
          spinning = TRUE;
        }
    }
  set_status (self, text, spinning);

  gboolean audio = TRUE;
  if (self->call != NULL && state == TC_CALL_STATE_CONNECTED && self->have_peer_media)
    tc_call_get_peer_media (self->call, &audio, NULL, NULL);
  gtk_widget_set_visible (self->peer_muted, !audio);
  if (!audio)
    {
      /* TRANSLATORS: %s is the other participant's name */
      g_autofree char *tip = g_strdup_printf (_("%s’s microphone is off"), name);
      gtk_widget_set_tooltip_text (self->peer_muted, tip);
    }
}

static void
update_title (TgCallPage *self)
{
  /* TRANSLATORS: the call page's title; %s is the other participant's name */
  g_autofree char *title = g_strdup_printf (_("Call with %s"), peer_name (self));
  adw_window_title_set_title (self->title, title);
  g_autofree char *subtitle = NULL;
  if (self->booking != NULL)
    {
      g_autofree char *when = tg_coaching_format_range (tg_json_string (self->booking, "start"),
                                                        tg_json_string (self->booking, "end"));
      const char *type = tg_coaching_booking_type (self->booking, NULL);
      subtitle = type != NULL && when != NULL ? g_strdup_printf ("%s · %s", type, when) : g_strdup (when);
    }
  adw_window_title_set_subtitle (self->title, subtitle != NULL ? subtitle : "");
}

static void
update_quality (TgCallPage *self)
{
  gboolean connected = self->call != NULL && tc_call_get_state (self->call) == TC_CALL_STATE_CONNECTED;
  TgCallQuality quality = connected ? self->quality : TG_CALL_QUALITY_UNKNOWN;
  static const char *const classes[] = { "success", "warning", "error" };

  gtk_widget_set_visible (self->quality_box, quality != TG_CALL_QUALITY_UNKNOWN);
  gtk_label_set_text (self->quality_label, tg_call_quality_label (quality));
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (self->quality_box, classes[i]);
  if (tg_call_quality_css (quality) != NULL)
    gtk_widget_add_css_class (self->quality_box, tg_call_quality_css (quality));
  gtk_image_set_from_icon_name (self->quality_icon,
                                quality == TG_CALL_QUALITY_GOOD ? "network-cellular-signal-excellent-symbolic"
                                : quality == TG_CALL_QUALITY_FAIR ? "network-cellular-signal-ok-symbolic"
                                : "network-cellular-signal-weak-symbolic");
  if (self->call != NULL && connected)
    {
      TcCallStats stats;
      tc_call_get_stats (self->call, &stats);
      g_autofree char *tip = stats.rtt_ms >= 0
                             /* TRANSLATORS: the connection quality's tooltip: round-trip time in ms */
                             ? g_strdup_printf (_("Round trip %.0f ms"), stats.rtt_ms)
                             : NULL;
      gtk_widget_set_tooltip_text (self->quality_box, tip);
    }
}

static void
set_toggle (GtkToggleButton *button,
            gboolean         active,
            TgCallPage      *self)
{
  self->syncing++;
  gtk_toggle_button_set_active (button, active);
  self->syncing--;
}

static void
update_controls (TgCallPage *self)
{
  gboolean live = self->call != NULL && self->failure == NULL &&
                  tc_call_get_state (self->call) != TC_CALL_STATE_ENDED;
  gboolean muted = gtk_toggle_button_get_active (self->mute_button);

  gtk_widget_set_sensitive (GTK_WIDGET (self->mute_button), live && self->have_audio);
  gtk_button_set_icon_name (GTK_BUTTON (self->mute_button), muted ? "microphone-disabled-symbolic"
                                                                  : "audio-input-microphone-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->mute_button),
                               !self->have_audio ? _("No Microphone")
                               : muted ? _("Unmute the Microphone") : _("Mute the Microphone"));

  set_toggle (self->camera_button, self->camera_on, self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->camera_button), live);
  gtk_button_set_icon_name (GTK_BUTTON (self->camera_button), self->camera_on ? "camera-web-symbolic"
                                                                              : "camera-disabled-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->camera_button),
                               self->camera_on ? _("Turn the Camera Off") : _("Turn the Camera On"));

  set_toggle (self->screen_button, self->sending == SENDING_SCREEN, self);
  gtk_widget_set_visible (GTK_WIDGET (self->screen_button), tg_call_page_can_share_screen ());
  gtk_widget_set_sensitive (GTK_WIDGET (self->screen_button), live);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->screen_button), self->sending == SENDING_SCREEN
                                                                 ? _("Stop Sharing the Screen")
                                                                 : _("Share the Screen"));

  gtk_widget_set_sensitive (GTK_WIDGET (self->review_button), live);
  gtk_widget_set_sensitive (self->hangup_button, self->call != NULL && live);

  gboolean self_view = self->sending == SENDING_SCREEN || (self->sending == SENDING_CAMERA && self->camera_on);
  gtk_widget_set_visible (GTK_WIDGET (self->self_picture), self_view);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->self_picture)), self_view);
}

/* ---- the engine ---- */

static gboolean
stats_cb (gpointer data)
{
  TgCallPage *self = data;
  if (self->call != NULL && tc_call_get_state (self->call) == TC_CALL_STATE_CONNECTED)
    tc_call_update_stats (self->call);
  return G_SOURCE_CONTINUE;
}

static void
call_state_cb (TgCallPage *self,
               guint       state)
{
  if (state == TC_CALL_STATE_CONNECTED)
    {
      g_clear_pointer (&self->peer_note, g_free);
      if (self->stats_source == 0)
        self->stats_source = g_timeout_add_seconds (STATS_INTERVAL_S, stats_cb, self);
    }
  else
    g_clear_handle_id (&self->stats_source, g_source_remove);
  update_status (self);
  update_quality (self);
  update_controls (self);
}

static void
peer_changed_cb (TgCallPage *self)
{
  self->have_peer_media = FALSE;
  self->have_remote_frame = FALSE;
  if (tc_call_get_peer_id (self->call) == NULL)
    tg_video_paintable_set_texture (self->remote_paintable, NULL, 1.0);
  else
    g_clear_pointer (&self->peer_note, g_free);
  self->meter = (TgCallQualityMeter) { 0 };
  update_title (self);
  update_status (self);
}

static void
peer_media_cb (TgCallPage *self)
{
  self->have_peer_media = TRUE;
  update_status (self);
}

static void
peer_left_cb (TgCallPage *self,
              const char *reason)
{
  const char *name = peer_name (self);
  g_free (self->peer_note);
  if (g_strcmp0 (reason, "hangup") == 0)
    /* TRANSLATORS: %s is the other participant's name */
    self->peer_note = g_strdup_printf (_("%s hung up."), name);
  else if (g_strcmp0 (reason, "dropped") == 0 && self->link != NULL &&
           tg_call_link_get_state (self->link) == TG_CALL_LINK_OPEN)
    /* TRANSLATORS: %s is the other participant's name */
    self->peer_note = g_strdup_printf (_("%s’s connection dropped."), name);
  else if (g_strcmp0 (reason, "dropped") == 0)
    self->peer_note = NULL;   /* our own link dropped: "Reconnecting…" says it */
  else
    /* TRANSLATORS: %s is the other participant's name */
    self->peer_note = g_strdup_printf (_("%s left the call."), name);
  update_status (self);
}

static void
first_frame_cb (TgCallPage *self)
{
  self->have_remote_frame = TRUE;
  update_status (self);
}

static void
remote_frame_cb (TgCallPage *self)
{
  if (!self->have_remote_frame && tg_video_paintable_get_texture (self->remote_paintable) != NULL)
    {
      self->have_remote_frame = TRUE;
      update_status (self);
    }
}

static void
stats_updated_cb (TgCallPage *self)
{
  TcCallStats stats;
  tc_call_get_stats (self->call, &stats);
  self->quality = tg_call_quality_update (&self->meter, &stats);
  update_quality (self);
}

static void
call_error_cb (TgCallPage   *self,
               const GError *error)
{
  tg_window_toast_error (GTK_WIDGET (self), error, _("Trouble with the call"));
}

/* ---- the link ---- */

static void
link_state_cb (TgCallPage *self)
{
  update_title (self);
  update_status (self);
  update_controls (self);
}

static void
link_failed_cb (TgCallPage   *self,
                const GError *error)
{
  g_free (self->failure);
  self->failure = tg_error_sentence (error, _("Could not join the call"));
  g_clear_handle_id (&self->stats_source, g_source_remove);
  update_status (self);
  update_quality (self);
  update_controls (self);
}

/* ---- starting and ending ---- */

static TcCall *
make_call (TgCallPage  *self,
           GError     **error)
{
  const char *video_env = g_getenv ("TANDEM_CALL_VIDEO");
  const char *audio_env = g_getenv ("TANDEM_CALL_AUDIO");
  const char *audio = audio_env != NULL && *audio_env != '\0' ? audio_env : "mic";
  g_free (self->camera_spec);
  self->camera_spec = g_strdup (video_env != NULL && *video_env != '\0' ? video_env : "camera");
  gboolean camera = self->camera_on_join && g_strcmp0 (self->camera_spec, "none") != 0;

  /* Without a camera or microphone the call goes on without it. */
  struct { const char *video, *audio; } tries[] = {
    { camera ? self->camera_spec : NULL, audio },
    { NULL, audio },
    { camera ? self->camera_spec : NULL, NULL },
    { NULL, NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (tries); i++)
    {
      g_autoptr(GError) local = NULL;
      if (i > 0 && g_strcmp0 (tries[i].video, tries[i - 1].video) == 0 &&
          g_strcmp0 (tries[i].audio, tries[i - 1].audio) == 0)
        continue;
      TcCallOptions options = {
        .video = tries[i].video,
        .audio = tries[i].audio,
        .play_audio = g_strcmp0 (g_getenv ("TANDEM_CALL_SPEAKERS"), "off") != 0,
        .polite = !self->coach,
      };
      TcCall *call = tc_call_new (&options, &local);
      if (call != NULL)
        {
          self->sending = tries[i].video != NULL ? SENDING_CAMERA : SENDING_NONE;
          self->camera_on = tries[i].video != NULL;
          self->have_audio = tries[i].audio != NULL && g_strcmp0 (tries[i].audio, "none") != 0;
          return call;
        }
      g_debug ("no call with video %s, audio %s: %s", tries[i].video, tries[i].audio, local->message);
      /* Missing elements are missing for every try. */
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED) && tries[i].video == NULL &&
          tries[i].audio == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      if (i == G_N_ELEMENTS (tries) - 1)
        g_propagate_error (error, g_steal_pointer (&local));
    }
  return NULL;
}

static void
start_call (TgCallPage *self)
{
  g_autoptr(GError) error = NULL;

  self->call = make_call (self, &error);
  if (self->call == NULL)
    {
      self->failure = tg_error_sentence (error, _("Could not start the call"));
      update_status (self);
      update_controls (self);
      return;
    }
  tg_call_video_attach (self->call, TC_CALL_VIDEO_REMOTE, self->remote_paintable);
  tg_call_video_attach (self->call, TC_CALL_VIDEO_LOCAL, self->self_paintable);
  g_signal_connect_object (self->call, "state-changed", G_CALLBACK (call_state_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->call, "peer-changed", G_CALLBACK (peer_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->call, "peer-media-changed", G_CALLBACK (peer_media_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->call, "peer-left", G_CALLBACK (peer_left_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->call, "first-remote-frame", G_CALLBACK (first_frame_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->call, "stats-updated", G_CALLBACK (stats_updated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->call, "error", G_CALLBACK (call_error_cb), self, G_CONNECT_SWAPPED);

  TandemApiClient *client = tg_session_get_client (session ());
  self->link = tg_call_link_new (client, self->group_id, self->booking_id);
  g_signal_connect_object (self->link, "state-changed", G_CALLBACK (link_state_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->link, "failed", G_CALLBACK (link_failed_cb), self, G_CONNECT_SWAPPED);
  tg_call_review_setup (self->review, client, self->group_id, tc_call_get_review (self->call), self->coach);
  tg_call_link_start (self->link, self->call);
  update_title (self);
  update_status (self);
  update_controls (self);
}

static void
booking_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TgCallPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);
  JsonObject *booking = tg_json_object (reply);

  if (tg_error_is_cancelled (error))
    return;
  if (booking == NULL)
    {
      self->failure = tg_error_sentence (error, _("Could not load the session"));
      update_status (self);
      update_controls (self);
      return;
    }
  self->booking = json_object_ref (booking);
  self->coach = g_strcmp0 (tg_json_string (booking, "expert_id"), tg_session_get_user_id (session ())) == 0;
  start_call (self);
}

/* Everything of the current call goes: the socket ("leave" unless the
 * call ended already), the engine and its pipeline, the review pane. */
static void
teardown (TgCallPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->stats_source, g_source_remove);
  tg_call_review_setup (self->review, NULL, NULL, NULL, FALSE);
  if (self->link != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->link, self);
      tg_call_link_leave (self->link);
      g_clear_object (&self->link);
    }
  if (self->call != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->call, self);
      tg_call_video_detach (self->call, TC_CALL_VIDEO_REMOTE);
      tg_call_video_detach (self->call, TC_CALL_VIDEO_LOCAL);
      tc_call_stop (self->call);
      g_clear_object (&self->call);
    }
  g_clear_pointer (&self->booking, json_object_unref);
  g_clear_pointer (&self->peer_note, g_free);
  g_clear_pointer (&self->failure, g_free);
  if (self->remote_paintable != NULL)
    tg_video_paintable_set_texture (self->remote_paintable, NULL, 1.0);
  if (self->self_paintable != NULL)
    tg_video_paintable_set_texture (self->self_paintable, NULL, 1.0);
  self->have_peer_media = self->have_remote_frame = FALSE;
  self->quality = TG_CALL_QUALITY_UNKNOWN;
  self->meter = (TgCallQualityMeter) { 0 };
  self->sending = SENDING_NONE;
  set_toggle (self->mute_button, FALSE, self);
  set_toggle (self->review_button, FALSE, self);
  gtk_widget_set_visible (GTK_WIDGET (self->review), FALSE);
}

void
tg_call_page_join (TgCallPage *self,
                   const char *group_id,
                   const char *booking_id)
{
  g_return_if_fail (TG_IS_CALL_PAGE (self));
  g_return_if_fail (group_id != NULL && booking_id != NULL);

  teardown (self);
  g_free (self->group_id);
  g_free (self->booking_id);
  self->group_id = g_strdup (group_id);
  self->booking_id = g_strdup (booking_id);
  self->cancellable = g_cancellable_new ();
  update_title (self);
  update_status (self);
  update_quality (self);
  update_controls (self);
  g_autofree char *path = tg_coaching_path (group_id, "bookings/%s", booking_id);
  tg_session_call_async (session (), "GET", path, NULL, self->cancellable, booking_cb, g_object_ref (self));
}

const char *
tg_call_page_get_booking (TgCallPage *self)
{
  g_return_val_if_fail (TG_IS_CALL_PAGE (self), NULL);
  return self->booking_id;
}

void
tg_call_page_leave (TgCallPage *self)
{
  g_return_if_fail (TG_IS_CALL_PAGE (self));
  teardown (self);
  g_clear_pointer (&self->booking_id, g_free);
  g_clear_pointer (&self->group_id, g_free);
  update_status (self);
  update_controls (self);
}

void
tg_call_page_hangup (TgCallPage *self)
{
  g_return_if_fail (TG_IS_CALL_PAGE (self));
  if (self->link != NULL)
    tg_call_link_hangup (self->link);
  tg_call_page_leave (self);
  tg_window_toast (GTK_WIDGET (self), _("You hung up."));
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-group", NULL);
}

/* ---- controls ---- */

static void
mute_toggled_cb (TgCallPage *self)
{
  if (self->syncing == 0 && self->call != NULL)
    tc_call_set_audio_muted (self->call, gtk_toggle_button_get_active (self->mute_button));
  update_controls (self);
}

/* Sends @spec as video (NULL: none); FALSE with a toast when it cannot. */
static gboolean
send_video (TgCallPage *self,
            const char *spec,
            Sending     sending)
{
  g_autoptr(GError) error = NULL;
  if (!tc_call_set_video_source (self->call, spec, &error))
    {
      tg_window_toast_error (GTK_WIDGET (self), error, sending == SENDING_SCREEN ? _("Could not share the screen")
                                                                                : _("Could not turn the camera on"));
      return FALSE;
    }
  self->sending = sending;
  return TRUE;
}

static void
camera_toggled_cb (TgCallPage *self)
{
  if (self->syncing > 0 || self->call == NULL)
    return;
  gboolean on = gtk_toggle_button_get_active (self->camera_button);
  if (on && self->sending == SENDING_NONE)
    {
      /* A video stream the call did not have: the engine renegotiates. */
      if (send_video (self, self->camera_spec, SENDING_CAMERA))
        {
          tc_call_set_video_muted (self->call, FALSE);
          self->camera_on = TRUE;
        }
    }
  else
    {
      self->camera_on = on;
      if (self->sending == SENDING_CAMERA)
        tc_call_set_video_muted (self->call, !on);
    }
  update_controls (self);
}

static void
screen_toggled_cb (TgCallPage *self)
{
  if (self->syncing > 0 || self->call == NULL)
    return;
  if (gtk_toggle_button_get_active (self->screen_button))
    {
      if (send_video (self, "screen", SENDING_SCREEN))
        tc_call_set_video_muted (self->call, FALSE);
    }
  else if (self->sending == SENDING_SCREEN)
    {
      /* Back to the camera (off, if that is how the user left it). */
      if (send_video (self, self->camera_spec, SENDING_CAMERA))
        tc_call_set_video_muted (self->call, !self->camera_on);
      else if (send_video (self, NULL, SENDING_NONE))
        self->camera_on = FALSE;
    }
  update_controls (self);
}

/* The call keeps two fifths of the room, less if the review pane wants
 * it (its natural width: the player's tools in a row; never under
 * 240 px). */
static void
place_review_pane (TgCallPage *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self->paned));
  int needed = 0;
  gtk_widget_measure (GTK_WIDGET (self->review), GTK_ORIENTATION_HORIZONTAL, -1, NULL, &needed, NULL, NULL);
  if (width > 0)
    gtk_paned_set_position (self->paned, MAX (MIN (width * 2 / 5, width - needed), 240));
}

static void
review_toggled_cb (TgCallPage *self)
{
  gboolean show = gtk_toggle_button_get_active (self->review_button);
  gtk_widget_set_visible (GTK_WIDGET (self->review), show);
  if (show)
    {
      place_review_pane (self);
      if (tg_call_review_get_video_id (self->review) == NULL && self->syncing == 0)
        tg_call_review_load_videos (self->review);
    }
}

/* Either side opened a video: the pane shows, with room for the player. */
static void
review_opened_cb (TgCallPage *self)
{
  if (!gtk_toggle_button_get_active (self->review_button))
    {
      self->syncing++;
      gtk_toggle_button_set_active (self->review_button, TRUE);
      self->syncing--;
    }
  place_review_pane (self);
}

static void
hangup_clicked_cb (TgCallPage *self)
{
  tg_call_page_hangup (self);
}

/* ---- for tests and the window ---- */

void
tg_call_page_set_camera_on_join (TgCallPage *self,
                                 gboolean    on)
{
  g_return_if_fail (TG_IS_CALL_PAGE (self));
  self->camera_on_join = on;
}

TcCall *
tg_call_page_get_call (TgCallPage *self)
{
  g_return_val_if_fail (TG_IS_CALL_PAGE (self), NULL);
  return self->call;
}

TgCallLink *
tg_call_page_get_link (TgCallPage *self)
{
  g_return_val_if_fail (TG_IS_CALL_PAGE (self), NULL);
  return self->link;
}

const char *
tg_call_page_get_status (TgCallPage *self)
{
  g_return_val_if_fail (TG_IS_CALL_PAGE (self), NULL);
  return gtk_widget_get_visible (self->status_box) ? gtk_label_get_text (self->status_label) : "";
}

const char *
tg_call_page_get_quality (TgCallPage *self)
{
  g_return_val_if_fail (TG_IS_CALL_PAGE (self), NULL);
  return gtk_widget_get_visible (self->quality_box) ? gtk_label_get_text (self->quality_label) : "";
}

TgCallReview *
tg_call_page_get_review (TgCallPage *self)
{
  g_return_val_if_fail (TG_IS_CALL_PAGE (self), NULL);
  return self->review;
}

gboolean
tg_call_page_can_share_screen (void)
{
  static int can = -1;
  if (can < 0)
    {
      GdkDisplay *display = gdk_display_get_default ();
      g_autoptr(GstElementFactory) factory = gst_element_factory_find ("ximagesrc");
      /* ximagesrc captures an X11 screen; under Wayland it would see
       * only the X11 windows. */
      can = factory != NULL && display != NULL &&
            g_str_equal (G_OBJECT_TYPE_NAME (display), "GdkX11Display");
    }
  return can;
}

/* ---- GObject ---- */

static void
tg_call_page_dispose (GObject *object)
{
  TgCallPage *self = TG_CALL_PAGE (object);

  if (self->review != NULL)
    teardown (self);
  g_clear_object (&self->remote_paintable);
  g_clear_object (&self->self_paintable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TG_TYPE_CALL_PAGE);
  G_OBJECT_CLASS (tg_call_page_parent_class)->dispose (object);
}

static void
tg_call_page_finalize (GObject *object)
{
  TgCallPage *self = TG_CALL_PAGE (object);

  g_free (self->group_id);
  g_free (self->booking_id);
  g_free (self->camera_spec);
  G_OBJECT_CLASS (tg_call_page_parent_class)->finalize (object);
}

static void
tg_call_page_class_init (TgCallPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_call_page_dispose;
  object_class->finalize = tg_call_page_finalize;

  g_type_ensure (TG_TYPE_CALL_REVIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/tg-call-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TgCallPage, title);
  gtk_widget_class_bind_template_child (widget_class, TgCallPage, quality_box);
  gtk_widget_class_bind_template_child (widget_class, TgCallPage, quality_icon);
  gtk_widget_class_bind_template_child (widget_class, TgCallPage, quality_label);
  gtk_widget_class_bind_template_child (widget_class, TgCallPage, paned);
  gtk_widget_class_bind_template_child (widget_class, TgCallPage, remote_picture);
  gtk_widget_class_bind_template_child (widget_class, TgCallPage, status_box);
  gtk_widget_class_bind_template_child (widget_class, TgCallPage, status_spinner);
  gtk_widget_class_bind_template_child (widget_class, TgCallPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, TgCallPage, peer_muted);
  gtk_widget_class_bind_template_child (widget_class, TgCallPage, self_picture);
  gtk_widget_class_bind_template_child (widget_class, TgCallPage, review);
  gtk_widget_class_bind_template_child (widget_class, TgCallPage, mute_button);
  gtk_widget_class_bind_template_child (widget_class, TgCallPage, camera_button);
  gtk_widget_class_bind_template_child (widget_class, TgCallPage, screen_button);
  gtk_widget_class_bind_template_child (widget_class, TgCallPage, review_button);
  gtk_widget_class_bind_template_child (widget_class, TgCallPage, hangup_button);
  gtk_widget_class_bind_template_callback (widget_class, mute_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, camera_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, screen_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, review_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, review_opened_cb);
  gtk_widget_class_bind_template_callback (widget_class, hangup_clicked_cb);
}

static void
tg_call_page_init (TgCallPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_name (GTK_WIDGET (self), "call-page");
  self->camera_on_join = TRUE;
  self->remote_paintable = tg_video_paintable_new ();
  self->self_paintable = tg_video_paintable_new ();
  gtk_picture_set_paintable (self->remote_picture, GDK_PAINTABLE (self->remote_paintable));
  gtk_picture_set_paintable (self->self_picture, GDK_PAINTABLE (self->self_paintable));
  g_signal_connect_object (self->remote_paintable, "invalidate-contents", G_CALLBACK (remote_frame_cb), self,
                           G_CONNECT_SWAPPED);
  update_controls (self);
}
