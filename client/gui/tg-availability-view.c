/* tg-availability-view.c — see tg-availability-view.h. */
#define G_LOG_DOMAIN "tg-availability-view"

#include "tg-availability-view.h"

#include "tandem-error.h"
#include "tg-application.h"
#include "tg-coaching.h"
#include "tg-hours-dialog.h"
#include "tg-util.h"
#include "tg-window.h"

#include <glib/gi18n.h>

struct _TgAvailabilityView
{
  AdwBin parent_instance;

  TgWeekView *week;
  AdwEntryRow *zone_row;
  GtkSpinButton *before_spin;
  GtkSpinButton *after_spin;
  GtkLabel *status_label;
  GtkWidget *save_button;
  TgBlockedGroup *blocked;
  TgSessionTypesGroup *types;

  char *group_id;
  GCancellable *cancellable;
  gboolean loading;
  gboolean saving;
  gboolean changed;
  gboolean filling;       /* setting the fields from the server */
};

G_DEFINE_FINAL_TYPE (TgAvailabilityView, tg_availability_view, ADW_TYPE_BIN)

static TgSession *
session (void)
{
  return tg_application_get_session (tg_application_get_default ());
}

/* ---- state ---- */

static gboolean
zone_valid (TgAvailabilityView *self)
{
  g_autofree char *zone = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->zone_row))));
  return tg_coaching_zone_is_valid (zone);
}

static void
update_state (TgAvailabilityView *self)
{
  gboolean valid = zone_valid (self);

  gtk_widget_set_sensitive (self->save_button,
                            self->group_id != NULL && self->changed && valid && !self->loading && !self->saving);
  if (self->loading)
    gtk_label_set_text (self->status_label, _("Loading…"));
  else if (self->saving)
    gtk_label_set_text (self->status_label, _("Saving…"));
  else if (!valid)
    gtk_label_set_text (self->status_label, _("Enter a time zone like Europe/Berlin."));
  else if (self->changed)
    gtk_label_set_text (self->status_label, _("You have changes that are not saved yet."));
  else
    {
      guint n = 0;
      tg_week_view_get_windows (self->week, &n);
      gtk_label_set_text (self->status_label, n == 0 ? _("No weekly hours yet: nobody can book you.")
                                                     : _("Saved. Students can book these hours."));
    }
}

static void
mark_changed (TgAvailabilityView *self)
{
  if (self->filling)
    return;
  self->changed = TRUE;
  update_state (self);
}

static void
week_changed_cb (TgAvailabilityView *self)
{
  mark_changed (self);
}

static void
zone_changed_cb (TgAvailabilityView *self)
{
  mark_changed (self);
}

static void
buffer_changed_cb (TgAvailabilityView *self)
{
  mark_changed (self);
}

gboolean
tg_availability_view_is_busy (TgAvailabilityView *self)
{
  g_return_val_if_fail (TG_IS_AVAILABILITY_VIEW (self), FALSE);
  return self->loading || self->saving;
}

gboolean
tg_availability_view_has_changes (TgAvailabilityView *self)
{
  g_return_val_if_fail (TG_IS_AVAILABILITY_VIEW (self), FALSE);
  return self->changed;
}

/* ---- loading ---- */

/* Fills the fields from GET …/availability (NULL: nothing set yet). */
static void
fill (TgAvailabilityView *self,
      JsonObject         *availability)
{
  g_autoptr(GArray) windows = g_array_new (FALSE, TRUE, sizeof (TandemWindow));
  JsonArray *items = tg_json_member_array (availability, "windows");
  const char *zone = tg_json_string (availability, "time_zone");
  g_autofree char *user_zone = tg_user_time_zone_name ();

  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *item = tg_json_object (json_array_get_element (items, i));
      TandemWindow w = { (int) tg_json_int (item, "day_of_week", -1), 0, 0 };
      if (w.day_of_week < 0 || w.day_of_week > 6 ||
          !tg_coaching_parse_minutes (tg_json_string (item, "start"), &w.start_minute) ||
          !tg_coaching_parse_minutes (tg_json_string (item, "end"), &w.end_minute))
        continue;
      g_array_append_val (windows, w);
    }

  self->filling = TRUE;
  tg_week_view_set_windows (self->week, (TandemWindow *) windows->data, windows->len);
  /* Not set up yet: the user's own zone to start with. */
  if (!tg_json_bool (availability, "configured", TRUE) || !tg_coaching_zone_is_valid (zone))
    zone = user_zone;
  gtk_editable_set_text (GTK_EDITABLE (self->zone_row), zone);
  gtk_spin_button_set_value (self->before_spin, (double) tg_json_int (availability, "buffer_before_minutes", 0));
  gtk_spin_button_set_value (self->after_spin, (double) tg_json_int (availability, "buffer_after_minutes", 0));
  self->filling = FALSE;
  self->changed = FALSE;
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(TgAvailabilityView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);

  if (tg_error_is_cancelled (error))
    return;
  self->loading = FALSE;
  if (reply == NULL && !g_error_matches (error, TANDEM_ERROR, TANDEM_ERROR_NOT_FOUND))
    tg_window_toast_error (GTK_WIDGET (self), error, _("Could not load your availability"));
  fill (self, tg_json_object (reply));
  update_state (self);
}

