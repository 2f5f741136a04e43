/* tg-sessions-view.c — see tg-sessions-view.h. */
#define G_LOG_DOMAIN "tg-sessions-view"

#include "tg-sessions-view.h"

#include "tg-application.h"
#include "tg-cancel-dialog.h"
#include "tg-coaching.h"
#include "tg-item-row.h"
#include "tg-util.h"
#include "tg-window.h"

#include <glib/gi18n.h>

#define JOIN_CHECK_SECONDS 15

struct _TgSessionsView
{
  AdwBin parent_instance;

  GtkStack *stack;
  GtkWidget *book_button;
  GtkLabel *message_label;
  GtkListBox *list;
  GtkLabel *placeholder;
  TgBookingView *booking;

  JsonObject *group;
  GPtrArray *bookings;       /* JsonObject, upcoming, soonest first */
  GPtrArray *experts;        /* JsonObject: GET …/coaching/experts */
  GPtrArray *loading_experts;
  GHashTable *people;        /* user id → name, of the experts */
  GCancellable *cancellable;
  guint loading;             /* requests under way */
  guint join_timer;
};

G_DEFINE_FINAL_TYPE (TgSessionsView, tg_sessions_view, ADW_TYPE_BIN)

enum {
  SIGNAL_JOIN_BOOKING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static TgSession *
session (void)
{
  return tg_application_get_session (tg_application_get_default ());
}

static const char *
group_id (TgSessionsView *self)
{
  return tg_json_string (self->group, "id");
}

static void
set_message (TgSessionsView *self,
             const char     *text)
{
  gtk_label_set_text (self->message_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), text != NULL && *text != '\0');
}

const char *
tg_sessions_view_get_message (TgSessionsView *self)
{
  g_return_val_if_fail (TG_IS_SESSIONS_VIEW (self), NULL);
  return gtk_label_get_text (self->message_label);
}

static JsonObject *
find (TgSessionsView *self,
      const char     *id)
{
  for (guint i = 0; id != NULL && i < self->bookings->len; i++)
    if (g_strcmp0 (tg_json_string (g_ptr_array_index (self->bookings, i), "id"), id) == 0)
      return g_ptr_array_index (self->bookings, i);
  return NULL;
}

/* The coaches a student can book: the group's experts and admins who
 * offer a session type, but not the user. */
static GPtrArray *
bookable (TgSessionsView *self)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  const char *me = tg_session_get_user_id (session ());
  for (guint i = 0; self->experts != NULL && i < self->experts->len; i++)
    {
      JsonObject *expert = g_ptr_array_index (self->experts, i);
      if (g_strcmp0 (tg_json_string (expert, "id"), me) != 0 && tg_json_int (expert, "session_type_count", 1) > 0)
        g_ptr_array_add (list, json_object_ref (expert));
    }
  return list;
}

/* ---- the list ---- */

static char *
title_of (TgSessionsView *self,
          JsonObject     *booking)
{
  const char *type = tg_coaching_booking_type (booking, NULL);
  const char *partner = tg_coaching_booking_partner (booking, tg_session_get_user_id (session ()), self->people);
  if (type == NULL)
    type = _("Session");
  if (partner == NULL)
    return g_strdup (type);
  /* TRANSLATORS: "Video Analysis with Sam Student" */
  return g_strdup_printf (_("%s with %s"), type, partner);
}

void
tg_sessions_view_update_join (TgSessionsView *self)
{
  g_return_if_fail (TG_IS_SESSIONS_VIEW (self));
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!TG_IS_ITEM_ROW (child))
        continue;
      JsonObject *booking = find (self, tg_item_row_get_id (TG_ITEM_ROW (child)));
      GtkWidget *join = tg_item_row_get_button (TG_ITEM_ROW (child), TG_ITEM_ROW_PRIMARY);
      gtk_widget_set_visible (join, booking != NULL &&
                                    tg_coaching_booking_joinable (booking, now, TG_COACHING_CONNECT_WINDOW_SECONDS));
    }
}

