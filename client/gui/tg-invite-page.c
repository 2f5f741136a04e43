/* tg-invite-page.c — see tg-invite-page.h. */
#define G_LOG_DOMAIN "tg-invite-page"

#include "tg-invite-page.h"

#include "tandem-error.h"
#include "tg-application.h"
#include "tg-util.h"
#include "tg-window.h"

#include <glib/gi18n.h>
#include <string.h>

struct _TgInvitePage
{
  AdwBin parent_instance;

  GtkStack *stack;
  AdwEntryRow *server_row;
  AdwEntryRow *code_row;
  GtkButton *look_up_button;
  AdwAvatar *avatar;
  GtkLabel *group_label;
  GtkLabel *inviter_label;
  GtkWidget *register_box;
  AdwEntryRow *name_row;
  AdwEntryRow *email_row;
  AdwEntryRow *password_row;
  GtkButton *join_button;
  GtkWidget *have_account_button;
  GtkLabel *error_label;
  GtkSpinner *spinner;

  GCancellable *cancellable;
  char *code;
  char *group_id;
};

G_DEFINE_FINAL_TYPE (TgInvitePage, tg_invite_page, ADW_TYPE_BIN)

enum {
  SIGNAL_DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static TgSession *
session (void)
{
  return tg_application_get_session (tg_application_get_default ());
}

/* ---- codes ---- */

static gboolean
is_code (const char *text)
{
  gsize len = strlen (text);
  if (len < 4 || len > 16)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (text[i]))
      return FALSE;
  return TRUE;
}

char *
tg_invite_page_parse (const char *text)
{
  if (text == NULL)
    return NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (text));

  if (g_ascii_strncasecmp (trimmed, "tandem:", 7) == 0)
    return tg_application_parse_invite_uri (trimmed);
  const char *marker = strstr (trimmed, "/invite/");
  if (marker != NULL)
    {
      g_autofree char *code = g_strdup (marker + strlen ("/invite/"));
      char *end = strpbrk (code, "/?#");
      if (end != NULL)
        *end = '\0';
      return is_code (code) ? g_ascii_strup (code, -1) : NULL;
    }
  /* Codes are shown in groups ("ABC-DEF"); people type them with spaces. */
  g_autoptr(GString) code = g_string_new (NULL);
  for (const char *p = trimmed; *p != '\0'; p++)
    if (*p != ' ' && *p != '-')
      g_string_append_c (code, *p);
  return is_code (code->str) ? g_ascii_strup (code->str, -1) : NULL;
}

/* ---- state ---- */

static void
show_error (TgInvitePage *self,
            const char   *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
set_busy (TgInvitePage *self,
          gboolean      busy)
{
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->stack), !busy);
}

static void
restart (TgInvitePage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->group_id, g_free);
  show_error (self, NULL);
  set_busy (self, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "code");
}

/* ---- details ---- */

static void
avatar_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(TgInvitePage) self = user_data;
  g_autoptr(GdkTexture) texture = tg_image_cache_load_finish (TG_IMAGE_CACHE (source), result, NULL);
  if (texture != NULL)
    adw_avatar_set_custom_image (self->avatar, GDK_PAINTABLE (texture));
}

