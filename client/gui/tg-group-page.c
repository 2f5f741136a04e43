/* tg-group-page.c — see tg-group-page.h. */
#define G_LOG_DOMAIN "tg-group-page"

#include "tg-group-page.h"

#include "tg-application.h"
#include "tg-invite-dialog.h"
#include "tg-upload-dialog.h"
#include "tg-util.h"
#include "tg-window.h"

#include <glib/gi18n.h>

struct _TgGroupPage
{
  AdwBin parent_instance;

  AdwViewSwitcherTitle *switcher_title;
  GtkWidget *back_button;
  AdwViewStack *view_stack;
  TgLibraryView *library;
  TgMembersView *members;
  TgSessionsView *sessions;
  TgAvailabilityView *availability;
  AdwViewStackPage *availability_page;

  JsonObject *group;
  GCancellable *cancellable;
  GtkNativeDialog *chooser;
};

G_DEFINE_FINAL_TYPE (TgGroupPage, tg_group_page, ADW_TYPE_BIN)

enum {
  SIGNAL_ASSET_ACTIVATED,
  SIGNAL_GROUP_CHANGED,
  SIGNAL_JOIN_BOOKING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static TgSession *
session (void)
{
  return tg_application_get_session (tg_application_get_default ());
}

/* ---- rights ---- */

/* Owner of the group or an admin. */
static gboolean
can_manage (TgGroupPage *self)
{
  TgSession *s = session ();
  return self->group != NULL &&
         (g_strcmp0 (tg_session_get_role (s), "admin") == 0 ||
          g_strcmp0 (tg_json_string (self->group, "owner_id"), tg_session_get_user_id (s)) == 0);
}

/* Managers and the group's coaches. */
static gboolean
can_invite (TgGroupPage *self)
{
  return can_manage (self) || (self->group != NULL && g_strcmp0 (tg_session_get_role (session ()), "expert") == 0);
}

/* Experts and admins keep availability and session types. */
gboolean
tg_group_page_can_coach (TgGroupPage *self)
{
  g_return_val_if_fail (TG_IS_GROUP_PAGE (self), FALSE);
  const char *role = tg_session_get_role (session ());
  return self->group != NULL && (g_strcmp0 (role, "expert") == 0 || g_strcmp0 (role, "admin") == 0);
}

static void
update_actions (TgGroupPage *self)
{
  gboolean shown = self->group != NULL;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "group.upload", shown);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "group.invite", can_invite (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "group.change-avatar", can_manage (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "group.remove-avatar",
                                 can_manage (self) && tg_json_bool (self->group, "has_avatar", FALSE));
}

/* ---- the group ---- */

static void
show (TgGroupPage *self,
      JsonObject  *group,
      gboolean     reload_library)
{
  g_autofree char *old_id = g_strdup (tg_json_string (self->group, "id"));
  if (group != NULL)
    json_object_ref (group);
  g_clear_pointer (&self->group, json_object_unref);
  self->group = group;

  const char *name = tg_json_string (group, "name");
  adw_view_switcher_title_set_title (self->switcher_title, name != NULL ? name : "");
  update_actions (self);
  tg_members_view_set_group (self->members, group, can_manage (self));
  tg_sessions_view_set_group (self->sessions, group);
  /* Another group: its availability (unsaved changes of the same group
   * survive a refresh of the group's details). */
  gboolean coach = tg_group_page_can_coach (self);
  adw_view_stack_page_set_visible (self->availability_page, coach);
  if (!coach)
    tg_availability_view_set_group (self->availability, NULL);
  else if (g_strcmp0 (old_id, tg_json_string (group, "id")) != 0)
    tg_availability_view_set_group (self->availability, tg_json_string (group, "id"));
  if (reload_library)
    tg_library_view_set_group_id (self->library, tg_json_string (group, "id"));
}

void
tg_group_page_set_group (TgGroupPage *self,
                         JsonObject  *group)
{
  g_return_if_fail (TG_IS_GROUP_PAGE (self));
  show (self, group, TRUE);
  adw_view_stack_set_visible_child_name (self->view_stack, "library");
}

void
tg_group_page_update_group (TgGroupPage *self,
                            JsonObject  *group)
{
  g_return_if_fail (TG_IS_GROUP_PAGE (self));
  show (self, group, TRUE);
}

JsonObject *
tg_group_page_get_group (TgGroupPage *self)
{
  g_return_val_if_fail (TG_IS_GROUP_PAGE (self), NULL);
  return self->group;
}

void
tg_group_page_set_folded (TgGroupPage *self,
                          gboolean     folded)
{
  g_return_if_fail (TG_IS_GROUP_PAGE (self));
  gtk_widget_set_visible (self->back_button, folded);
}

void
tg_group_page_asset_changed (TgGroupPage *self,
                             const char  *group_id)
{
  g_return_if_fail (TG_IS_GROUP_PAGE (self));
  if (self->group != NULL && g_strcmp0 (tg_json_string (self->group, "id"), group_id) == 0)
    tg_library_view_reload (self->library);
}

void
tg_group_page_show_view (TgGroupPage *self,
                         const char  *name)
{
  g_return_if_fail (TG_IS_GROUP_PAGE (self));
  adw_view_stack_set_visible_child_name (self->view_stack, name);
}

TgLibraryView *
tg_group_page_get_library (TgGroupPage *self)
{
  g_return_val_if_fail (TG_IS_GROUP_PAGE (self), NULL);
  return self->library;
}

TgMembersView *
tg_group_page_get_members (TgGroupPage *self)
{
  g_return_val_if_fail (TG_IS_GROUP_PAGE (self), NULL);
  return self->members;
}

TgSessionsView *
tg_group_page_get_sessions (TgGroupPage *self)
{
  g_return_val_if_fail (TG_IS_GROUP_PAGE (self), NULL);
  return self->sessions;
}

TgAvailabilityView *
tg_group_page_get_availability (TgGroupPage *self)
{
  g_return_val_if_fail (TG_IS_GROUP_PAGE (self), NULL);
  return self->availability;
}

static void
join_booking_cb (TgGroupPage    *self,
                 const char     *booking_id,
                 TgSessionsView *sessions)
{
  g_signal_emit (self, signals[SIGNAL_JOIN_BOOKING], 0, booking_id);
}

static void
asset_activated_cb (TgGroupPage   *self,
                    const char    *asset_id,
                    TgLibraryView *library)
{
  g_signal_emit (self, signals[SIGNAL_ASSET_ACTIVATED], 0, asset_id);
}

/* ---- uploads ---- */

static void
upload_confirmed_cb (TgGroupPage    *self,
                     const char     *name,
                     const char     *description,
                     TgUploadDialog *dialog)
{
  TgApplication *app = tg_application_get_default ();
  GStrv paths = tg_upload_dialog_get_paths (dialog);

  if (self->group == NULL)
    return;
  tg_upload_manager_start (tg_application_get_upload_manager (app), tg_json_string (self->group, "id"),
                           tg_json_string (self->group, "name"), name, description,
                           (const char * const *) paths);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-uploads", NULL);
}

void
tg_group_page_upload_files (TgGroupPage *self,
                            GListModel  *files)
{
  g_return_if_fail (TG_IS_GROUP_PAGE (self));
  if (self->group == NULL || g_list_model_get_n_items (files) == 0)
    return;
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));
  TgUploadDialog *dialog = tg_upload_dialog_new (parent, tg_json_string (self->group, "name"), files);
  g_signal_connect_object (dialog, "confirmed", G_CALLBACK (upload_confirmed_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
videos_chosen_cb (TgGroupPage          *self,
                  int                   response,
                  GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      tg_group_page_upload_files (self, files);
    }
  g_clear_object (&self->chooser);
}

static void
upload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TgGroupPage *self = TG_GROUP_PAGE (widget);
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_root (widget));
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Upload Videos"), parent,
                                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Upload"), NULL);
  g_autoptr(GtkFileFilter) videos = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  gtk_file_filter_set_name (videos, _("Videos"));
  gtk_file_filter_add_mime_type (videos, "video/*");
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), videos);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (videos_chosen_cb), self, G_CONNECT_SWAPPED);
  g_clear_object (&self->chooser);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