static gboolean
join_timer_cb (gpointer data)
{
  tg_sessions_view_update_join (data);
  return G_SOURCE_CONTINUE;
}

static void
show_bookings (TgSessionsView *self)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);

  for (guint i = 0; i < self->bookings->len; i++)
    {
      JsonObject *booking = g_ptr_array_index (self->bookings, i);
      const char *id = tg_json_string (booking, "id");
      g_autofree char *title = title_of (self, booking);
      g_autofree char *when = tg_coaching_format_range (tg_json_string (booking, "start"), tg_json_string (booking, "end"));
      TgItemRow *row = tg_item_row_new (id, title, when);
      g_autofree char *name = g_strdup_printf ("booking-row-%u", i);

      gtk_widget_set_name (GTK_WIDGET (row), name);
      tg_item_row_set_button (row, TG_ITEM_ROW_PRIMARY, _("_Join"), NULL, "sessions.join", id);
      tg_item_row_set_button (row, TG_ITEM_ROW_TEXT, _("_Reschedule…"), NULL, "sessions.reschedule", id);
      tg_item_row_set_button (row, TG_ITEM_ROW_REMOVE, _("Cancel Session"), "window-close-symbolic",
                              "sessions.cancel", id);
      gtk_list_box_append (self->list, GTK_WIDGET (row));
    }
  tg_sessions_view_update_join (self);

  /* Members book the group's other coaches; students see the button as
   * soon as there is a coach (the page then says when none offers a
   * session yet). */
  gboolean student = g_strcmp0 (tg_session_get_role (session ()), "student") == 0;
  g_autoptr(GPtrArray) coaches = bookable (self);
  gtk_widget_set_visible (self->book_button,
                          self->group != NULL && (coaches->len > 0 ||
                                                  (student && self->experts != NULL && self->experts->len > 0)));
  gtk_label_set_text (self->placeholder,
                      self->loading > 0 ? _("Loading…")
                      : student ? _("No sessions booked. Book one with a coach of this group.")
                                : _("No sessions booked with you in this group."));
}

static int
by_start (gconstpointer a,
          gconstpointer b)
{
  gint64 x = tg_coaching_booking_start (*(JsonObject **) a);
  gint64 y = tg_coaching_booking_start (*(JsonObject **) b);
  return x < y ? -1 : x > y;
}

static void
done_loading (TgSessionsView *self)
{
  g_assert (self->loading > 0);
  self->loading--;
  show_bookings (self);
}

static void
bookings_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TgSessionsView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (tg_error_is_cancelled (error))
    return;
  g_ptr_array_set_size (self->bookings, 0);
  if (reply == NULL)
    {
      g_autofree char *text = tg_error_sentence (error, _("Could not load your sessions"));
      set_message (self, text);
    }
  JsonArray *items = tg_json_member_array (tg_json_object (reply), "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *booking = tg_json_object (json_array_get_element (items, i));
      const char *status = tg_json_string (booking, "status");
      if (booking == NULL || tg_json_string (booking, "id") == NULL ||
          (status != NULL && g_strcmp0 (status, "booked") != 0) || tg_coaching_booking_end (booking) <= now)
        continue;
      g_ptr_array_add (self->bookings, json_object_ref (booking));
    }
  g_ptr_array_sort (self->bookings, by_start);
  done_loading (self);
}

static void load_experts (TgSessionsView *self, const char *cursor);

static void
experts_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TgSessionsView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);
  JsonObject *page = tg_json_object (reply);

  if (tg_error_is_cancelled (error))
    return;
  JsonArray *items = tg_json_member_array (page, "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *expert = tg_json_object (json_array_get_element (items, i));
      if (expert != NULL && tg_json_string (expert, "id") != NULL)
        g_ptr_array_add (self->loading_experts, json_object_ref (expert));
    }
  const char *next = tg_json_string (page, "next_cursor");
  if (page != NULL && next != NULL)
    {
      load_experts (self, next);
      return;
    }
  if (page == NULL)
    tg_window_toast_error (GTK_WIDGET (self), error, _("Could not load the coaches"));
  g_clear_pointer (&self->experts, g_ptr_array_unref);
  self->experts = g_steal_pointer (&self->loading_experts);
  g_hash_table_remove_all (self->people);
  for (guint i = 0; i < self->experts->len; i++)
    {
      JsonObject *expert = g_ptr_array_index (self->experts, i);
      const char *name = tg_json_string (expert, "name");
      g_hash_table_insert (self->people, g_strdup (tg_json_string (expert, "id")), g_strdup (name != NULL ? name : ""));
    }
  done_loading (self);
}