static void
shown_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(TgInvitePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);
  JsonObject *o = tg_json_object (reply);

  if (tg_error_is_cancelled (error))
    return;
  set_busy (self, FALSE);
  if (o == NULL)
    {
      g_autofree char *sentence = NULL;
      if (g_error_matches (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND))
        sentence = g_strdup (_("There is no invitation with this code. Check it and try again."));
      else
        sentence = tg_error_sentence (error, NULL);
      show_error (self, sentence);
      g_clear_pointer (&self->code, g_free);
      return;
    }

  const char *status = tg_json_string (o, "status");
  if (g_strcmp0 (status, "pending") != 0)
    {
      show_error (self, g_strcmp0 (status, "expired") == 0 ? _("This invitation has expired. Ask for a new one.")
                        : g_strcmp0 (status, "accepted") == 0 ? _("This invitation has already been used.")
                        : _("This invitation was withdrawn."));
      g_clear_pointer (&self->code, g_free);
      return;
    }

  JsonObject *group = tg_json_member_object (o, "group");
  const char *name = tg_json_string (group, "name");
  const char *inviter = tg_json_string (o, "inviter_name");
  gboolean signed_in = tg_session_is_signed_in (session ());

  g_free (self->group_id);
  self->group_id = g_strdup (tg_json_string (group, "id"));
  gtk_label_set_text (self->group_label, name != NULL ? name : "");
  adw_avatar_set_text (self->avatar, name);
  adw_avatar_set_custom_image (self->avatar, NULL);
  g_autofree char *invites = inviter != NULL
    ? g_strdup_printf (_("%s invites you to join this group."), inviter)
    : g_strdup (_("You are invited to join this group."));
  gtk_label_set_text (self->inviter_label, invites);
  gtk_widget_set_visible (self->register_box, !signed_in);
  gtk_widget_set_visible (self->have_account_button, !signed_in);
  gtk_button_set_label (self->join_button, signed_in ? _("_Join Group") : _("Create Account and _Join"));
  gtk_stack_set_visible_child_name (self->stack, "details");

  const char *avatar = tg_json_string (group, "avatar_url");
  if (avatar != NULL)
    tg_image_cache_load_async (tg_application_get_image_cache (tg_application_get_default ()), avatar,
                               self->cancellable, avatar_cb, g_object_ref (self));
  gtk_widget_grab_focus (signed_in ? GTK_WIDGET (self->join_button) : GTK_WIDGET (self->name_row));
}

static void
look_up_clicked_cb (TgInvitePage *self)
{
  g_autofree char *code = tg_invite_page_parse (gtk_editable_get_text (GTK_EDITABLE (self->code_row)));
  g_autoptr(GError) error = NULL;

  if (code == NULL)
    {
      show_error (self, _("This is not an invitation code. Codes have letters and digits, like K7MX2Q."));
      return;
    }
  if (!tg_session_is_signed_in (session ()))
    {
      g_autofree char *server = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->server_row))));
      if (!tg_session_set_server (session (), server, &error))
        {
          g_autofree char *sentence = tg_error_sentence (error, NULL);
          show_error (self, sentence);
          return;
        }
    }
  show_error (self, NULL);
  set_busy (self, TRUE);
  g_free (self->code);
  self->code = g_steal_pointer (&code);
  g_autofree char *path = g_strdup_printf ("/invitations/%s", self->code);
  tg_session_call_async (session (), "GET", path, NULL, self->cancellable, shown_cb, g_object_ref (self));
}

/* ---- joining ---- */

static void
finish (TgInvitePage *self,
        const char   *outcome)
{
  g_autofree char *group_id = g_strdup (self->group_id);
  g_signal_emit (self, signals[SIGNAL_DONE], 0, outcome, group_id);
}

static void
accepted_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TgInvitePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);

  if (tg_error_is_cancelled (error))
    return;
  set_busy (self, FALSE);
  if (reply == NULL && !g_error_matches (error, TANDEM_ERROR, TANDEM_ERROR_ALREADY_MEMBER))
    {
      g_autofree char *sentence = tg_error_sentence (error, _("Could not join the group"));
      show_error (self, sentence);
      return;
    }
  g_autofree char *text = g_strdup_printf (reply != NULL ? _("You joined “%s”.") : _("You are already in “%s”."),
                                           gtk_label_get_text (self->group_label));
  tg_window_toast (GTK_WIDGET (self), text);
  finish (self, "joined");
}

static void
registered_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(TgInvitePage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tg_session_register_finish (TG_SESSION (source), result, &error))
    {
      if (tg_error_is_cancelled (error))
        return;
      set_busy (self, FALSE);
      g_autofree char *sentence = tg_error_sentence (error, _("Could not create your account"));
      show_error (self, sentence);
      return;
    }
  set_busy (self, FALSE);
  g_autofree char *text = g_strdup_printf (_("Welcome! You joined “%s”."), gtk_label_get_text (self->group_label));
  tg_window_toast (GTK_WIDGET (self), text);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  finish (self, "registered");
}