void
tg_availability_view_reload (TgAvailabilityView *self)
{
  g_return_if_fail (TG_IS_AVAILABILITY_VIEW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->saving = FALSE;
  self->loading = self->group_id != NULL;
  fill (self, NULL);
  tg_remote_list_group_set_group (TG_REMOTE_LIST_GROUP (self->blocked), self->group_id);
  tg_remote_list_group_set_group (TG_REMOTE_LIST_GROUP (self->types), self->group_id);
  if (self->group_id != NULL)
    {
      g_autofree char *path = tg_coaching_path (self->group_id, "availability");
      tg_session_call_async (session (), "GET", path, NULL, self->cancellable, loaded_cb, g_object_ref (self));
    }
  update_state (self);
}

void
tg_availability_view_set_group (TgAvailabilityView *self,
                                const char         *group_id)
{
  g_return_if_fail (TG_IS_AVAILABILITY_VIEW (self));
  g_free (self->group_id);
  self->group_id = g_strdup (group_id);
  tg_availability_view_reload (self);
}

/* ---- saving ---- */

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(TgAvailabilityView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);

  if (tg_error_is_cancelled (error))
    return;
  self->saving = FALSE;
  if (reply == NULL)
    tg_window_toast_error (GTK_WIDGET (self), error, _("Could not save your availability"));
  else
    {
      self->changed = FALSE;
      tg_window_toast (GTK_WIDGET (self), _("Your availability is saved."));
    }
  update_state (self);
}

void
tg_availability_view_save (TgAvailabilityView *self)
{
  g_return_if_fail (TG_IS_AVAILABILITY_VIEW (self));
  if (self->group_id == NULL || self->saving || self->loading || !zone_valid (self))
    return;

  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonArray) list = json_array_new ();
  g_autofree char *zone = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->zone_row))));
  guint n = 0;
  const TandemWindow *windows = tg_week_view_get_windows (self->week, &n);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *item = json_object_new ();
      g_autofree char *start = tg_coaching_format_minutes (windows[i].start_minute);
      g_autofree char *end = tg_coaching_format_minutes (windows[i].end_minute);
      json_object_set_int_member (item, "day_of_week", windows[i].day_of_week);
      json_object_set_string_member (item, "start", start);
      json_object_set_string_member (item, "end", end);
      json_array_add_object_element (list, item);
    }
  json_object_set_string_member (body, "time_zone", zone);
  json_object_set_array_member (body, "windows", g_steal_pointer (&list));
  json_object_set_int_member (body, "buffer_before_minutes", gtk_spin_button_get_value_as_int (self->before_spin));
  json_object_set_int_member (body, "buffer_after_minutes", gtk_spin_button_get_value_as_int (self->after_spin));

  self->saving = TRUE;
  update_state (self);
  g_autofree char *path = tg_coaching_path (self->group_id, "availability");
  tg_session_call_async (session (), "PUT", path, body, self->cancellable, saved_cb, g_object_ref (self));
}

static void
save_cb (TgAvailabilityView *self)
{
  tg_availability_view_save (self);
}

/* ---- the hours dialog ---- */

static void
hours_added_cb (TgAvailabilityView *self,
                int                 day,
                int                 start,
                int                 end,
                TgHoursDialog      *dialog)
{
  tg_week_view_add_window (self->week, day, start, end);
}

