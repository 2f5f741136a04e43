/* tg-invite-dialog.c — see tg-invite-dialog.h. */
#define G_LOG_DOMAIN "tg-invite-dialog"

#include "tg-invite-dialog.h"

#include "tg-application.h"
#include "tg-util.h"
#include "tg-window.h"

#include <glib/gi18n.h>
#include <string.h>

struct _TgInviteDialog
{
  AdwWindow parent_instance;

  GtkStack *stack;
  GtkLabel *intro_label;
  AdwEntryRow *email_row;
  GtkLabel *error_label;
  GtkWidget *send_button;
  GtkPicture *qr_picture;
  GtkLabel *sent_label;
  GtkLabel *code_label;
  GtkLabel *link_label;
  GtkWidget *copy_button;

  JsonObject *group;
  JsonObject *invitation;
  GBytes *qr_png;
  GCancellable *cancellable;
  GtkNativeDialog *chooser;
};

G_DEFINE_FINAL_TYPE (TgInviteDialog, tg_invite_dialog, ADW_TYPE_WINDOW)

static TgSession *
session (void)
{
  return tg_application_get_session (tg_application_get_default ());
}

static void
show_error (TgInviteDialog *self,
            const char     *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
update_actions (TgInviteDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "invite.copy-link", self->invitation != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "invite.save-qr", self->qr_png != NULL);
}

/* ---- the QR code ---- */

static void
qr_cb (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  g_autoptr(TgInviteDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = tg_session_fetch_finish (TG_SESSION (source), result, &error);

  if (png == NULL)
    {
      if (!tg_error_is_cancelled (error))
        {
          g_autofree char *sentence = tg_error_sentence (error, _("Could not load the QR code"));
          gtk_label_set_text (self->sent_label, sentence);
        }
      return;
    }
  g_autoptr(GdkTexture) texture = gdk_texture_new_from_bytes (png, &error);
  if (texture == NULL)
    {
      g_message ("the server's QR code is not a picture: %s", error->message);
      return;
    }
  g_clear_pointer (&self->qr_png, g_bytes_unref);
  self->qr_png = g_bytes_ref (png);
  gtk_picture_set_paintable (self->qr_picture, GDK_PAINTABLE (texture));
  update_actions (self);
}

/* ---- sending ---- */

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(TgInviteDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);
  JsonObject *invitation = tg_json_object (reply);
  const char *code = tg_json_string (invitation, "code");

  if (tg_error_is_cancelled (error))
    return;
  gtk_widget_set_sensitive (self->send_button, TRUE);
  if (code == NULL)
    {
      g_autofree char *sentence = tg_error_sentence (error, _("Could not send the invitation"));
      show_error (self, sentence);
      return;
    }

  g_clear_pointer (&self->invitation, json_object_unref);
  self->invitation = json_object_ref (invitation);
  g_autofree char *sent = g_strdup_printf (_("The invitation went to %s. They can also scan this code, or type it in Tandem:"),
                                           tg_json_string (invitation, "email"));
  gtk_label_set_text (self->sent_label, sent);
  gtk_label_set_text (self->code_label, code);
  gtk_label_set_text (self->link_label, tg_json_string (invitation, "url"));
  gtk_picture_set_paintable (self->qr_picture, NULL);
  g_clear_pointer (&self->qr_png, g_bytes_unref);
  update_actions (self);
  gtk_stack_set_visible_child_name (self->stack, "sent");
  gtk_widget_grab_focus (self->copy_button);

  g_autofree char *path = g_strdup_printf ("/invitations/%s/qr.png", code);
  tg_session_fetch_async (session (), path, self->cancellable, qr_cb, g_object_ref (self));
}

static void
send_clicked_cb (TgInviteDialog *self)
{
  g_autofree char *email = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->email_row))));
  if (strchr (email, '@') == NULL)
    {
      show_error (self, _("Enter the e-mail address of the person to invite."));
      return;
    }
  show_error (self, NULL);
  gtk_widget_set_sensitive (self->send_button, FALSE);
  g_autoptr(JsonObject) body = json_object_new ();
  json_object_set_string_member (body, "email", email);
  g_autofree char *path = g_strdup_printf ("/groups/%s/invitations", tg_json_string (self->group, "id"));
  tg_session_call_async (session (), "POST", path, body, self->cancellable, sent_cb, g_object_ref (self));
}

static void
another_clicked_cb (TgInviteDialog *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->email_row), "");
  gtk_stack_set_visible_child_name (self->stack, "form");
  gtk_widget_grab_focus (GTK_WIDGET (self->email_row));
}

