/* tg-window.c — the main window's pages, its actions, the session's
 * effects on them, and toasts (see tg-window.h; the groups in the sidebar
 * are in tg-window-groups.c). */
#define G_LOG_DOMAIN "tg-window"

#include "tg-window-private.h"

#include "tg-application.h"
#include "tg-util.h"

#include <glib/gi18n.h>

G_DEFINE_FINAL_TYPE (TgWindow, tg_window, ADW_TYPE_APPLICATION_WINDOW)

/* ---- toasts ---- */

static void
toast_dismissed_cb (AdwToast *toast,
                    TgWindow *self)
{
  g_ptr_array_remove (self->toasts, toast);
}

void
tg_window_toast (GtkWidget  *widget,
                 const char *text)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  GtkRoot *root = gtk_widget_get_root (widget);

  /* A dialog shows it in the window it belongs to. */
  while (root != NULL && !TG_IS_WINDOW (root) && GTK_IS_WINDOW (root) &&
         gtk_window_get_transient_for (GTK_WINDOW (root)) != NULL)
    root = GTK_ROOT (gtk_window_get_transient_for (GTK_WINDOW (root)));
  if (root == NULL || !TG_IS_WINDOW (root))
    {
      g_message ("%s", text);
      return;
    }
  TgWindow *self = TG_WINDOW (root);
  AdwToast *toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 6);
  g_ptr_array_add (self->toasts, g_object_ref (toast));
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), self, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
tg_window_dismiss_toasts (TgWindow *self)
{
  g_return_if_fail (TG_IS_WINDOW (self));
  /* Dismissing removes them from self->toasts: walk a copy. */
  g_autoptr(GPtrArray) toasts = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->toasts->len; i++)
    g_ptr_array_add (toasts, g_object_ref (g_ptr_array_index (self->toasts, i)));
  for (guint i = 0; i < toasts->len; i++)
    adw_toast_dismiss (g_ptr_array_index (toasts, i));
}

void
tg_window_toast_error (GtkWidget    *widget,
                       const GError *error,
                       const char   *doing)
{
  if (error == NULL || tg_error_is_cancelled (error))
    return;
  g_autofree char *sentence = tg_error_sentence (error, doing);
  tg_window_toast (widget, sentence);
}

/* ---- pages ---- */

/* Switches the top-level page.  Focus leaves the old page first: a text
 * entry that vanishes while focused never hears of it (GTK 4.8 warns). */
void
tg_window_report_ready (const char *what)
{
  static gboolean told;

  if (told || g_getenv ("TANDEM_STARTUP_PROBE") == NULL)
    return;
  told = TRUE;
  g_printerr ("tandem-ready %s %" G_GINT64_FORMAT "\n", what, g_get_real_time ());
}

static void
show_main (TgWindow   *self,
           const char *name)
{
  /* Signed out, the sign-in (or invitation) page is the first usable one;
   * signed in, the groups once listed (tg-window-groups.c). */
  if (g_strcmp0 (name, "sign-in") == 0 || g_strcmp0 (name, "invite") == 0)
    tg_window_report_ready (name);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), name) == 0)
    return;
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_stack_set_visible_child_name (self->main_stack, name);
}

const char *
tg_window_get_page (TgWindow *self)
{
  g_return_val_if_fail (TG_IS_WINDOW (self), NULL);
  const char *main = gtk_stack_get_visible_child_name (self->main_stack);
  if (g_strcmp0 (main, "app") != 0)
    return main;
  return gtk_stack_get_visible_child_name (self->content_stack);
}

void
tg_window_show_content (TgWindow   *self,
                        const char *name)
{
  const char *current = gtk_stack_get_visible_child_name (self->content_stack);
  if (g_strcmp0 (current, name) != 0)
    gtk_window_set_focus (GTK_WINDOW (self), NULL);
  /* Leaving the call page leaves the call. */
  if (g_strcmp0 (current, "call") == 0 && g_strcmp0 (name, "call") != 0)
    tg_call_page_leave (self->call_page);
  gtk_stack_set_visible_child_name (self->content_stack, name);
  if (g_strcmp0 (name, "empty") != 0)
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
show_signed_out (TgWindow *self)
{
  tg_window_groups_clear (self);
  tg_group_page_set_group (self->group_page, NULL);
  tg_window_show_content (self, "empty");
  tg_sign_in_page_reset (self->sign_in_page);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "invite") != 0)
    show_main (self, "sign-in");
}