/* ---- invitations ---- */

static void
invite_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TgGroupPage *self = TG_GROUP_PAGE (widget);
  if (self->group == NULL)
    return;
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_root (widget));
  TgInviteDialog *dialog = tg_invite_dialog_new (parent, self->group);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- the picture ---- */

static void
avatar_changed (TgGroupPage *self,
                const char  *text)
{
  const char *url = tg_json_string (self->group, "avatar_url");
  g_autofree char *path = url != NULL ? g_strdup (url)
                                      : g_strdup_printf ("/groups/%s/avatar", tg_json_string (self->group, "id"));
  tg_image_cache_forget (tg_application_get_image_cache (tg_application_get_default ()), path);
  tg_window_toast (GTK_WIDGET (self), text);
  g_signal_emit (self, signals[SIGNAL_GROUP_CHANGED], 0, tg_json_string (self->group, "id"));
}

static void
avatar_sent_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TgGroupPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);

  if (reply == NULL)
    {
      tg_window_toast_error (GTK_WIDGET (self), error, _("Could not change the picture"));
      return;
    }
  if (self->group != NULL)
    avatar_changed (self, _("The group has a new picture."));
}

static void
avatar_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TgGroupPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *etag = NULL;
  g_autoptr(GBytes) bytes = g_file_load_bytes_finish (G_FILE (source), result, &etag, &error);

  if (bytes == NULL || self->group == NULL)
    {
      tg_window_toast_error (GTK_WIDGET (self), error, _("Could not read the picture"));
      return;
    }
  gsize len = 0;
  const guchar *data = g_bytes_get_data (bytes, &len);
  g_autofree char *type = g_content_type_guess (NULL, data, len, NULL);
  g_autofree char *mime = g_content_type_get_mime_type (type);
  if (g_strcmp0 (mime, "image/png") != 0 && g_strcmp0 (mime, "image/jpeg") != 0)
    {
      tg_window_toast (GTK_WIDGET (self), _("Choose a PNG or JPEG picture."));
      return;
    }
  g_autofree char *path = g_strdup_printf ("/groups/%s/avatar", tg_json_string (self->group, "id"));
  tg_session_send_bytes_async (session (), "PUT", path, mime, bytes, self->cancellable, avatar_sent_cb,
                               g_object_ref (self));
}

