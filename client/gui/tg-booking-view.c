/* tg-booking-view.c — see tg-booking-view.h. */
#define G_LOG_DOMAIN "tg-booking-view"

#include "tg-booking-view.h"

#include "tandem-error.h"
#include "tg-application.h"
#include "tg-coaching.h"
#include "tg-util.h"
#include "tg-window.h"

#include <glib/gi18n.h>

struct _TgBookingView
{
  AdwBin parent_instance;

  GtkLabel *title_label;
  AdwComboRow *expert_row;
  AdwComboRow *type_row;
  AdwEntryRow *notes_row;
  GtkCalendar *calendar;
  GtkLabel *day_label;
  GtkFlowBox *slots_box;
  GtkLabel *slots_note;
  GtkLabel *zone_label;
  GtkLabel *message_label;
  GtkWidget *book_button;

  char *group_id;
  GPtrArray *experts;        /* JsonObject: the coaches to choose from */
  GPtrArray *types;          /* JsonObject: the chosen coach's active types */
  JsonObject *moving;        /* the booking being rescheduled, or NULL */
  char *expert_id;
  char *type_id;

  GTimeZone *zone;           /* the user's */
  int year, month;           /* the month whose free times are loaded (1..12) */
  GPtrArray *slots;          /* char *: starts (RFC 3339) of that month */
  GPtrArray *day_slots;      /* char *: those of the selected day */
  GDateTime *day;            /* the selected day, midnight in zone */
  char *slot;                /* the chosen start */

  GCancellable *cancellable;       /* of the page: everything */
  GCancellable *types_cancellable; /* of the last session-type load */
  GCancellable *slots_cancellable; /* of the last slot load */
  guint loading_types : 1;
  guint loading_slots : 1;
  guint sending : 1;
  guint filling : 1;          /* choices set by the code, not the person */
  guint pick_first_day : 1;   /* after the next load: go to the first free day */
  guint try_next_month : 1;   /* the first load found nothing: look at the next month once */
};

G_DEFINE_FINAL_TYPE (TgBookingView, tg_booking_view, ADW_TYPE_BIN)

enum {
  SIGNAL_DONE,
  SIGNAL_BACK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static TgSession *
session (void)
{
  return tg_application_get_session (tg_application_get_default ());
}

static void load_slots (TgBookingView *self);
static void show_day (TgBookingView *self);

/* ---- state ---- */

static void
set_message (TgBookingView *self,
             const char    *text)
{
  gtk_label_set_text (self->message_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), text != NULL && *text != '\0');
}

const char *
tg_booking_view_get_message (TgBookingView *self)
{
  g_return_val_if_fail (TG_IS_BOOKING_VIEW (self), NULL);
  return gtk_label_get_text (self->message_label);
}

gboolean
tg_booking_view_is_busy (TgBookingView *self)
{
  g_return_val_if_fail (TG_IS_BOOKING_VIEW (self), FALSE);
  return self->loading_types || self->loading_slots || self->sending;
}

static void
update_button (TgBookingView *self)
{
  gtk_widget_set_sensitive (self->book_button, self->slot != NULL && self->type_id != NULL &&
                                               self->expert_id != NULL && !self->sending);
}

static GCancellable *
renew (GCancellable **cancellable)
{
  g_cancellable_cancel (*cancellable);
  g_clear_object (cancellable);
  *cancellable = g_cancellable_new ();
  return *cancellable;
}

/* Forgets the free times (another coach, type or month). */
static void
clear_slots (TgBookingView *self)
{
  g_cancellable_cancel (self->slots_cancellable);
  self->loading_slots = FALSE;
  g_ptr_array_set_size (self->slots, 0);
  g_ptr_array_set_size (self->day_slots, 0);
  g_clear_pointer (&self->slot, g_free);
  self->year = self->month = 0;
  gtk_calendar_clear_marks (self->calendar);
  show_day (self);
}

/* ---- the calendar ---- */

static void
shown_month (TgBookingView *self,
             int           *year,
             int           *month)
{
  int y = 0, m = 0;
  g_object_get (self->calendar, "year", &y, "month", &m, NULL);
  *year = y;
  *month = m + 1;
}