/* ---- copy and save ---- */

static void
copy_link_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TgInviteDialog *self = TG_INVITE_DIALOG (widget);
  const char *url = tg_json_string (self->invitation, "url");
  if (url == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), url);
  tg_window_toast (widget, _("The link is copied."));
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(TgInviteDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      tg_window_toast_error (GTK_WIDGET (self), error, _("Could not save the QR code"));
      return;
    }
  g_autofree char *name = g_file_get_basename (G_FILE (source));
  g_autofree char *text = g_strdup_printf (_("Saved the QR code as “%s”."), name);
  tg_window_toast (GTK_WIDGET (self), text);
}

void
tg_invite_dialog_save_qr_to (TgInviteDialog *self,
                             GFile          *file)
{
  g_return_if_fail (TG_IS_INVITE_DIALOG (self));
  g_return_if_fail (self->qr_png != NULL);
  g_file_replace_contents_bytes_async (file, self->qr_png, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       self->cancellable, saved_cb, g_object_ref (self));
}

static void
save_chosen_cb (TgInviteDialog       *self,
                int                   response,
                GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      if (file != NULL && self->qr_png != NULL)
        tg_invite_dialog_save_qr_to (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
save_qr_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TgInviteDialog *self = TG_INVITE_DIALOG (widget);
  if (self->qr_png == NULL)
    return;
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Save QR Code"), GTK_WINDOW (self),
                                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), NULL);
  g_autofree char *name = g_strdup_printf ("tandem-invitation-%s.png", tg_json_string (self->invitation, "code"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (save_chosen_cb), self, G_CONNECT_SWAPPED);
  g_clear_object (&self->chooser);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

/* ---- object ---- */

TgInviteDialog *
tg_invite_dialog_new (GtkWindow  *parent,
                      JsonObject *group)
{
  g_return_val_if_fail (group != NULL, NULL);

  TgInviteDialog *self = g_object_new (TG_TYPE_INVITE_DIALOG, "transient-for", parent, NULL);
  self->group = json_object_ref (group);
  g_autofree char *intro = g_strdup_printf (_("Invite somebody to “%s”. They get an e-mail with a code and a link, and you can show them the QR code."),
                                            tg_json_string (group, "name"));
  gtk_label_set_text (self->intro_label, intro);
  return self;
}

JsonObject *
tg_invite_dialog_get_invitation (TgInviteDialog *self)
{
  g_return_val_if_fail (TG_IS_INVITE_DIALOG (self), NULL);
  return self->invitation;
}

gboolean
tg_invite_dialog_has_qr (TgInviteDialog *self)
{
  g_return_val_if_fail (TG_IS_INVITE_DIALOG (self), FALSE);
  return self->qr_png != NULL;
}

static void
tg_invite_dialog_dispose (GObject *object)
{
  TgInviteDialog *self = TG_INVITE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->group, json_object_unref);
  g_clear_pointer (&self->invitation, json_object_unref);
  g_clear_pointer (&self->qr_png, g_bytes_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TG_TYPE_INVITE_DIALOG);

  G_OBJECT_CLASS (tg_invite_dialog_parent_class)->dispose (object);
}

static void
tg_invite_dialog_class_init (TgInviteDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_invite_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/tg-invite-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TgInviteDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, TgInviteDialog, intro_label);
  gtk_widget_class_bind_template_child (widget_class, TgInviteDialog, email_row);
  gtk_widget_class_bind_template_child (widget_class, TgInviteDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, TgInviteDialog, send_button);
  gtk_widget_class_bind_template_child (widget_class, TgInviteDialog, qr_picture);
  gtk_widget_class_bind_template_child (widget_class, TgInviteDialog, sent_label);
  gtk_widget_class_bind_template_child (widget_class, TgInviteDialog, code_label);
  gtk_widget_class_bind_template_child (widget_class, TgInviteDialog, link_label);
  gtk_widget_class_bind_template_child (widget_class, TgInviteDialog, copy_button);
  gtk_widget_class_bind_template_callback (widget_class, send_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, another_clicked_cb);

  gtk_widget_class_install_action (widget_class, "invite.copy-link", NULL, copy_link_action);
  gtk_widget_class_install_action (widget_class, "invite.save-qr", NULL, save_qr_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tg_invite_dialog_init (TgInviteDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_name (GTK_WIDGET (self), "invite-dialog");
  self->cancellable = g_cancellable_new ();
  update_actions (self);
}