static void
load_experts (TgSessionsView *self,
              const char     *cursor)
{
  g_autofree char *escaped = cursor != NULL ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;
  g_autofree char *path = tg_coaching_path (group_id (self), "experts?limit=100%s%s",
                                            escaped != NULL ? "&cursor=" : "", escaped != NULL ? escaped : "");
  tg_session_call_async (session (), "GET", path, NULL, self->cancellable, experts_cb, g_object_ref (self));
}

void
tg_sessions_view_reload (TgSessionsView *self)
{
  g_return_if_fail (TG_IS_SESSIONS_VIEW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loading = 0;
  set_message (self, NULL);
  if (self->group == NULL)
    {
      g_ptr_array_set_size (self->bookings, 0);
      show_bookings (self);
      return;
    }
  self->loading = 2;
  g_clear_pointer (&self->loading_experts, g_ptr_array_unref);
  self->loading_experts = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  load_experts (self, NULL);
  g_autofree char *path = tg_coaching_path (group_id (self), "bookings?when=upcoming&limit=100");
  tg_session_call_async (session (), "GET", path, NULL, self->cancellable, bookings_cb, g_object_ref (self));
  show_bookings (self);
}

void
tg_sessions_view_set_group (TgSessionsView *self,
                            JsonObject     *group)
{
  g_return_if_fail (TG_IS_SESSIONS_VIEW (self));
  gboolean same = group != NULL && self->group != NULL &&
                  g_strcmp0 (tg_json_string (group, "id"), group_id (self)) == 0;
  if (group != NULL)
    json_object_ref (group);
  g_clear_pointer (&self->group, json_object_unref);
  self->group = group;
  if (!same)
    {
      g_ptr_array_set_size (self->bookings, 0);
      g_clear_pointer (&self->experts, g_ptr_array_unref);
      gtk_stack_set_visible_child_name (self->stack, "list");
    }
  tg_sessions_view_reload (self);
}

gboolean
tg_sessions_view_is_loading (TgSessionsView *self)
{
  g_return_val_if_fail (TG_IS_SESSIONS_VIEW (self), FALSE);
  return self->loading > 0;
}

guint
tg_sessions_view_get_n_bookings (TgSessionsView *self)
{
  g_return_val_if_fail (TG_IS_SESSIONS_VIEW (self), 0);
  return self->bookings->len;
}

JsonObject *
tg_sessions_view_get_booking (TgSessionsView *self,
                              guint           index)
{
  g_return_val_if_fail (TG_IS_SESSIONS_VIEW (self), NULL);
  g_return_val_if_fail (index < self->bookings->len, NULL);
  return g_ptr_array_index (self->bookings, index);
}

GtkWidget *
tg_sessions_view_get_row (TgSessionsView *self,
                          const char     *id)
{
  g_return_val_if_fail (TG_IS_SESSIONS_VIEW (self), NULL);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (TG_IS_ITEM_ROW (child) && g_strcmp0 (tg_item_row_get_id (TG_ITEM_ROW (child)), id) == 0)
      return child;
  return NULL;
}

/* ---- booking and moving ---- */

const char *
tg_sessions_view_get_page (TgSessionsView *self)
{
  g_return_val_if_fail (TG_IS_SESSIONS_VIEW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

TgBookingView *
tg_sessions_view_get_booking_view (TgSessionsView *self)
{
  g_return_val_if_fail (TG_IS_SESSIONS_VIEW (self), NULL);
  return self->booking;
}

void
tg_sessions_view_book (TgSessionsView *self)
{
  g_return_if_fail (TG_IS_SESSIONS_VIEW (self));
  if (self->group == NULL)
    return;
  g_autoptr(GPtrArray) coaches = bookable (self);
  tg_booking_view_book (self->booking, group_id (self), coaches);
  gtk_window_set_focus (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), NULL);
  gtk_stack_set_visible_child_name (self->stack, "book");
}

static void
book_cb (TgSessionsView *self)
{
  tg_sessions_view_book (self);
}

void
tg_sessions_view_reschedule (TgSessionsView *self,
                             const char     *id)
{
  g_return_if_fail (TG_IS_SESSIONS_VIEW (self));
  JsonObject *booking = find (self, id);
  if (booking == NULL)
    return;
  const char *expert_id = tg_json_string (booking, "expert_id");
  const char *expert = tg_json_string (tg_json_member_object (booking, "expert"), "name");
  if (expert == NULL)
    expert = tg_json_string (booking, "expert_name");
  if (expert == NULL && expert_id != NULL)
    expert = g_hash_table_lookup (self->people, expert_id);
  tg_booking_view_reschedule (self->booking, group_id (self), booking, expert);
  gtk_stack_set_visible_child_name (self->stack, "book");
}

static void
booking_done_cb (TgSessionsView *self,
                 JsonObject     *booking)
{
  g_autofree char *when = tg_coaching_format_range (tg_json_string (booking, "start"), tg_json_string (booking, "end"));
  /* TRANSLATORS: after booking; the session's day and time */
  g_autofree char *text = g_strdup_printf (_("Booked for %s."), when != NULL ? when : "");
  gtk_window_set_focus (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), NULL);
  gtk_stack_set_visible_child_name (self->stack, "list");
  tg_window_toast (GTK_WIDGET (self), text);
  tg_sessions_view_reload (self);
}

static void
booking_back_cb (TgSessionsView *self)
{
  gtk_window_set_focus (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), NULL);
  gtk_stack_set_visible_child_name (self->stack, "list");
}