static GDateTime *
local_of (TgBookingView *self,
          const char    *rfc3339)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (rfc3339, NULL);
  return utc != NULL ? g_date_time_to_timezone (utc, self->zone) : NULL;
}

static gboolean
same_day (GDateTime *a,
          GDateTime *b)
{
  return a != NULL && b != NULL && g_date_time_get_year (a) == g_date_time_get_year (b) &&
         g_date_time_get_day_of_year (a) == g_date_time_get_day_of_year (b);
}

gboolean
tg_booking_view_day_is_marked (TgBookingView *self,
                               guint          day_of_month)
{
  g_return_val_if_fail (TG_IS_BOOKING_VIEW (self), FALSE);
  return day_of_month >= 1 && day_of_month <= 31 && gtk_calendar_get_day_is_marked (self->calendar, day_of_month);
}

static void
mark_days (TgBookingView *self)
{
  gtk_calendar_clear_marks (self->calendar);
  for (guint i = 0; i < self->slots->len; i++)
    {
      g_autoptr(GDateTime) local = local_of (self, g_ptr_array_index (self->slots, i));
      if (local != NULL && g_date_time_get_year (local) == self->year &&
          g_date_time_get_month (local) == self->month)
        gtk_calendar_mark_day (self->calendar, g_date_time_get_day_of_month (local));
    }
}

static void
slot_toggled_cb (GtkToggleButton *button,
                 TgBookingView   *self)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  g_free (self->slot);
  self->slot = g_strdup (g_object_get_data (G_OBJECT (button), "start"));
  set_message (self, NULL);
  update_button (self);
}

/* Fills the buttons of the selected day's free times. */
static void
show_day (TgBookingView *self)
{
  GtkWidget *child;
  GtkToggleButton *group = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->slots_box))) != NULL)
    gtk_flow_box_remove (self->slots_box, child);
  g_ptr_array_set_size (self->day_slots, 0);
  for (guint i = 0; self->day != NULL && i < self->slots->len; i++)
    {
      const char *start = g_ptr_array_index (self->slots, i);
      g_autoptr(GDateTime) local = local_of (self, start);
      if (!same_day (local, self->day))
        continue;
      g_ptr_array_add (self->day_slots, g_strdup (start));

      g_autofree char *label = tg_coaching_format_clock (local);
      g_autofree char *name = g_strdup_printf ("slot-%s", label);
      GtkWidget *button = gtk_toggle_button_new_with_label (label);
      gtk_widget_set_name (button, name);
      g_object_set_data_full (G_OBJECT (button), "start", g_strdup (start), g_free);
      if (group != NULL)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), group);
      else
        group = GTK_TOGGLE_BUTTON (button);
      if (g_strcmp0 (self->slot, start) == 0)
        gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
      g_signal_connect_object (button, "toggled", G_CALLBACK (slot_toggled_cb), self, 0);
      gtk_flow_box_append (self->slots_box, button);
    }
  /* The chosen time stays chosen only while it is shown. */
  gboolean shown = FALSE;
  for (guint i = 0; self->slot != NULL && i < self->day_slots->len; i++)
    shown = shown || g_strcmp0 (g_ptr_array_index (self->day_slots, i), self->slot) == 0;
  if (!shown)
    g_clear_pointer (&self->slot, g_free);

  if (self->day != NULL)
    {
      g_autofree char *date = tg_format_date (self->day);
      int weekday = g_date_time_get_day_of_week (self->day) % 7;
      /* TRANSLATORS: the selected day above its free times, "Tuesday 14 March 2025" */
      g_autofree char *text = g_strdup_printf (C_("day", "%s %s"), tg_coaching_day_name (weekday), date);
      gtk_label_set_text (self->day_label, text);
    }
  else
    gtk_label_set_text (self->day_label, "");

  const char *note = "";
  if (self->expert_id == NULL)
    note = self->experts != NULL && self->experts->len == 0 ? _("This group has no coach to book yet.") : "";
  else if (self->type_id == NULL)
    note = self->loading_types ? _("Loading…") : _("This coach offers no sessions yet.");
  else if (self->loading_slots)
    note = _("Looking for free times…");
  else if (self->day_slots->len == 0)
    note = self->slots->len == 0 ? _("No free times this month. Try the next one.")
                                 : _("No free times on this day. Marked days have some.");
  gtk_label_set_text (self->slots_note, note);
  gtk_widget_set_visible (GTK_WIDGET (self->slots_note), *note != '\0');
  update_button (self);
}

