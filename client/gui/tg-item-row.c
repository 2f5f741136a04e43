/* tg-item-row.c — see tg-item-row.h. */
#define G_LOG_DOMAIN "tg-item-row"

#include "tg-item-row.h"

struct _TgItemRow
{
  AdwActionRow parent_instance;

  GtkLabel *badge;
  GtkWidget *primary_button;
  GtkWidget *text_button;
  GtkWidget *edit_button;
  GtkWidget *remove_button;

  char *id;
};

G_DEFINE_FINAL_TYPE (TgItemRow, tg_item_row, ADW_TYPE_ACTION_ROW)

TgItemRow *
tg_item_row_new (const char *id,
                 const char *title,
                 const char *subtitle)
{
  TgItemRow *self = g_object_new (TG_TYPE_ITEM_ROW, NULL);
  self->id = g_strdup (id);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title != NULL ? title : "");
  if (subtitle != NULL && *subtitle != '\0')
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  return self;
}

const char *
tg_item_row_get_id (TgItemRow *self)
{
  g_return_val_if_fail (TG_IS_ITEM_ROW (self), NULL);
  return self->id;
}

void
tg_item_row_set_badge (TgItemRow  *self,
                       const char *text)
{
  g_return_if_fail (TG_IS_ITEM_ROW (self));
  gtk_label_set_text (self->badge, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->badge), text != NULL);
}

GtkWidget *
tg_item_row_get_button (TgItemRow       *self,
                        TgItemRowButton  which)
{
  g_return_val_if_fail (TG_IS_ITEM_ROW (self), NULL);
  switch (which)
    {
    case TG_ITEM_ROW_PRIMARY: return self->primary_button;
    case TG_ITEM_ROW_TEXT: return self->text_button;
    case TG_ITEM_ROW_EDIT: return self->edit_button;
    case TG_ITEM_ROW_REMOVE: return self->remove_button;
    default: g_return_val_if_reached (NULL);
    }
}

void
tg_item_row_set_button (TgItemRow       *self,
                        TgItemRowButton  which,
                        const char      *label,
                        const char      *icon,
                        const char      *action,
                        const char      *target)
{
  GtkWidget *button = tg_item_row_get_button (self, which);
  g_return_if_fail (button != NULL);

  if (which == TG_ITEM_ROW_PRIMARY || which == TG_ITEM_ROW_TEXT)
    {
      gtk_button_set_label (GTK_BUTTON (button), label);
      gtk_button_set_use_underline (GTK_BUTTON (button), TRUE);
    }
  else
    {
      gtk_widget_set_tooltip_text (button, label);
      if (icon != NULL)
        gtk_button_set_icon_name (GTK_BUTTON (button), icon);
    }
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", target != NULL ? target : "");
  gtk_widget_set_visible (button, TRUE);
}

void
tg_item_row_hide_button (TgItemRow       *self,
                         TgItemRowButton  which)
{
  GtkWidget *button = tg_item_row_get_button (self, which);
  g_return_if_fail (button != NULL);
  gtk_widget_set_visible (button, FALSE);
}

static void
tg_item_row_dispose (GObject *object)
{
  TgItemRow *self = TG_ITEM_ROW (object);

  g_clear_pointer (&self->id, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), TG_TYPE_ITEM_ROW);

  G_OBJECT_CLASS (tg_item_row_parent_class)->dispose (object);
}

static void
tg_item_row_class_init (TgItemRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_item_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/tg-item-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TgItemRow, badge);
  gtk_widget_class_bind_template_child (widget_class, TgItemRow, primary_button);
  gtk_widget_class_bind_template_child (widget_class, TgItemRow, text_button);
  gtk_widget_class_bind_template_child (widget_class, TgItemRow, edit_button);
  gtk_widget_class_bind_template_child (widget_class, TgItemRow, remove_button);
}

static void
tg_item_row_init (TgItemRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