/* ---- cancelling ---- */

static void
cancelled_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TgSessionsView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);

  if (tg_error_is_cancelled (error))
    return;
  self->loading--;
  if (reply == NULL)
    {
      g_autofree char *text = tg_error_sentence (error, _("Could not cancel the session"));
      show_bookings (self);
      set_message (self, text);
      return;
    }
  tg_window_toast (GTK_WIDGET (self), _("The session is cancelled."));
  tg_sessions_view_reload (self);
}

void
tg_sessions_view_send_cancel (TgSessionsView *self,
                              const char     *id,
                              const char     *reason)
{
  g_return_if_fail (TG_IS_SESSIONS_VIEW (self));
  if (self->group == NULL)
    return;
  g_autoptr(JsonObject) body = json_object_new ();
  json_object_set_string_member (body, "reason", reason != NULL ? reason : "");
  g_autofree char *path = tg_coaching_path (group_id (self), "bookings/%s/cancel", id);
  set_message (self, NULL);
  self->loading++;
  tg_session_call_async (session (), "POST", path, body, self->cancellable, cancelled_cb, g_object_ref (self));
}

typedef struct {
  TgSessionsView *self;
  char *id;
} Cancelling;

static void
cancelling_free (gpointer  data,
                 GClosure *closure)
{
  Cancelling *c = data;
  g_object_unref (c->self);
  g_free (c->id);
  g_free (c);
}

static void
cancel_confirmed_cb (TgCancelDialog *dialog,
                     const char     *reason,
                     Cancelling     *c)
{
  tg_sessions_view_send_cancel (c->self, c->id, reason);
}

