/* tg-join-page.c — see tg-join-page.h. */
#define G_LOG_DOMAIN "tg-join-page"

#include "tg-join-page.h"

#include "tg-application.h"
#include "tg-coaching.h"
#include "tg-util.h"

#include <glib/gi18n.h>

struct _TgJoinPage
{
  AdwBin parent_instance;

  AdwStatusPage *status;

  char *booking_id;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (TgJoinPage, tg_join_page, ADW_TYPE_BIN)

static void
booking_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TgJoinPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);
  JsonObject *booking = tg_json_object (reply);

  if (tg_error_is_cancelled (error))
    return;
  if (booking == NULL)
    {
      g_autofree char *text = tg_error_sentence (error, NULL);
      adw_status_page_set_description (self->status, text);
      return;
    }
  g_autofree char *when = tg_coaching_format_range (tg_json_string (booking, "start"), tg_json_string (booking, "end"));
  /* TRANSLATORS: on the page a session's call opens on; its day and time */
  g_autofree char *text = g_strdup_printf (_("Your session of %s starts here. The video call is on its way."),
                                           when != NULL ? when : "");
  adw_status_page_set_description (self->status, text);
}

void
tg_join_page_set_booking (TgJoinPage *self,
                          const char *group_id,
                          const char *booking_id)
{
  g_return_if_fail (TG_IS_JOIN_PAGE (self));
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_free (self->booking_id);
  self->booking_id = g_strdup (booking_id);
  adw_status_page_set_description (self->status, NULL);
  if (group_id == NULL || booking_id == NULL)
    return;
  TgSession *session = tg_application_get_session (tg_application_get_default ());
  g_autofree char *path = tg_coaching_path (group_id, "bookings/%s", booking_id);
  tg_session_call_async (session, "GET", path, NULL, self->cancellable, booking_cb, g_object_ref (self));
}

const char *
tg_join_page_get_booking (TgJoinPage *self)
{
  g_return_val_if_fail (TG_IS_JOIN_PAGE (self), NULL);
  return self->booking_id;
}

static void
tg_join_page_dispose (GObject *object)
{
  TgJoinPage *self = TG_JOIN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->booking_id, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), TG_TYPE_JOIN_PAGE);

  G_OBJECT_CLASS (tg_join_page_parent_class)->dispose (object);
}

static void
tg_join_page_class_init (TgJoinPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_join_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/tg-join-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TgJoinPage, status);
}

static void
tg_join_page_init (TgJoinPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_name (GTK_WIDGET (self), "join-page");
  self->cancellable = g_cancellable_new ();
}