GtkWidget *
tg_availability_view_add_hours (TgAvailabilityView *self)
{
  g_return_val_if_fail (TG_IS_AVAILABILITY_VIEW (self), NULL);
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));
  TgHoursDialog *dialog = tg_hours_dialog_new (parent, 1, 9 * 60, 12 * 60, FALSE);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (hours_added_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WIDGET (dialog);
}

static void
add_hours_cb (TgAvailabilityView *self)
{
  tg_availability_view_add_hours (self);
}

typedef struct {
  TgAvailabilityView *self;
  guint index;
} Editing;

static void
hours_edited_cb (TgHoursDialog *dialog,
                 int            day,
                 int            start,
                 int            end,
                 Editing       *editing)
{
  guint n = 0;
  tg_week_view_get_windows (editing->self->week, &n);
  if (editing->index < n)
    tg_week_view_replace_window (editing->self->week, editing->index, day, start, end);
}

static void
hours_removed_cb (TgHoursDialog *dialog,
                  Editing       *editing)
{
  guint n = 0;
  tg_week_view_get_windows (editing->self->week, &n);
  if (editing->index < n)
    tg_week_view_remove_window (editing->self->week, editing->index);
}

static void
editing_free (gpointer data,
              GClosure *closure)
{
  Editing *editing = data;
  g_object_unref (editing->self);
  g_free (editing);
}

static void
window_activated_cb (TgAvailabilityView *self,
                     guint               index)
{
  guint n = 0;
  const TandemWindow *windows = tg_week_view_get_windows (self->week, &n);
  g_return_if_fail (index < n);

  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));
  TgHoursDialog *dialog = tg_hours_dialog_new (parent, windows[index].day_of_week, windows[index].start_minute,
                                               windows[index].end_minute, TRUE);
  Editing *editing = g_new0 (Editing, 1);
  editing->self = g_object_ref (self);
  editing->index = index;
  /* One Editing for both handlers: "saved" owns it. */
  g_signal_connect_data (dialog, "saved", G_CALLBACK (hours_edited_cb), editing, editing_free, 0);
  g_signal_connect (dialog, "removed", G_CALLBACK (hours_removed_cb), editing);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- object ---- */

TgWeekView *
tg_availability_view_get_week (TgAvailabilityView *self)
{
  g_return_val_if_fail (TG_IS_AVAILABILITY_VIEW (self), NULL);
  return self->week;
}

TgBlockedGroup *
tg_availability_view_get_blocked (TgAvailabilityView *self)
{
  g_return_val_if_fail (TG_IS_AVAILABILITY_VIEW (self), NULL);
  return self->blocked;
}

TgSessionTypesGroup *
tg_availability_view_get_types (TgAvailabilityView *self)
{
  g_return_val_if_fail (TG_IS_AVAILABILITY_VIEW (self), NULL);
  return self->types;
}

static void
tg_availability_view_dispose (GObject *object)
{
  TgAvailabilityView *self = TG_AVAILABILITY_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->group_id, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), TG_TYPE_AVAILABILITY_VIEW);

  G_OBJECT_CLASS (tg_availability_view_parent_class)->dispose (object);
}

static void
tg_availability_view_class_init (TgAvailabilityViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_availability_view_dispose;

  g_type_ensure (TG_TYPE_WEEK_VIEW);
  g_type_ensure (TG_TYPE_BLOCKED_GROUP);
  g_type_ensure (TG_TYPE_SESSION_TYPES_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/tg-availability-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TgAvailabilityView, week);
  gtk_widget_class_bind_template_child (widget_class, TgAvailabilityView, zone_row);
  gtk_widget_class_bind_template_child (widget_class, TgAvailabilityView, before_spin);
  gtk_widget_class_bind_template_child (widget_class, TgAvailabilityView, after_spin);
  gtk_widget_class_bind_template_child (widget_class, TgAvailabilityView, status_label);
  gtk_widget_class_bind_template_child (widget_class, TgAvailabilityView, save_button);
  gtk_widget_class_bind_template_child (widget_class, TgAvailabilityView, blocked);
  gtk_widget_class_bind_template_child (widget_class, TgAvailabilityView, types);
  gtk_widget_class_bind_template_callback (widget_class, week_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, window_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, zone_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, buffer_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_hours_cb);
}

static void
tg_availability_view_init (TgAvailabilityView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_name (GTK_WIDGET (self), "availability-view");
  self->cancellable = g_cancellable_new ();
  update_state (self);
}