GtkWidget *
tg_sessions_view_cancel (TgSessionsView *self,
                         const char     *id)
{
  g_return_val_if_fail (TG_IS_SESSIONS_VIEW (self), NULL);
  JsonObject *booking = find (self, id);
  if (booking == NULL)
    return NULL;
  g_autofree char *title = title_of (self, booking);
  g_autofree char *when = tg_coaching_format_range (tg_json_string (booking, "start"), tg_json_string (booking, "end"));
  g_autofree char *what = g_strdup_printf ("%s\n%s", title, when != NULL ? when : "");
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));
  TgCancelDialog *dialog = tg_cancel_dialog_new (parent, what);
  Cancelling *c = g_new0 (Cancelling, 1);
  c->self = g_object_ref (self);
  c->id = g_strdup (id);
  g_signal_connect_data (dialog, "confirmed", G_CALLBACK (cancel_confirmed_cb), c, cancelling_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WIDGET (dialog);
}

/* ---- actions ---- */

static void
join_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_JOIN_BOOKING], 0, g_variant_get_string (parameter, NULL));
}

static void
reschedule_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  tg_sessions_view_reschedule (TG_SESSIONS_VIEW (widget), g_variant_get_string (parameter, NULL));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  tg_sessions_view_cancel (TG_SESSIONS_VIEW (widget), g_variant_get_string (parameter, NULL));
}

/* ---- object ---- */

static void
tg_sessions_view_map (GtkWidget *widget)
{
  TgSessionsView *self = TG_SESSIONS_VIEW (widget);
  GTK_WIDGET_CLASS (tg_sessions_view_parent_class)->map (widget);
  tg_sessions_view_update_join (self);
  if (self->join_timer == 0)
    self->join_timer = g_timeout_add_seconds (JOIN_CHECK_SECONDS, join_timer_cb, self);
}

static void
tg_sessions_view_unmap (GtkWidget *widget)
{
  TgSessionsView *self = TG_SESSIONS_VIEW (widget);
  g_clear_handle_id (&self->join_timer, g_source_remove);
  GTK_WIDGET_CLASS (tg_sessions_view_parent_class)->unmap (widget);
}

static void
tg_sessions_view_dispose (GObject *object)
{
  TgSessionsView *self = TG_SESSIONS_VIEW (object);

  g_clear_handle_id (&self->join_timer, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->group, json_object_unref);
  g_clear_pointer (&self->bookings, g_ptr_array_unref);
  g_clear_pointer (&self->experts, g_ptr_array_unref);
  g_clear_pointer (&self->loading_experts, g_ptr_array_unref);
  g_clear_pointer (&self->people, g_hash_table_unref);
  /* The stack is the bin's child and a template child: the bin lets go of
   * it first, or both would unparent it. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TG_TYPE_SESSIONS_VIEW);

  G_OBJECT_CLASS (tg_sessions_view_parent_class)->dispose (object);
}

static void
tg_sessions_view_class_init (TgSessionsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_sessions_view_dispose;
  widget_class->map = tg_sessions_view_map;
  widget_class->unmap = tg_sessions_view_unmap;

  g_type_ensure (TG_TYPE_BOOKING_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/tg-sessions-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TgSessionsView, stack);
  gtk_widget_class_bind_template_child (widget_class, TgSessionsView, book_button);
  gtk_widget_class_bind_template_child (widget_class, TgSessionsView, message_label);
  gtk_widget_class_bind_template_child (widget_class, TgSessionsView, list);
  gtk_widget_class_bind_template_child (widget_class, TgSessionsView, placeholder);
  gtk_widget_class_bind_template_child (widget_class, TgSessionsView, booking);
  gtk_widget_class_bind_template_callback (widget_class, book_cb);
  gtk_widget_class_bind_template_callback (widget_class, booking_done_cb);
  gtk_widget_class_bind_template_callback (widget_class, booking_back_cb);

  gtk_widget_class_install_action (widget_class, "sessions.join", "s", join_action);
  gtk_widget_class_install_action (widget_class, "sessions.reschedule", "s", reschedule_action);
  gtk_widget_class_install_action (widget_class, "sessions.cancel", "s", cancel_action);

  /* Join was pressed (within the connect window); the booking's id. */
  signals[SIGNAL_JOIN_BOOKING] = g_signal_new ("join-booking", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                               NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
tg_sessions_view_init (TgSessionsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_name (GTK_WIDGET (self), "sessions-view");
  self->bookings = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->people = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->cancellable = g_cancellable_new ();
}