static void
show_signed_in (TgWindow *self)
{
  TgApplication *app = tg_application_get_default ();
  const char *pending = self->pending_invitation;

  show_main (self, "app");
  tg_window_reload_groups (self, NULL);
  tg_upload_manager_resume_pending (tg_application_get_upload_manager (app));
  if (pending != NULL)
    {
      g_autofree char *code = g_steal_pointer (&self->pending_invitation);
      tg_window_open_invitation (self, code);
    }
}

static void
signed_in_changed_cb (TgWindow  *self,
                      GParamSpec *pspec,
                      TgSession *session)
{
  if (tg_session_is_signed_in (session))
    show_signed_in (self);
  else
    {
      tg_image_cache_clear (tg_application_get_image_cache (tg_application_get_default ()));
      show_signed_out (self);
    }
}

static void
expired_cb (TgWindow  *self,
            TgSession *session)
{
  tg_window_toast (GTK_WIDGET (self), _("Your session has ended. Please sign in again."));
}

static void
restored_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TgWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (tg_session_restore_finish (TG_SESSION (source), result, &error))
    return;   /* signed_in_changed_cb showed the groups */
  if (tg_error_is_cancelled (error))
    return;
  show_signed_out (self);
  if (error != NULL)
    {
      g_autofree char *sentence = tg_error_sentence (error, NULL);
      tg_sign_in_page_show_error (self->sign_in_page, sentence);
    }
  /* Started by an invitation link: show it (to register with it). */
  if (self->pending_invitation != NULL)
    {
      g_autofree char *code = g_steal_pointer (&self->pending_invitation);
      tg_window_open_invitation (self, code);
    }
}

/* The server to start with: the settings, $TANDEM_SERVER, then the
 * terminal client's default. */
static void
choose_server (TgWindow  *self,
               TgSession *session)
{
  GSettings *settings = tg_application_get_settings (tg_application_get_default ());
  g_autofree char *saved = g_settings_get_string (settings, "server");
  const char *env = g_getenv ("TANDEM_SERVER");
  const char *candidates[] = { saved, env, "http://127.0.0.1:8080" };

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    if (candidates[i] != NULL && *candidates[i] != '\0' &&
        tg_session_set_server (session, candidates[i], NULL))
      return;
}

static void
start (TgWindow *self)
{
  TgSession *session = tg_application_get_session (tg_application_get_default ());

  if (tg_session_is_signed_in (session))
    {
      show_signed_in (self);
      return;
    }
  if (tg_session_get_server (session) == NULL)
    choose_server (self, session);
  tg_sign_in_page_reset (self->sign_in_page);
  show_main (self, "loading");
  tg_session_restore_async (session, self->cancellable, restored_cb, g_object_ref (self));
}

/* ---- invitations ---- */

void
tg_window_open_invitation (TgWindow   *self,
                           const char *code)
{
  g_return_if_fail (TG_IS_WINDOW (self));
  const char *current = gtk_stack_get_visible_child_name (self->main_stack);

  if (g_strcmp0 (current, "loading") == 0)
    {
      /* Still finding out whether we are signed in: after that. */
      g_free (self->pending_invitation);
      self->pending_invitation = g_strdup (code);
      return;
    }
  if (g_strcmp0 (current, "invite") != 0)
    {
      g_free (self->return_page);
      self->return_page = g_strdup (current);
    }
  tg_invite_page_open (self->invite_page, code);
  show_main (self, "invite");
}

static void
invite_done_cb (TgWindow   *self,
                const char *outcome,
                const char *group_id,
                TgInvitePage *page)
{
  TgSession *session = tg_application_get_session (tg_application_get_default ());

  if (g_strcmp0 (outcome, "sign-in") == 0)
    {
      /* Has an account: sign in, then accept. */
      g_free (self->pending_invitation);
      self->pending_invitation = g_strdup (tg_invite_page_get_code (page));
      tg_sign_in_page_reset (self->sign_in_page);
      show_main (self, "sign-in");
      return;
    }
  if (tg_session_is_signed_in (session))
    {
      show_main (self, "app");
      if (group_id != NULL)
        tg_window_reload_groups (self, group_id);
      return;
    }
  show_main (self,
                                    self->return_page != NULL && g_strcmp0 (self->return_page, "app") != 0
                                    ? self->return_page : "sign-in");
}