void
tg_booking_view_select_day (TgBookingView *self,
                            GDateTime     *day)
{
  g_return_if_fail (TG_IS_BOOKING_VIEW (self));
  g_autoptr(GDateTime) local = g_date_time_to_timezone (day, self->zone);
  g_clear_pointer (&self->day, g_date_time_unref);
  self->day = g_date_time_new (self->zone, g_date_time_get_year (local), g_date_time_get_month (local),
                               g_date_time_get_day_of_month (local), 0, 0, 0);

  self->filling = TRUE;
  gtk_calendar_select_day (self->calendar, self->day);
  self->filling = FALSE;

  int year, month;
  shown_month (self, &year, &month);
  if (year != self->year || month != self->month)
    load_slots (self);
  show_day (self);
}

static void
day_selected_cb (TgBookingView *self)
{
  if (self->filling)
    return;
  g_autoptr(GDateTime) picked = gtk_calendar_get_date (self->calendar);
  set_message (self, NULL);
  tg_booking_view_select_day (self, picked);
}

static void
month_changed_cb (TgBookingView *self)
{
  int year, month;
  shown_month (self, &year, &month);
  if (year == self->year && month == self->month)
    return;
  self->pick_first_day = TRUE;
  load_slots (self);
}

/* ---- free times ---- */

static void
slots_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(TgBookingView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);

  if (tg_error_is_cancelled (error))
    return;
  self->loading_slots = FALSE;
  if (reply == NULL)
    {
      g_autofree char *text = tg_error_sentence (error, _("Could not load the free times"));
      set_message (self, text);
    }
  JsonArray *items = tg_json_member_array (tg_json_object (reply), "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      const char *start = tg_json_string (tg_json_object (json_array_get_element (items, i)), "start");
      if (start != NULL)
        g_ptr_array_add (self->slots, g_strdup (start));
    }
  mark_days (self);

  /* Opened near the end of a month without free times left: the next. */
  if (self->slots->len == 0 && self->try_next_month && reply != NULL)
    {
      g_autoptr(GDateTime) first = g_date_time_new (self->zone, self->year, self->month, 1, 0, 0, 0);
      g_autoptr(GDateTime) next = g_date_time_add_months (first, 1);
      self->try_next_month = FALSE;
      self->pick_first_day = TRUE;
      tg_booking_view_select_day (self, next);
      return;
    }
  self->try_next_month = FALSE;

  /* Lands on the first day with free times when the month was changed or
   * the chosen day has none. */
  gboolean day_has = FALSE;
  for (guint i = 0; i < self->slots->len && !day_has; i++)
    {
      g_autoptr(GDateTime) local = local_of (self, g_ptr_array_index (self->slots, i));
      day_has = same_day (local, self->day);
    }
  if ((self->pick_first_day || !day_has) && self->slots->len > 0)
    {
      g_autoptr(GDateTime) first = local_of (self, g_ptr_array_index (self->slots, 0));
      self->pick_first_day = FALSE;
      tg_booking_view_select_day (self, first);
      return;
    }
  self->pick_first_day = FALSE;
  show_day (self);
}

