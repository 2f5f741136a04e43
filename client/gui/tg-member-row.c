/* tg-member-row.c — see tg-member-row.h. */
#define G_LOG_DOMAIN "tg-member-row"

#include "tg-member-row.h"

#include "tg-util.h"

#include <glib/gi18n.h>

struct _TgMemberRow
{
  AdwActionRow parent_instance;

  AdwAvatar *avatar;
  GtkWidget *owner_label;
  GtkWidget *remove_button;

  char *id;
};

G_DEFINE_FINAL_TYPE (TgMemberRow, tg_member_row, ADW_TYPE_ACTION_ROW)

static const char *
role_label (const char *role)
{
  if (g_strcmp0 (role, "admin") == 0)
    return _("Administrator");
  if (g_strcmp0 (role, "expert") == 0)
    return _("Coach");
  if (g_strcmp0 (role, "student") == 0)
    return _("Student");
  return "";
}

TgMemberRow *
tg_member_row_new (JsonObject *member,
                   gboolean    can_remove)
{
  TgMemberRow *self = g_object_new (TG_TYPE_MEMBER_ROW, NULL);
  const char *name = tg_json_string (member, "name");
  const char *email = tg_json_string (member, "email");
  const char *role = role_label (tg_json_string (member, "role"));
  gboolean owner = tg_json_bool (member, "is_owner", FALSE);
  g_autofree char *subtitle = email != NULL
    /* TRANSLATORS: "role · e-mail" under a member's name */
    ? g_strdup_printf (_("%s · %s"), role, email) : g_strdup (role);

  self->id = g_strdup (tg_json_string (member, "id"));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), name != NULL ? name : "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  adw_avatar_set_text (self->avatar, name);
  gtk_widget_set_visible (self->owner_label, owner);
  gtk_widget_set_visible (self->remove_button, can_remove && !owner);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->remove_button), "s", self->id);
  return self;
}

const char *
tg_member_row_get_id (TgMemberRow *self)
{
  g_return_val_if_fail (TG_IS_MEMBER_ROW (self), NULL);
  return self->id;
}

static void
tg_member_row_dispose (GObject *object)
{
  TgMemberRow *self = TG_MEMBER_ROW (object);

  g_clear_pointer (&self->id, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), TG_TYPE_MEMBER_ROW);

  G_OBJECT_CLASS (tg_member_row_parent_class)->dispose (object);
}

static void
tg_member_row_class_init (TgMemberRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_member_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/tg-member-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TgMemberRow, avatar);
  gtk_widget_class_bind_template_child (widget_class, TgMemberRow, owner_label);
  gtk_widget_class_bind_template_child (widget_class, TgMemberRow, remove_button);
}

static void
tg_member_row_init (TgMemberRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