void
tg_group_page_set_avatar_file (TgGroupPage *self,
                               GFile       *file)
{
  g_return_if_fail (TG_IS_GROUP_PAGE (self));
  g_file_load_bytes_async (file, self->cancellable, avatar_read_cb, g_object_ref (self));
}

static void
picture_chosen_cb (TgGroupPage          *self,
                   int                   response,
                   GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      if (file != NULL)
        tg_group_page_set_avatar_file (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
change_avatar_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  TgGroupPage *self = TG_GROUP_PAGE (widget);
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_root (widget));
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Choose a Picture"), parent,
                                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), NULL);
  g_autoptr(GtkFileFilter) pictures = gtk_file_filter_new ();

  gtk_file_filter_set_name (pictures, _("Pictures (PNG, JPEG)"));
  gtk_file_filter_add_mime_type (pictures, "image/png");
  gtk_file_filter_add_mime_type (pictures, "image/jpeg");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), pictures);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (picture_chosen_cb), self, G_CONNECT_SWAPPED);
  g_clear_object (&self->chooser);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

static void
avatar_removed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TgGroupPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);

  if (reply == NULL)
    {
      tg_window_toast_error (GTK_WIDGET (self), error, _("Could not remove the picture"));
      return;
    }
  if (self->group != NULL)
    avatar_changed (self, _("The group's picture is removed."));
}

static void
remove_avatar_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  TgGroupPage *self = TG_GROUP_PAGE (widget);
  if (self->group == NULL)
    return;
  g_autofree char *path = g_strdup_printf ("/groups/%s/avatar", tg_json_string (self->group, "id"));
  tg_session_call_async (session (), "DELETE", path, NULL, self->cancellable, avatar_removed_cb,
                         g_object_ref (self));
}

/* ---- object ---- */

static void
tg_group_page_dispose (GObject *object)
{
  TgGroupPage *self = TG_GROUP_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->group, json_object_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TG_TYPE_GROUP_PAGE);

  G_OBJECT_CLASS (tg_group_page_parent_class)->dispose (object);
}

static void
tg_group_page_class_init (TgGroupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_group_page_dispose;

  g_type_ensure (TG_TYPE_LIBRARY_VIEW);
  g_type_ensure (TG_TYPE_MEMBERS_VIEW);
  g_type_ensure (TG_TYPE_SESSIONS_VIEW);
  g_type_ensure (TG_TYPE_AVAILABILITY_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/tg-group-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TgGroupPage, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, TgGroupPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, TgGroupPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, TgGroupPage, library);
  gtk_widget_class_bind_template_child (widget_class, TgGroupPage, members);
  gtk_widget_class_bind_template_child (widget_class, TgGroupPage, sessions);
  gtk_widget_class_bind_template_child (widget_class, TgGroupPage, availability);
  gtk_widget_class_bind_template_child (widget_class, TgGroupPage, availability_page);
  gtk_widget_class_bind_template_callback (widget_class, asset_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, join_booking_cb);

  gtk_widget_class_install_action (widget_class, "group.upload", NULL, upload_action);
  gtk_widget_class_install_action (widget_class, "group.invite", NULL, invite_action);
  gtk_widget_class_install_action (widget_class, "group.change-avatar", NULL, change_avatar_action);
  gtk_widget_class_install_action (widget_class, "group.remove-avatar", NULL, remove_avatar_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_u, GDK_CONTROL_MASK, "group.upload", NULL);

  /* A tile of the library was opened; the asset's id. */
  signals[SIGNAL_ASSET_ACTIVATED] = g_signal_new ("asset-activated", G_TYPE_FROM_CLASS (klass),
                                                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                  G_TYPE_NONE, 1, G_TYPE_STRING);
  /* The group changed (its picture); its id. */
  signals[SIGNAL_GROUP_CHANGED] = g_signal_new ("group-changed", G_TYPE_FROM_CLASS (klass),
                                                G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                G_TYPE_NONE, 1, G_TYPE_STRING);
  /* Join was pressed on an upcoming session; the booking's id. */
  signals[SIGNAL_JOIN_BOOKING] = g_signal_new ("join-booking", G_TYPE_FROM_CLASS (klass),
                                               G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                               G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
tg_group_page_init (TgGroupPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_name (GTK_WIDGET (self), "group-page");
  self->cancellable = g_cancellable_new ();
  update_actions (self);
}