/* Loads the free times of the month the calendar shows. */
static void
load_slots (TgBookingView *self)
{
  int year, month;

  shown_month (self, &year, &month);
  clear_slots (self);
  self->year = year;
  self->month = month;
  if (self->group_id == NULL || self->expert_id == NULL || self->type_id == NULL)
    return;

  g_autoptr(GDateTime) first = g_date_time_new (self->zone, year, month, 1, 0, 0, 0);
  g_autoptr(GDateTime) next = g_date_time_add_months (first, 1);
  g_autoptr(GDateTime) now = g_date_time_new_now (self->zone);
  if (g_date_time_compare (next, now) <= 0)
    {
      show_day (self);
      return;   /* a month in the past */
    }
  GDateTime *from = g_date_time_compare (first, now) < 0 ? now : first;
  g_autofree char *from_text = tg_coaching_format_rfc3339 (from);
  g_autofree char *to_text = tg_coaching_format_rfc3339 (next);
  /* When moving a booking, its own time is not busy for it. */
  const char *moving = self->moving != NULL ? tg_json_string (self->moving, "id") : NULL;
  g_autofree char *path = tg_coaching_path (self->group_id, "experts/%s/slots?from=%s&to=%s&session_type_id=%s%s%s",
                                            self->expert_id, from_text, to_text, self->type_id,
                                            moving != NULL ? "&exclude_booking_id=" : "", moving != NULL ? moving : "");
  self->loading_slots = TRUE;
  show_day (self);
  tg_session_call_async (session (), "GET", path, NULL, renew (&self->slots_cancellable), slots_cb,
                         g_object_ref (self));
}

/* ---- session types ---- */

static void
show_types (TgBookingView *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = GTK_INVALID_LIST_POSITION;

  for (guint i = 0; i < self->types->len; i++)
    {
      JsonObject *type = g_ptr_array_index (self->types, i);
      int minutes = (int) tg_json_int (type, "duration_minutes", 0);
      /* TRANSLATORS: a session type and its length, "Video Analysis (45 min)" */
      g_autofree char *label = g_strdup_printf (_("%s (%d min)"), tg_json_string (type, "name"), minutes);
      gtk_string_list_append (names, label);
      if (g_strcmp0 (tg_json_string (type, "id"), self->type_id) == 0)
        selected = i;
    }
  if (selected == GTK_INVALID_LIST_POSITION)
    {
      g_clear_pointer (&self->type_id, g_free);
      if (self->types->len > 0)
        {
          selected = 0;
          self->type_id = g_strdup (tg_json_string (g_ptr_array_index (self->types, 0), "id"));
        }
    }
  self->filling = TRUE;
  adw_combo_row_set_model (self->type_row, G_LIST_MODEL (names));
  if (selected != GTK_INVALID_LIST_POSITION)
    adw_combo_row_set_selected (self->type_row, selected);
  self->filling = FALSE;
}

static void
types_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(TgBookingView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);

  if (tg_error_is_cancelled (error))
    return;
  self->loading_types = FALSE;
  if (reply == NULL)
    {
      g_autofree char *text = tg_error_sentence (error, _("Could not load the session types"));
      set_message (self, text);
    }
  JsonArray *items = tg_json_member_array (tg_json_object (reply), "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *type = tg_json_object (json_array_get_element (items, i));
      const char *expert = tg_json_string (type, "expert_id");
      if (type != NULL && tg_json_string (type, "id") != NULL && tg_json_bool (type, "active", TRUE) &&
          (expert == NULL || g_strcmp0 (expert, self->expert_id) == 0))
        g_ptr_array_add (self->types, json_object_ref (type));
    }
  show_types (self);
  load_slots (self);
}

static void
load_types (TgBookingView *self)
{
  g_ptr_array_set_size (self->types, 0);
  show_types (self);
  clear_slots (self);
  if (self->group_id == NULL || self->expert_id == NULL)
    return;
  g_autofree char *path = tg_coaching_path (self->group_id, "session-types?expert_id=%s", self->expert_id);
  self->loading_types = TRUE;
  show_day (self);
  tg_session_call_async (session (), "GET", path, NULL, renew (&self->types_cancellable), types_cb,
                         g_object_ref (self));
}

gboolean
tg_booking_view_select_type (TgBookingView *self,
                             const char    *type_id)
{
  g_return_val_if_fail (TG_IS_BOOKING_VIEW (self), FALSE);
  for (guint i = 0; i < self->types->len; i++)
    if (g_strcmp0 (tg_json_string (g_ptr_array_index (self->types, i), "id"), type_id) == 0)
      {
        adw_combo_row_set_selected (self->type_row, i);
        return TRUE;
      }
  return FALSE;
}

