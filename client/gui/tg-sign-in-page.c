/* tg-sign-in-page.c — see tg-sign-in-page.h. */
#define G_LOG_DOMAIN "tg-sign-in-page"

#include "tg-sign-in-page.h"

#include "tg-application.h"
#include "tg-util.h"

#include <glib/gi18n.h>

struct _TgSignInPage
{
  AdwBin parent_instance;

  AdwEntryRow *server_row;
  AdwEntryRow *email_row;
  AdwEntryRow *password_row;
  GtkLabel *error_label;
  GtkButton *sign_in_button;
  GtkStack *button_stack;

  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (TgSignInPage, tg_sign_in_page, ADW_TYPE_BIN)

static void
set_busy (TgSignInPage *self,
          gboolean      busy)
{
  gtk_stack_set_visible_child_name (self->button_stack, busy ? "spinner" : "label");
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->server_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->email_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), !busy);
}

void
tg_sign_in_page_show_error (TgSignInPage *self,
                            const char   *message)
{
  g_return_if_fail (TG_IS_SIGN_IN_PAGE (self));
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
signed_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TgSignInPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tg_session_sign_in_finish (TG_SESSION (source), result, &error))
    {
      if (!tg_error_is_cancelled (error))
        {
          g_autofree char *sentence = tg_error_sentence (error, NULL);
          tg_sign_in_page_show_error (self, sentence);
          gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
        }
      set_busy (self, FALSE);
      return;
    }
  set_busy (self, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  /* The window follows the session to the groups. */
}

static void
sign_in_clicked_cb (TgSignInPage *self)
{
  TgApplication *app = tg_application_get_default ();
  TgSession *session = tg_application_get_session (app);
  const char *server = gtk_editable_get_text (GTK_EDITABLE (self->server_row));
  const char *email = gtk_editable_get_text (GTK_EDITABLE (self->email_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  g_autoptr(GError) error = NULL;

  if (*email == '\0' || *password == '\0')
    {
      tg_sign_in_page_show_error (self, _("Enter your e-mail address and your password."));
      gtk_widget_grab_focus (GTK_WIDGET (*email == '\0' ? self->email_row : self->password_row));
      return;
    }
  g_autofree char *trimmed = g_strstrip (g_strdup (server));
  if (!tg_session_set_server (session, trimmed, &error))
    {
      g_autofree char *sentence = tg_error_sentence (error, NULL);
      tg_sign_in_page_show_error (self, sentence);
      gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
      return;
    }
  g_settings_set_string (tg_application_get_settings (app), "server", tg_session_get_server (session));

  tg_sign_in_page_show_error (self, NULL);
  set_busy (self, TRUE);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  tg_session_sign_in_async (session, email, password, self->cancellable, signed_in_cb, g_object_ref (self));
}

void
tg_sign_in_page_reset (TgSignInPage *self)
{
  g_return_if_fail (TG_IS_SIGN_IN_PAGE (self));
  TgApplication *app = tg_application_get_default ();
  TgSession *session = tg_application_get_session (app);
  const char *server = tg_session_get_server (session);

  if (server != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->server_row), server);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  set_busy (self, FALSE);
}

static void
tg_sign_in_page_dispose (GObject *object)
{
  TgSignInPage *self = TG_SIGN_IN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TG_TYPE_SIGN_IN_PAGE);

  G_OBJECT_CLASS (tg_sign_in_page_parent_class)->dispose (object);
}

static void
tg_sign_in_page_class_init (TgSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_sign_in_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/tg-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TgSignInPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, TgSignInPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, TgSignInPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, TgSignInPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, TgSignInPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, TgSignInPage, button_stack);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_clicked_cb);
}

static void
tg_sign_in_page_init (TgSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_name (GTK_WIDGET (self), "sign-in-page");
}