/* ---- content ---- */

void
tg_window_open_asset (TgWindow   *self,
                      const char *asset_id)
{
  g_return_if_fail (TG_IS_WINDOW (self));
  tg_asset_page_set_asset (self->asset_page, asset_id);
  tg_window_show_content (self, "asset");
}

static void
asset_activated_cb (TgWindow    *self,
                    const char  *asset_id,
                    TgGroupPage *page)
{
  tg_window_open_asset (self, asset_id);
}

void
tg_window_join_booking (TgWindow   *self,
                        const char *booking_id)
{
  g_return_if_fail (TG_IS_WINDOW (self));
  JsonObject *group = tg_group_page_get_group (self->group_page);
  const char *group_id = tg_json_string (group, "id");
  if (group_id == NULL || booking_id == NULL)
    return;
  tg_window_show_content (self, "call");
  tg_call_page_join (self->call_page, group_id, booking_id);
}

static void
join_booking_cb (TgWindow    *self,
                 const char  *booking_id,
                 TgGroupPage *page)
{
  tg_window_join_booking (self, booking_id);
}

static void
group_changed_cb (TgWindow    *self,
                  const char  *group_id,
                  TgGroupPage *page)
{
  tg_window_reload_groups (self, group_id);
}

static void
folded_cb (TgWindow *self)
{
  gboolean folded = adw_leaflet_get_folded (self->leaflet);
  tg_group_page_set_folded (self->group_page, folded);
  tg_uploads_view_set_folded (self->uploads_view, folded);
}

static void
upload_finished_cb (TgWindow        *self,
                    TgUpload        *upload,
                    TgUploadManager *manager)
{
  g_autofree char *text = NULL;
  switch (tg_upload_get_phase (upload))
    {
    case TG_UPLOAD_DONE:
      text = g_strdup_printf (_("“%s” is uploaded and waits for review."), tg_upload_get_name (upload));
      break;
    case TG_UPLOAD_FAILED:
      text = g_strdup (tg_upload_get_status (upload));
      break;
    default:
      break;
    }
  if (text != NULL)
    tg_window_toast (GTK_WIDGET (self), text);
  tg_group_page_asset_changed (self->group_page, tg_upload_get_group_id (upload));
}

static void
upload_created_cb (TgWindow        *self,
                   TgUpload        *upload,
                   TgUploadManager *manager)
{
  tg_group_page_asset_changed (self->group_page, tg_upload_get_group_id (upload));
}

static void
uploads_resumed_cb (TgWindow        *self,
                    guint            n,
                    TgUploadManager *manager)
{
  if (n == 0)
    return;
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                        "Carrying on with %u unfinished upload.",
                                                        "Carrying on with %u unfinished uploads.", n), n);
  tg_window_toast (GTK_WIDGET (self), text);
}

/* ---- actions ---- */

static void
signed_out_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(TgWindow) self = user_data;
  tg_session_sign_out_finish (TG_SESSION (source), result, NULL);
  tg_window_toast (GTK_WIDGET (self), _("You are signed out."));
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  TgWindow *self = TG_WINDOW (widget);
  TgApplication *app = tg_application_get_default ();

  tg_upload_manager_stop (tg_application_get_upload_manager (app));
  tg_session_sign_out_async (tg_application_get_session (app), NULL, signed_out_cb, g_object_ref (self));
}

static void
open_invitation_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  tg_window_open_invitation (TG_WINDOW (widget), NULL);
}

static void
new_group_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  tg_window_new_group (TG_WINDOW (widget));
}

static void
show_uploads_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  tg_window_show_content (TG_WINDOW (widget), "uploads");
}

static void
show_group_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  TgWindow *self = TG_WINDOW (widget);
  tg_window_show_content (self, tg_group_page_get_group (self->group_page) != NULL ? "group" : "empty");
}

static void
join_booking_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  tg_window_join_booking (TG_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TgWindow *self = TG_WINDOW (widget);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TgWindow *self = TG_WINDOW (widget);
  JsonObject *group = tg_group_page_get_group (self->group_page);
  tg_window_reload_groups (self, tg_json_string (group, "id"));
}