static void
type_selected_cb (TgBookingView *self)
{
  guint i = adw_combo_row_get_selected (self->type_row);
  if (self->filling || i >= self->types->len)
    return;
  const char *id = tg_json_string (g_ptr_array_index (self->types, i), "id");
  if (g_strcmp0 (id, self->type_id) == 0)
    return;
  g_free (self->type_id);
  self->type_id = g_strdup (id);
  set_message (self, NULL);
  load_slots (self);
}

/* ---- coaches ---- */

gboolean
tg_booking_view_select_expert (TgBookingView *self,
                               const char    *expert_id)
{
  g_return_val_if_fail (TG_IS_BOOKING_VIEW (self), FALSE);
  for (guint i = 0; self->experts != NULL && i < self->experts->len; i++)
    if (g_strcmp0 (tg_json_string (g_ptr_array_index (self->experts, i), "id"), expert_id) == 0)
      {
        adw_combo_row_set_selected (self->expert_row, i);
        return TRUE;
      }
  return FALSE;
}

static void
expert_selected_cb (TgBookingView *self)
{
  guint i = adw_combo_row_get_selected (self->expert_row);
  if (self->filling || self->experts == NULL || i >= self->experts->len)
    return;
  const char *id = tg_json_string (g_ptr_array_index (self->experts, i), "id");
  if (g_strcmp0 (id, self->expert_id) == 0)
    return;
  g_free (self->expert_id);
  self->expert_id = g_strdup (id);
  g_clear_pointer (&self->type_id, g_free);
  set_message (self, NULL);
  load_types (self);
}

/* ---- starting ---- */

static void
start (TgBookingView *self,
       const char    *group_id)
{
  renew (&self->cancellable);
  g_cancellable_cancel (self->types_cancellable);
  self->loading_types = FALSE;
  self->sending = FALSE;
  g_clear_pointer (&self->zone, g_time_zone_unref);
  self->zone = tg_user_time_zone ();
  g_autofree char *zone_text = g_strdup_printf (_("Times are in your time zone, %s."),
                                                g_time_zone_get_identifier (self->zone));
  gtk_label_set_text (self->zone_label, zone_text);
  g_free (self->group_id);
  self->group_id = g_strdup (group_id);
  g_clear_pointer (&self->expert_id, g_free);
  g_clear_pointer (&self->type_id, g_free);
  g_clear_pointer (&self->moving, json_object_unref);
  g_ptr_array_set_size (self->types, 0);
  gtk_editable_set_text (GTK_EDITABLE (self->notes_row), "");
  set_message (self, NULL);

  /* Today, in the user's zone. */
  g_autoptr(GDateTime) now = g_date_time_new_now (self->zone);
  g_clear_pointer (&self->day, g_date_time_unref);
  self->day = g_date_time_new (self->zone, g_date_time_get_year (now), g_date_time_get_month (now),
                               g_date_time_get_day_of_month (now), 0, 0, 0);
  self->filling = TRUE;
  gtk_calendar_select_day (self->calendar, self->day);
  self->filling = FALSE;
  self->pick_first_day = FALSE;
  self->try_next_month = TRUE;
  clear_slots (self);
}

void
tg_booking_view_book (TgBookingView *self,
                      const char    *group_id,
                      GPtrArray     *experts)
{
  g_return_if_fail (TG_IS_BOOKING_VIEW (self));
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  start (self, group_id);
  g_clear_pointer (&self->experts, g_ptr_array_unref);
  self->experts = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  for (guint i = 0; experts != NULL && i < experts->len; i++)
    {
      JsonObject *expert = g_ptr_array_index (experts, i);
      const char *name = tg_json_string (expert, "name");
      g_ptr_array_add (self->experts, json_object_ref (expert));
      gtk_string_list_append (names, name != NULL ? name : "");
    }
  gtk_label_set_text (self->title_label, _("Book a Session"));
  gtk_button_set_label (GTK_BUTTON (self->book_button), _("_Book"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->expert_row), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->type_row), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->notes_row), TRUE);

  self->filling = TRUE;
  adw_combo_row_set_model (self->expert_row, G_LIST_MODEL (names));
  self->filling = FALSE;
  if (self->experts->len > 0)
    {
      self->expert_id = g_strdup (tg_json_string (g_ptr_array_index (self->experts, 0), "id"));
      self->filling = TRUE;
      adw_combo_row_set_selected (self->expert_row, 0);
      self->filling = FALSE;
      load_types (self);
    }
  else
    show_day (self);
}