static void
join_clicked_cb (TgInvitePage *self)
{
  if (self->code == NULL)
    return;
  show_error (self, NULL);
  if (tg_session_is_signed_in (session ()))
    {
      set_busy (self, TRUE);
      g_autofree char *path = g_strdup_printf ("/invitations/%s/accept", self->code);
      tg_session_call_async (session (), "POST", path, NULL, self->cancellable, accepted_cb, g_object_ref (self));
      return;
    }

  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  const char *email = gtk_editable_get_text (GTK_EDITABLE (self->email_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  if (*name == '\0' || *email == '\0' || *password == '\0')
    {
      show_error (self, _("Enter your name, your e-mail address and a password."));
      return;
    }
  set_busy (self, TRUE);
  tg_session_register_async (session (), self->code, name, email, password, self->cancellable, registered_cb,
                             g_object_ref (self));
}

static void
have_account_clicked_cb (TgInvitePage *self)
{
  finish (self, "sign-in");
}

static void
cancel_clicked_cb (TgInvitePage *self)
{
  g_cancellable_cancel (self->cancellable);
  finish (self, "cancelled");
}

/* ---- public ---- */

void
tg_invite_page_open (TgInvitePage *self,
                     const char   *code)
{
  g_return_if_fail (TG_IS_INVITE_PAGE (self));
  gboolean signed_in = tg_session_is_signed_in (session ());
  const char *server = tg_session_get_server (session ());

  restart (self);
  gtk_widget_set_visible (GTK_WIDGET (self->server_row), !signed_in);
  if (server != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->server_row), server);
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), code != NULL ? code : "");
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  if (code != NULL)
    look_up_clicked_cb (self);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->code_row));
}

const char *
tg_invite_page_get_code (TgInvitePage *self)
{
  g_return_val_if_fail (TG_IS_INVITE_PAGE (self), NULL);
  return self->code;
}

static void
tg_invite_page_dispose (GObject *object)
{
  TgInvitePage *self = TG_INVITE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->group_id, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), TG_TYPE_INVITE_PAGE);

  G_OBJECT_CLASS (tg_invite_page_parent_class)->dispose (object);
}

static void
tg_invite_page_class_init (TgInvitePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_invite_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/tg-invite-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TgInvitePage, stack);
  gtk_widget_class_bind_template_child (widget_class, TgInvitePage, server_row);
  gtk_widget_class_bind_template_child (widget_class, TgInvitePage, code_row);
  gtk_widget_class_bind_template_child (widget_class, TgInvitePage, look_up_button);
  gtk_widget_class_bind_template_child (widget_class, TgInvitePage, avatar);
  gtk_widget_class_bind_template_child (widget_class, TgInvitePage, group_label);
  gtk_widget_class_bind_template_child (widget_class, TgInvitePage, inviter_label);
  gtk_widget_class_bind_template_child (widget_class, TgInvitePage, register_box);
  gtk_widget_class_bind_template_child (widget_class, TgInvitePage, name_row);
  gtk_widget_class_bind_template_child (widget_class, TgInvitePage, email_row);
  gtk_widget_class_bind_template_child (widget_class, TgInvitePage, password_row);
  gtk_widget_class_bind_template_child (widget_class, TgInvitePage, join_button);
  gtk_widget_class_bind_template_child (widget_class, TgInvitePage, have_account_button);
  gtk_widget_class_bind_template_child (widget_class, TgInvitePage, error_label);
  gtk_widget_class_bind_template_child (widget_class, TgInvitePage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, look_up_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, join_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, have_account_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);

  /* Finished: outcome ("joined", "registered", "sign-in", "cancelled") and
   * the group's id (or NULL). */
  signals[SIGNAL_DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
tg_invite_page_init (TgInvitePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_name (GTK_WIDGET (self), "invite-page");
  self->cancellable = g_cancellable_new ();
}