/* ---- window state ---- */

static void
save_size (TgWindow *self)
{
  GSettings *settings = tg_application_get_settings (tg_application_get_default ());
  int width = 0, height = 0;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
tg_window_close_request (GtkWindow *window)
{
  save_size (TG_WINDOW (window));
  return GTK_WINDOW_CLASS (tg_window_parent_class)->close_request (window);
}

/* ---- object ---- */

TgWindow *
tg_window_new (TgApplication *app)
{
  return g_object_new (TG_TYPE_WINDOW, "application", app, NULL);
}

static void
tg_window_constructed (GObject *object)
{
  TgWindow *self = TG_WINDOW (object);
  TgApplication *app = tg_application_get_default ();
  TgSession *session = tg_application_get_session (app);
  TgUploadManager *uploads = tg_application_get_upload_manager (app);
  GSettings *settings = tg_application_get_settings (app);

  G_OBJECT_CLASS (tg_window_parent_class)->constructed (object);

  gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_signal_connect_object (session, "notify::signed-in", G_CALLBACK (signed_in_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "expired", G_CALLBACK (expired_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (uploads, "finished", G_CALLBACK (upload_finished_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (uploads, "resumed", G_CALLBACK (uploads_resumed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (uploads, "created", G_CALLBACK (upload_created_cb), self, G_CONNECT_SWAPPED);
  tg_window_groups_init (self);
  folded_cb (self);
  start (self);
}

static void
tg_window_dispose (GObject *object)
{
  TgWindow *self = TG_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->groups_cancellable);
  g_clear_object (&self->groups_cancellable);
  g_clear_pointer (&self->select_after_reload, g_free);
  g_clear_pointer (&self->pending_invitation, g_free);
  g_clear_pointer (&self->return_page, g_free);
  if (self->toasts != NULL)
    tg_window_dismiss_toasts (self);
  g_clear_pointer (&self->toasts, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TG_TYPE_WINDOW);

  G_OBJECT_CLASS (tg_window_parent_class)->dispose (object);
}

static void
tg_window_class_init (TgWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = tg_window_constructed;
  object_class->dispose = tg_window_dispose;
  window_class->close_request = tg_window_close_request;

  g_type_ensure (TG_TYPE_SIGN_IN_PAGE);
  g_type_ensure (TG_TYPE_INVITE_PAGE);
  g_type_ensure (TG_TYPE_GROUP_PAGE);
  g_type_ensure (TG_TYPE_ASSET_PAGE);
  g_type_ensure (TG_TYPE_UPLOADS_VIEW);
  g_type_ensure (TG_TYPE_CALL_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/tg-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TgWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TgWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, TgWindow, sign_in_page);
  gtk_widget_class_bind_template_child (widget_class, TgWindow, invite_page);
  gtk_widget_class_bind_template_child (widget_class, TgWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, TgWindow, groups_list);
  gtk_widget_class_bind_template_child (widget_class, TgWindow, groups_stack);
  gtk_widget_class_bind_template_child (widget_class, TgWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, TgWindow, group_page);
  gtk_widget_class_bind_template_child (widget_class, TgWindow, asset_page);
  gtk_widget_class_bind_template_child (widget_class, TgWindow, uploads_view);
  gtk_widget_class_bind_template_child (widget_class, TgWindow, call_page);
  gtk_widget_class_bind_template_child (widget_class, TgWindow, uploads_button);
  gtk_widget_class_bind_template_child (widget_class, TgWindow, content_box);
  gtk_widget_class_bind_template_callback (widget_class, invite_done_cb);
  gtk_widget_class_bind_template_callback (widget_class, asset_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, group_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, join_booking_cb);
  gtk_widget_class_bind_template_callback (widget_class, folded_cb);

  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_action);
  gtk_widget_class_install_action (widget_class, "win.open-invitation", NULL, open_invitation_action);
  gtk_widget_class_install_action (widget_class, "win.new-group", NULL, new_group_action);
  gtk_widget_class_install_action (widget_class, "win.show-uploads", NULL, show_uploads_action);
  gtk_widget_class_install_action (widget_class, "win.show-group", NULL, show_group_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.join-booking", "s", join_booking_action);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-group", NULL);
}

static void
tg_window_init (TgWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->toasts = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
}