void
tg_booking_view_reschedule (TgBookingView *self,
                            const char    *group_id,
                            JsonObject    *booking,
                            const char    *expert_name)
{
  g_return_if_fail (TG_IS_BOOKING_VIEW (self));
  g_return_if_fail (booking != NULL);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(JsonObject) expert = json_object_new ();
  const char *expert_id = tg_json_string (booking, "expert_id");

  start (self, group_id);
  self->moving = json_object_ref (booking);
  json_object_set_string_member (expert, "id", expert_id != NULL ? expert_id : "");
  json_object_set_string_member (expert, "name", expert_name != NULL ? expert_name : "");
  g_clear_pointer (&self->experts, g_ptr_array_unref);
  self->experts = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_ptr_array_add (self->experts, json_object_ref (expert));
  gtk_string_list_append (names, expert_name != NULL ? expert_name : "");

  g_autofree char *when = tg_coaching_format_range (tg_json_string (booking, "start"), tg_json_string (booking, "end"));
  /* TRANSLATORS: the title of the page that moves a booking; the booking's time */
  g_autofree char *title = g_strdup_printf (_("Move the Session of %s"), when != NULL ? when : "");
  gtk_label_set_text (self->title_label, title);
  gtk_button_set_label (GTK_BUTTON (self->book_button), _("_Reschedule"));
  gtk_widget_set_visible (GTK_WIDGET (self->notes_row), FALSE);

  self->filling = TRUE;
  adw_combo_row_set_model (self->expert_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->expert_row, 0);
  self->filling = FALSE;
  self->expert_id = g_strdup (expert_id);
  /* Its type, even when no longer offered to new bookings. */
  self->type_id = g_strdup (tg_json_string (booking, "session_type_id"));
  g_autoptr(JsonObject) type = json_object_new ();
  const char *type_name = tg_coaching_booking_type (booking, NULL);
  json_object_set_string_member (type, "id", self->type_id != NULL ? self->type_id : "");
  json_object_set_string_member (type, "name", type_name != NULL ? type_name : _("Session"));
  gint64 minutes = (tg_coaching_booking_end (booking) - tg_coaching_booking_start (booking)) / 60;
  json_object_set_int_member (type, "duration_minutes", minutes);
  g_ptr_array_add (self->types, json_object_ref (type));
  show_types (self);
  /* After the models: a combo row makes itself sensitive when it gets one. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->expert_row), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->type_row), FALSE);
  load_slots (self);
}

/* ---- booking ---- */

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(TgBookingView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = tg_session_call_finish (TG_SESSION (source), result, &error);
  JsonObject *booking = tg_json_object (reply);

  if (tg_error_is_cancelled (error))
    return;
  self->sending = FALSE;
  if (booking != NULL)
    {
      update_button (self);
      g_signal_emit (self, signals[SIGNAL_DONE], 0, booking);
      return;
    }
  if (g_error_matches (error, TANDEM_ERROR, TANDEM_ERROR_SLOT_UNAVAILABLE))
    {
      set_message (self, _("Someone else has just taken this time. Here are the times that are still free."));
      load_slots (self);
      return;
    }
  g_autofree char *text = tg_error_sentence (error, self->moving != NULL ? _("Could not move the session")
                                                                         : _("Could not book the session"));
  set_message (self, text);
  update_button (self);
}

void
tg_booking_view_confirm (TgBookingView *self)
{
  g_return_if_fail (TG_IS_BOOKING_VIEW (self));
  if (self->slot == NULL || self->type_id == NULL || self->expert_id == NULL || self->sending)
    return;

  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *path = NULL;
  json_object_set_string_member (body, "start", self->slot);
  if (self->moving != NULL)
    path = tg_coaching_path (self->group_id, "bookings/%s/reschedule", tg_json_string (self->moving, "id"));
  else
    {
      g_autofree char *notes = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->notes_row))));
      path = tg_coaching_path (self->group_id, "bookings");
      json_object_set_string_member (body, "session_type_id", self->type_id);
      json_object_set_string_member (body, "expert_id", self->expert_id);
      if (*notes != '\0')
        json_object_set_string_member (body, "notes", notes);
    }
  self->sending = TRUE;
  set_message (self, NULL);
  update_button (self);
  tg_session_call_async (session (), "POST", path, body, self->cancellable, sent_cb, g_object_ref (self));
}

static void
confirm_cb (TgBookingView *self)
{
  tg_booking_view_confirm (self);
}

static void
back_cb (TgBookingView *self)
{
  g_signal_emit (self, signals[SIGNAL_BACK], 0);
}

gboolean
tg_booking_view_select_slot (TgBookingView *self,
                             const char    *start)
{
  g_return_val_if_fail (TG_IS_BOOKING_VIEW (self), FALSE);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->slots_box)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *button = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));
      if (g_strcmp0 (g_object_get_data (G_OBJECT (button), "start"), start) == 0)
        {
          gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
          return TRUE;
        }
    }
  return FALSE;
}

GPtrArray *
tg_booking_view_get_slots (TgBookingView *self)
{
  g_return_val_if_fail (TG_IS_BOOKING_VIEW (self), NULL);
  return self->slots;
}

GPtrArray *
tg_booking_view_get_day_slots (TgBookingView *self)
{
  g_return_val_if_fail (TG_IS_BOOKING_VIEW (self), NULL);
  return self->day_slots;
}

/* ---- object ---- */

static void
tg_booking_view_dispose (GObject *object)
{
  TgBookingView *self = TG_BOOKING_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->types_cancellable);
  g_cancellable_cancel (self->slots_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->types_cancellable);
  g_clear_object (&self->slots_cancellable);
  g_clear_pointer (&self->group_id, g_free);
  g_clear_pointer (&self->experts, g_ptr_array_unref);
  g_clear_pointer (&self->types, g_ptr_array_unref);
  g_clear_pointer (&self->moving, json_object_unref);
  g_clear_pointer (&self->expert_id, g_free);
  g_clear_pointer (&self->type_id, g_free);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  g_clear_pointer (&self->slots, g_ptr_array_unref);
  g_clear_pointer (&self->day_slots, g_ptr_array_unref);
  g_clear_pointer (&self->day, g_date_time_unref);
  g_clear_pointer (&self->slot, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), TG_TYPE_BOOKING_VIEW);

  G_OBJECT_CLASS (tg_booking_view_parent_class)->dispose (object);
}

static void
tg_booking_view_class_init (TgBookingViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tg_booking_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tandem/Tandem/tg-booking-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TgBookingView, title_label);
  gtk_widget_class_bind_template_child (widget_class, TgBookingView, expert_row);
  gtk_widget_class_bind_template_child (widget_class, TgBookingView, type_row);
  gtk_widget_class_bind_template_child (widget_class, TgBookingView, notes_row);
  gtk_widget_class_bind_template_child (widget_class, TgBookingView, calendar);
  gtk_widget_class_bind_template_child (widget_class, TgBookingView, day_label);
  gtk_widget_class_bind_template_child (widget_class, TgBookingView, slots_box);
  gtk_widget_class_bind_template_child (widget_class, TgBookingView, slots_note);
  gtk_widget_class_bind_template_child (widget_class, TgBookingView, zone_label);
  gtk_widget_class_bind_template_child (widget_class, TgBookingView, message_label);
  gtk_widget_class_bind_template_child (widget_class, TgBookingView, book_button);
  gtk_widget_class_bind_template_callback (widget_class, expert_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, type_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, day_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, month_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, confirm_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_cb);

  /* Booked or moved: the booking (JsonObject) the server returned. */
  signals[SIGNAL_DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_OBJECT);
  /* The person went back without booking. */
  signals[SIGNAL_BACK] = g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tg_booking_view_init (TgBookingView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_name (GTK_WIDGET (self), "booking-view");
  self->types = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->slots = g_ptr_array_new_with_free_func (g_free);
  self->day_slots = g_ptr_array_new_with_free_func (g_free);
  self->zone = g_time_zone_new_utc ();
  self->cancellable = g_cancellable_new ();
  self->types_cancellable = g_cancellable_new ();
  self->slots_cancellable = g_cancellable_new ();
}
