/* test-gui-coaching.c — the desktop app's live-coaching pages in a real
 * window (under Xvfb) against a real in-process signald (minimum booking
 * notice 0, so that a session can start within the connect window):
 *
 *   the coach sets weekly hours in the week view (drag to add, drag an
 *   edge, click for the exact-times dialog, remove), the time zone and a
 *   buffer, and saves: the server has exactly those; adds, changes and
 *   deactivates session types; blocks a day and unblocks it;
 *   the student (in another time zone) books a free time on the calendar:
 *   the server has the booking, the list shows it; a time taken meanwhile
 *   gives the 409 message and fresh free times; reschedules; cancels with
 *   a reason; a session about to start shows Join (one later does not),
 *   which opens the call page (waiting for the coach); cancelling it that late is refused with the
 *   server's reason.
 *
 * Screenshots of each screen go to $TANDEM_TEST_SCREENSHOTS. */
#include "th-gui.h"
#include "th-server.h"

#include "tg-availability-view.h"
#include "tg-blocked-group.h"
#include "tg-booking-view.h"
#include "tg-coaching.h"
#include "tg-group-page.h"
#include "tg-item-row.h"
#include "tg-call-page.h"
#include "tg-session-types-group.h"
#include "tg-sessions-view.h"
#include "tg-util.h"
#include "tg-week-view.h"

#include <adwaita.h>
#include <string.h>

#define COACH_EMAIL "clara@club.example"
#define STUDENT_EMAIL "sam@club.example"
#define OTHER_EMAIL "olivia@club.example"
#define GROUP_NAME "Tennis U16"
#define COACH_ZONE "Europe/Berlin"
#define STUDENT_ZONE "Europe/London"

static ThServer *ts;
static char *coach_token;
static char *coach_id;
static char *student_token;
static char *other_token;
static char *group_id;
static char *type_id;          /* "Video Analysis" */
static char *booking_id;       /* the student's booking */

/* ---- helpers ---- */

static TgSession *
session (void)
{
  return tg_application_get_session (tg_application_get_default ());
}

static TgGroupPage *
group_page (void)
{
  return TG_GROUP_PAGE (th_gui_find ("group-page"));
}

static TgAvailabilityView *
availability (void)
{
  return tg_group_page_get_availability (group_page ());
}

static TgSessionsView *
sessions (void)
{
  return tg_group_page_get_sessions (group_page ());
}

static TgBookingView *
booking_view (void)
{
  return tg_sessions_view_get_booking_view (sessions ());
}

static gboolean
signed_in (gpointer data)
{
  return tg_session_is_signed_in (session ()) == GPOINTER_TO_INT (data);
}

static void
sign_in (const char *email)
{
  th_gui_wait_page ("sign-in");
  th_gui_set_text ("sign-in-server", ts->url);
  th_gui_set_text ("sign-in-email", email);
  th_gui_set_text ("sign-in-password", TH_PASSWORD);
  th_gui_click ("sign-in-button");
  th_gui_wait (signed_in, GINT_TO_POINTER (TRUE), 15000, "signing in");
}

static void
sign_out (void)
{
  gtk_widget_activate_action (GTK_WIDGET (th_gui_window ()), "win.sign-out", NULL);
  th_gui_wait (signed_in, GINT_TO_POINTER (FALSE), 15000, "signing out");
  th_gui_wait_page ("sign-in");
}

static void
open_group (void)
{
  g_autofree char *row_name = g_strdup_printf ("group-row-%s", GROUP_NAME);
  GtkWidget *row = th_gui_wait_widget (row_name);
  g_signal_emit_by_name (gtk_widget_get_parent (row), "row-activated", row);
  th_gui_wait_page ("group");
}

/* A user with a real name, signed in through the API; returns the token. */
static char *
add_user (const char *admin_token,
          const char *email,
          const char *role,
          const char *name,
          char      **id)
{
  char *token = th_add_user (ts, admin_token, email, role, id);
  g_autoptr(ThResponse) r = th_requestf (ts, "PATCH", "/auth/me", token, "{\"name\":\"%s\"}", name);
  g_assert_cmpuint (r->status, ==, 200);
  return token;
}

static void
set_user_zone (const char *zone)
{
  GSettings *settings = tg_application_get_settings (tg_application_get_default ());
  g_settings_set_string (settings, "time-zone", zone);
}

static gboolean
availability_idle (gpointer data)
{
  TgAvailabilityView *view = availability ();
  return !tg_availability_view_is_busy (view) &&
         !tg_remote_list_group_is_loading (TG_REMOTE_LIST_GROUP (tg_availability_view_get_blocked (view))) &&
         !tg_remote_list_group_is_loading (TG_REMOTE_LIST_GROUP (tg_availability_view_get_types (view)));
}

static void
wait_availability (void)
{
  th_gui_wait (availability_idle, NULL, 15000, "the availability page");
}

/* Drags in the week view from (@day, @m0) to (@day1, @m1). */
static void
drag (TgWeekView *week,
      int         day0,
      int         m0,
      int         day1,
      int         m1,
      double      dy0)
{
  double x0, y0, x1, y1;
  tg_week_view_get_point (week, day0, m0, &x0, &y0);
  tg_week_view_get_point (week, day1, m1, &x1, &y1);
  y0 += dy0;
  tg_week_view_pointer_begin (week, x0, y0);
  for (int i = 1; i <= 6; i++)
    tg_week_view_pointer_update (week, x0 + (x1 - x0) * i / 6.0, y0 + (y1 - y0) * i / 6.0);
  tg_week_view_pointer_end (week, x1, y1);
}

static void
click_week (TgWeekView *week,
            int         day,
            int         minute)
{
  double x, y;
  tg_week_view_get_point (week, day, minute, &x, &y);
  tg_week_view_pointer_begin (week, x, y);
  tg_week_view_pointer_end (week, x, y);
}

static void
assert_windows (TgWeekView         *week,
                const TandemWindow *expected,
                guint               n_expected)
{
  guint n = 0;
  const TandemWindow *windows = tg_week_view_get_windows (week, &n);
  g_assert_cmpuint (n, ==, n_expected);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpint (windows[i].day_of_week, ==, expected[i].day_of_week);
      g_assert_cmpint (windows[i].start_minute, ==, expected[i].start_minute);
      g_assert_cmpint (windows[i].end_minute, ==, expected[i].end_minute);
    }
}

/* Clicks the button @which of the row of @view whose id is @id. */
static void
click_row_button (GtkWidget       *row,
                  TgItemRowButton  which)
{
  GtkWidget *button = tg_item_row_get_button (TG_ITEM_ROW (row), which);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
types_listed (gpointer data)
{
  TgSessionTypesGroup *types = tg_availability_view_get_types (availability ());
  return !tg_remote_list_group_is_loading (TG_REMOTE_LIST_GROUP (types)) &&
         tg_remote_list_group_get_n_items (TG_REMOTE_LIST_GROUP (types)) == GPOINTER_TO_UINT (data);
}

static gboolean
blocked_listed (gpointer data)
{
  TgBlockedGroup *blocked = tg_availability_view_get_blocked (availability ());
  return !tg_remote_list_group_is_loading (TG_REMOTE_LIST_GROUP (blocked)) &&
         tg_remote_list_group_get_n_items (TG_REMOTE_LIST_GROUP (blocked)) == GPOINTER_TO_UINT (data);
}

static gboolean
sessions_listed (gpointer data)
{
  TgSessionsView *view = sessions ();
  return !tg_sessions_view_is_loading (view) && g_strcmp0 (tg_sessions_view_get_page (view), "list") == 0 &&
         tg_sessions_view_get_n_bookings (view) == GPOINTER_TO_UINT (data);
}

static gboolean
booking_ready (gpointer data)
{
  TgBookingView *view = booking_view ();
  return g_strcmp0 (tg_sessions_view_get_page (sessions ()), "book") == 0 && !tg_booking_view_is_busy (view) &&
         tg_booking_view_get_day_slots (view)->len > 0;
}

static gboolean
booking_idle (gpointer data)
{
  return g_strcmp0 (tg_sessions_view_get_page (sessions ()), "book") == 0 &&
         !tg_booking_view_is_busy (booking_view ());
}

static void
wait_booking_ready (void)
{
  th_gui_wait (booking_ready, NULL, 15000, "free times on the booking page");
}

/* The server's booking @id as the student sees it. */
static ThResponse *
server_booking (const char *id)
{
  g_autofree char *path = g_strdup_printf ("/groups/%s/coaching/bookings/%s", group_id, id);
  ThResponse *r = th_request (ts, "GET", path, student_token, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  return r;
}

static GDateTime *
in_zone (const char *rfc3339,
         const char *zone)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (rfc3339, NULL);
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (zone);
  g_assert_nonnull (utc);
  g_assert_nonnull (tz);
  return g_date_time_to_timezone (utc, tz);
}

/* Shows on the booking page the first day (student's zone) with at least
 * @count free times, all at least @ahead seconds from now; goes on to the
 * next month when this one has none. */
static void
show_day_with (guint  count,
               gint64 ahead)
{
  TgBookingView *view = booking_view ();
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  for (guint month = 0; month < 2; month++)
    {
      th_gui_wait (booking_idle, NULL, 15000, "the booking page");
      GPtrArray *slots = tg_booking_view_get_slots (view);
      for (guint i = 0; i < slots->len; i++)
        {
          g_autoptr(GDateTime) day = in_zone (g_ptr_array_index (slots, i), STUDENT_ZONE);
          guint n = 0;
          gboolean soon = FALSE;
          for (guint j = 0; j < slots->len; j++)
            {
              g_autoptr(GDateTime) other = in_zone (g_ptr_array_index (slots, j), STUDENT_ZONE);
              if (g_date_time_get_day_of_year (other) != g_date_time_get_day_of_year (day) ||
                  g_date_time_get_year (other) != g_date_time_get_year (day))
                continue;
              n++;
              soon = soon || g_date_time_to_unix (other) < now + ahead;
            }
          if (n >= count && !soon)
            {
              tg_booking_view_select_day (view, day);
              th_gui_wait (booking_ready, NULL, 15000, "the day's free times");
              return;
            }
        }
      /* The first of next month. */
      int year = 0, month0 = 0;
      g_object_get (th_gui_find ("booking-calendar"), "year", &year, "month", &month0, NULL);
      g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (STUDENT_ZONE);
      g_autoptr(GDateTime) shown = g_date_time_new (tz, year, month0 + 1, 1, 0, 0, 0);
      g_autoptr(GDateTime) first = g_date_time_add_months (shown, 1);
      tg_booking_view_select_day (view, first);
    }
  g_error ("no day with %u free times", count);
}

/* Picks free time @start on the booking page as a click on its button. */
static void
click_slot (const char *start)
{
  g_autoptr(GDateTime) local = in_zone (start, STUDENT_ZONE);
  g_autofree char *clock = g_date_time_format (local, "%H:%M");
  g_autofree char *name = g_strdup_printf ("slot-%s", clock);
  GtkWidget *button = th_gui_find (name);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, clock);
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)));
}

/* ---- the coach ---- */

static void
test_availability (void)
{
  sign_in (COACH_EMAIL);
  open_group ();
  g_assert_true (tg_group_page_can_coach (group_page ()));
  tg_group_page_show_view (group_page (), "availability");
  wait_availability ();
  TgAvailabilityView *view = availability ();
  TgWeekView *week = tg_availability_view_get_week (view);
  g_assert_false (tg_availability_view_has_changes (view));

  /* Nothing set yet: the zone is the user's own. */
  g_autofree char *zone = tg_user_time_zone_name ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (th_gui_find ("availability-time-zone"))), ==, zone);
  assert_windows (week, NULL, 0);

  /* Monday 09:00–12:00, dragged. */
  drag (week, 1, 9 * 60, 1, 12 * 60, 0);
  assert_windows (week, (TandemWindow[]) { { 1, 540, 720 } }, 1);
  g_assert_true (tg_availability_view_has_changes (view));

  /* Wednesday 14:00–18:00 in the dialog. */
  tg_availability_view_add_hours (view);
  GtkWidget *dialog = th_gui_wait_toplevel ("hours-dialog");
  adw_combo_row_set_selected (ADW_COMBO_ROW (th_gui_find ("hours-day")), tg_coaching_column_of_day (3));
  th_gui_set_text ("hours-start", "14:00");
  th_gui_set_text ("hours-end", "1800");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save"));
  th_gui_set_text ("hours-end", "18:00");
  th_gui_screenshot (dialog, "coaching-hours-dialog");
  th_gui_respond (dialog, "save");
  th_gui_wait_no_toplevel ("hours-dialog");
  assert_windows (week, (TandemWindow[]) { { 1, 540, 720 }, { 3, 840, 1080 } }, 2);

  /* A click on Wednesday's block: exact times, until 17:30. */
  click_week (week, 3, 15 * 60);
  dialog = th_gui_wait_toplevel ("hours-dialog");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (th_gui_find ("hours-start"))), ==, "14:00");
  th_gui_set_text ("hours-end", "17:30");
  th_gui_respond (dialog, "save");
  th_gui_wait_no_toplevel ("hours-dialog");
  assert_windows (week, (TandemWindow[]) { { 1, 540, 720 }, { 3, 840, 1050 } }, 2);

  /* Monday's bottom edge dragged to 12:30. */
  drag (week, 1, 12 * 60, 1, 12 * 60 + 30, -3);
  assert_windows (week, (TandemWindow[]) { { 1, 540, 750 }, { 3, 840, 1050 } }, 2);

  /* Friday 10:00–11:00 dragged, then removed in its dialog. */
  drag (week, 5, 10 * 60, 5, 11 * 60, 0);
  assert_windows (week, (TandemWindow[]) { { 1, 540, 750 }, { 3, 840, 1050 }, { 5, 600, 660 } }, 3);
  click_week (week, 5, 10 * 60 + 30);
  dialog = th_gui_wait_toplevel ("hours-dialog");
  th_gui_respond (dialog, "remove");
  th_gui_wait_no_toplevel ("hours-dialog");
  assert_windows (week, (TandemWindow[]) { { 1, 540, 750 }, { 3, 840, 1050 } }, 2);

  /* A zone that does not exist cannot be saved. */
  th_gui_set_text ("availability-time-zone", "Mars/Olympus_Mons");
  g_assert_false (gtk_widget_get_sensitive (th_gui_find ("availability-save")));
  th_gui_set_text ("availability-time-zone", COACH_ZONE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (th_gui_find ("availability-buffer-after")), 10);
  th_gui_screenshot (NULL, "coaching-availability-unsaved");
  th_gui_click ("availability-save");
  wait_availability ();
  g_assert_false (tg_availability_view_has_changes (view));

  /* The server has exactly these. */
  g_autofree char *path = g_strdup_printf ("/groups/%s/coaching/availability", group_id);
  g_autoptr(ThResponse) r = th_request (ts, "GET", path, coach_token, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (th_json_str (r, "time_zone"), ==, COACH_ZONE);
  g_assert_cmpint (th_json_int (r, "buffer_before_minutes"), ==, 0);
  g_assert_cmpint (th_json_int (r, "buffer_after_minutes"), ==, 10);
  g_assert_cmpuint (th_json_len (r, "windows"), ==, 2);
  g_assert_cmpint (th_json_int (r, "windows.0.day_of_week"), ==, 1);
  g_assert_cmpstr (th_json_str (r, "windows.0.start"), ==, "09:00");
  g_assert_cmpstr (th_json_str (r, "windows.0.end"), ==, "12:30");
  g_assert_cmpint (th_json_int (r, "windows.1.day_of_week"), ==, 3);
  g_assert_cmpstr (th_json_str (r, "windows.1.start"), ==, "14:00");
  g_assert_cmpstr (th_json_str (r, "windows.1.end"), ==, "17:30");

  /* Loaded again, the page shows what the server has. */
  tg_availability_view_reload (view);
  wait_availability ();
  assert_windows (week, (TandemWindow[]) { { 1, 540, 750 }, { 3, 840, 1050 } }, 2);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (th_gui_find ("availability-time-zone"))), ==, COACH_ZONE);
  th_gui_screenshot (NULL, "coaching-availability");
}

static void
test_session_types (void)
{
  TgSessionTypesGroup *types = tg_availability_view_get_types (availability ());
  g_assert_cmpuint (tg_remote_list_group_get_n_items (TG_REMOTE_LIST_GROUP (types)), ==, 0);

  const struct { const char *name; int minutes; } wanted[] = {
    { "Video Analysis", 45 }, { "Quick Check", 15 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (wanted); i++)
    {
      GtkWidget *dialog = tg_session_types_group_edit (types, NULL);
      g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save"));
      th_gui_set_text ("session-type-name", wanted[i].name);
      th_gui_set_text ("session-type-description", "Your serve, frame by frame");
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (th_gui_find ("session-type-duration")), wanted[i].minutes);
      if (i == 0)
        th_gui_screenshot (dialog, "coaching-session-type-dialog");
      th_gui_respond (dialog, "save");
      th_gui_wait_no_toplevel ("session-type-dialog");
      th_gui_wait (types_listed, GUINT_TO_POINTER (i + 1), 15000, "the new session type");
    }
  JsonObject *first = tg_remote_list_group_get_item (TG_REMOTE_LIST_GROUP (types), 0);
  g_assert_cmpstr (tg_json_string (first, "name"), ==, "Video Analysis");
  type_id = g_strdup (tg_json_string (first, "id"));

  /* The length is changed with the pencil: 60 minutes. */
  click_row_button (th_gui_find ("session-type-row-0"), TG_ITEM_ROW_EDIT);
  GtkWidget *dialog = th_gui_wait_toplevel ("session-type-dialog");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (th_gui_find ("session-type-name"))), ==, "Video Analysis");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (th_gui_find ("session-type-duration")), 60);
  th_gui_respond (dialog, "save");
  th_gui_wait_no_toplevel ("session-type-dialog");
  /* The quick check is deactivated. */
  th_gui_wait (types_listed, GUINT_TO_POINTER (2), 15000, "the session types");
  click_row_button (th_gui_find ("session-type-row-1"), TG_ITEM_ROW_TEXT);
  th_gui_wait (types_listed, GUINT_TO_POINTER (2), 15000, "the session types");
  while (tg_json_bool (tg_remote_list_group_get_item (TG_REMOTE_LIST_GROUP (types), 1), "active", TRUE))
    {
      th_gui_spin (50);
      th_gui_wait (types_listed, GUINT_TO_POINTER (2), 15000, "the session types");
    }

  /* On the server. */
  g_autofree char *path = g_strdup_printf ("/groups/%s/coaching/session-types?expert_id=%s&include_inactive=true",
                                           group_id, coach_id);
  g_autoptr(ThResponse) r = th_request (ts, "GET", path, coach_token, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpuint (th_json_len (r, "items"), ==, 2);
  g_assert_cmpstr (th_json_str (r, "items.0.name"), ==, "Video Analysis");
  g_assert_cmpint (th_json_int (r, "items.0.duration_minutes"), ==, 60);
  g_assert_true (json_node_get_boolean (th_json_at (r, "items.0.active")));
  g_assert_cmpstr (th_json_str (r, "items.1.name"), ==, "Quick Check");
  g_assert_cmpint (th_json_int (r, "items.1.duration_minutes"), ==, 15);
  g_assert_false (json_node_get_boolean (th_json_at (r, "items.1.active")));
  th_gui_screenshot (GTK_WIDGET (types), "coaching-session-types");
}

static void
test_blocked (void)
{
  TgBlockedGroup *blocked = tg_availability_view_get_blocked (availability ());
  g_assert_cmpuint (tg_remote_list_group_get_n_items (TG_REMOTE_LIST_GROUP (blocked)), ==, 0);

  /* Twenty days ahead, all day, in the coach's zone (the app's). */
  g_autofree char *zone = tg_user_time_zone_name ();
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (zone);
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 20);
  g_autoptr(GDateTime) from = g_date_time_new (tz, g_date_time_get_year (later), g_date_time_get_month (later),
                                               g_date_time_get_day_of_month (later), 0, 0, 0);
  g_autoptr(GDateTime) until = g_date_time_add_days (from, 1);
  g_autofree char *from_text = g_date_time_format (from, "%Y-%m-%d %H:%M");
  g_autofree char *until_text = g_date_time_format (until, "%Y-%m-%d");

  GtkWidget *dialog = tg_blocked_group_add (blocked);
  th_gui_set_text ("blocked-start", from_text);
  th_gui_set_text ("blocked-end", "2020-01-01 00:00");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save"));
  th_gui_set_text ("blocked-end", until_text);
  th_gui_set_text ("blocked-reason", "Club tournament");
  th_gui_screenshot (dialog, "coaching-blocked-dialog");
  th_gui_respond (dialog, "save");
  th_gui_wait_no_toplevel ("blocked-dialog");
  th_gui_wait (blocked_listed, GUINT_TO_POINTER (1), 15000, "the blocked day");

  g_autofree char *path = g_strdup_printf ("/groups/%s/coaching/blocked", group_id);
  g_autoptr(ThResponse) r = th_request (ts, "GET", path, coach_token, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpuint (th_json_len (r, "items"), ==, 1);
  g_autoptr(GDateTime) start = g_date_time_new_from_iso8601 (th_json_str (r, "items.0.start"), NULL);
  g_autoptr(GDateTime) end = g_date_time_new_from_iso8601 (th_json_str (r, "items.0.end"), NULL);
  g_assert_cmpint (g_date_time_to_unix (start), ==, g_date_time_to_unix (from));
  g_assert_cmpint (g_date_time_to_unix (end), ==, g_date_time_to_unix (until));
  g_assert_cmpstr (th_json_str (r, "items.0.reason"), ==, "Club tournament");
  th_gui_screenshot (GTK_WIDGET (blocked), "coaching-blocked");

  /* Unblocked with its button. */
  click_row_button (th_gui_find ("blocked-row-0"), TG_ITEM_ROW_REMOVE);
  th_gui_wait (blocked_listed, GUINT_TO_POINTER (0), 15000, "no blocked time");
  g_autoptr(ThResponse) after = th_request (ts, "GET", path, coach_token, NULL);
  g_assert_cmpuint (th_json_len (after, "items"), ==, 0);
}

/* The coach's own Sessions page: nothing booked, and nobody else to book. */
static void
test_coach_sessions (void)
{
  tg_group_page_show_view (group_page (), "sessions");
  th_gui_wait (sessions_listed, GUINT_TO_POINTER (0), 15000, "the coach's sessions");
  g_assert_false (gtk_widget_get_visible (th_gui_find ("sessions-book")));
  tg_group_page_show_view (group_page (), "availability");
}

/* ---- the student ---- */

/* Every free time lies in the coach's hours (Berlin), on the 15-minute
 * grid, long enough for the 60-minute type, in the future. */
static void
assert_slots_in_hours (GPtrArray *slots)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  for (guint i = 0; i < slots->len; i++)
    {
      g_autoptr(GDateTime) local = in_zone (g_ptr_array_index (slots, i), COACH_ZONE);
      int day = g_date_time_get_day_of_week (local) % 7;
      int minute = g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);
      g_assert_true ((day == 1 && minute >= 540 && minute + 60 <= 750) ||
                     (day == 3 && minute >= 840 && minute + 60 <= 1050));
      g_assert_cmpint (minute % 15, ==, 0);
      g_assert_cmpint (g_date_time_to_unix (local), >=, now);
    }
}

static void
test_book (void)
{
  sign_out ();
  set_user_zone (STUDENT_ZONE);
  sign_in (STUDENT_EMAIL);
  open_group ();
  g_assert_false (tg_group_page_can_coach (group_page ()));
  tg_group_page_show_view (group_page (), "sessions");
  th_gui_wait (sessions_listed, GUINT_TO_POINTER (0), 15000, "no sessions yet");
  th_gui_screenshot (NULL, "coaching-sessions-empty");

  th_gui_click ("sessions-book");
  th_gui_wait (booking_idle, NULL, 15000, "the booking page");
  TgBookingView *view = booking_view ();
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (th_gui_find ("booking-expert"))), ==, 0);
  /* Only the active type is offered. */
  GListModel *types = adw_combo_row_get_model (ADW_COMBO_ROW (th_gui_find ("booking-type")));
  g_assert_cmpuint (g_list_model_get_n_items (types), ==, 1);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (types), 0), ==, "Video Analysis (60 min)");

  GPtrArray *slots = tg_booking_view_get_slots (view);
  GPtrArray *day = tg_booking_view_get_day_slots (view);
  assert_slots_in_hours (slots);
  /* The day shown is the first with free times (when this month has
   * some), marked on the calendar. */
  if (slots->len > 0)
    {
      g_assert_cmpstr (g_ptr_array_index (day, 0), ==, g_ptr_array_index (slots, 0));
      g_autoptr(GDateTime) first = in_zone (g_ptr_array_index (day, 0), STUDENT_ZONE);
      g_assert_true (tg_booking_view_day_is_marked (view, g_date_time_get_day_of_month (first)));
    }
  g_assert_false (gtk_widget_get_sensitive (th_gui_find ("booking-confirm")));

  /* A day well ahead (so the student may still cancel), its second time. */
  show_day_with (3, 3 * 3600);
  day = tg_booking_view_get_day_slots (view);
  assert_slots_in_hours (tg_booking_view_get_slots (view));
  g_autofree char *start = g_strdup (g_ptr_array_index (day, 1));
  click_slot (start);
  th_gui_set_text ("booking-notes", "My second serve");
  g_assert_true (gtk_widget_get_sensitive (th_gui_find ("booking-confirm")));
  th_gui_screenshot (NULL, "coaching-booking");
  th_gui_click ("booking-confirm");
  th_gui_wait (sessions_listed, GUINT_TO_POINTER (1), 15000, "the booked session");

  /* On the server. */
  g_autofree char *path = g_strdup_printf ("/groups/%s/coaching/bookings?when=upcoming", group_id);
  g_autoptr(ThResponse) r = th_request (ts, "GET", path, student_token, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpuint (th_json_len (r, "items"), ==, 1);
  g_autoptr(GDateTime) booked = g_date_time_new_from_iso8601 (th_json_str (r, "items.0.start"), NULL);
  g_autoptr(GDateTime) wanted = g_date_time_new_from_iso8601 (start, NULL);
  g_assert_cmpint (g_date_time_to_unix (booked), ==, g_date_time_to_unix (wanted));
  g_assert_cmpstr (th_json_str (r, "items.0.expert_id"), ==, coach_id);
  g_assert_cmpstr (th_json_str (r, "items.0.session_type_id"), ==, type_id);
  g_assert_cmpstr (th_json_str (r, "items.0.notes"), ==, "My second serve");
  booking_id = g_strdup (th_json_str (r, "items.0.id"));

  /* In the list: with whom, when (the student's zone). */
  JsonObject *shown = tg_sessions_view_get_booking (sessions (), 0);
  g_assert_cmpstr (tg_json_string (shown, "id"), ==, booking_id);
  AdwActionRow *row = ADW_ACTION_ROW (tg_sessions_view_get_row (sessions (), booking_id));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Video Analysis with Clara Coach");
  g_autoptr(GDateTime) local = in_zone (start, STUDENT_ZONE);
  g_autofree char *clock = g_date_time_format (local, "%H:%M");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), clock));
  /* Days ahead: no Join yet. */
  g_assert_false (gtk_widget_get_visible (tg_item_row_get_button (TG_ITEM_ROW (row), TG_ITEM_ROW_PRIMARY)));
  th_gui_screenshot (NULL, "coaching-sessions");
}

static gboolean
booking_message_shown (gpointer data)
{
  return !tg_booking_view_is_busy (booking_view ()) &&
         strlen (tg_booking_view_get_message (booking_view ())) > 0;
}

static void
test_slot_taken (void)
{
  th_gui_click ("sessions-book");
  show_day_with (1, 0);
  TgBookingView *view = booking_view ();
  g_autofree char *start = g_strdup (g_ptr_array_index (tg_booking_view_get_day_slots (view), 0));
  click_slot (start);

  /* Someone else is faster. */
  g_autofree char *path = g_strdup_printf ("/groups/%s/coaching/bookings", group_id);
  g_autoptr(ThResponse) other = th_requestf (ts, "POST", path, other_token,
                                             "{\"session_type_id\":\"%s\",\"expert_id\":\"%s\",\"start\":\"%s\"}",
                                             type_id, coach_id, start);
  g_assert_cmpuint (other->status, ==, 201);

  th_gui_click ("booking-confirm");
  th_gui_wait (booking_message_shown, NULL, 15000, "the message about the taken time");
  g_assert_cmpstr (tg_booking_view_get_message (view), ==,
                   "Someone else has just taken this time. Here are the times that are still free.");
  /* Fresh free times, without that one; still on the booking page. */
  g_assert_cmpstr (tg_sessions_view_get_page (sessions ()), ==, "book");
  GPtrArray *slots = tg_booking_view_get_slots (view);
  g_assert_cmpuint (slots->len, >, 0);
  for (guint i = 0; i < slots->len; i++)
    g_assert_cmpstr (g_ptr_array_index (slots, i), !=, start);
  g_assert_false (gtk_widget_get_sensitive (th_gui_find ("booking-confirm")));
  th_gui_screenshot (NULL, "coaching-slot-taken");

  th_gui_click ("booking-back");
  th_gui_wait (sessions_listed, GUINT_TO_POINTER (1), 15000, "the list again");
}

static void
test_reschedule (void)
{
  g_autoptr(ThResponse) before = server_booking (booking_id);
  const char *old_start = th_json_str (before, "start");

  click_row_button (tg_sessions_view_get_row (sessions (), booking_id), TG_ITEM_ROW_TEXT);
  TgBookingView *view = booking_view ();
  /* Its own time is not busy for it: its day offers the time it has now
   * (and those overlapping it). */
  th_gui_wait (booking_idle, NULL, 15000, "the booking page");
  g_autoptr(GDateTime) own_day = in_zone (old_start, STUDENT_ZONE);
  tg_booking_view_select_day (view, own_day);
  th_gui_wait (booking_ready, NULL, 15000, "the free times of the booking's day");
  gboolean own_offered = FALSE;
  GPtrArray *own = tg_booking_view_get_day_slots (view);
  for (guint i = 0; i < own->len; i++)
    own_offered = own_offered || g_strcmp0 (g_ptr_array_index (own, i), old_start) == 0;
  g_assert_true (own_offered);

  show_day_with (2, 3 * 3600);
  /* Coach and type are the booking's. */
  g_assert_false (gtk_widget_get_sensitive (th_gui_find ("booking-expert")));
  GPtrArray *day = tg_booking_view_get_day_slots (view);
  /* the day's last time other than the one it has */
  const char *last = g_ptr_array_index (day, day->len - 1);
  g_autofree char *start = g_strdup (g_strcmp0 (last, old_start) != 0 ? last : g_ptr_array_index (day, day->len - 2));
  g_assert_cmpstr (start, !=, old_start);
  click_slot (start);
  th_gui_screenshot (NULL, "coaching-reschedule");
  th_gui_click ("booking-confirm");
  th_gui_wait (sessions_listed, GUINT_TO_POINTER (1), 15000, "the moved session");

  g_autoptr(ThResponse) after = server_booking (booking_id);
  g_autoptr(GDateTime) moved = g_date_time_new_from_iso8601 (th_json_str (after, "start"), NULL);
  g_autoptr(GDateTime) wanted = g_date_time_new_from_iso8601 (start, NULL);
  g_assert_cmpint (g_date_time_to_unix (moved), ==, g_date_time_to_unix (wanted));
  g_assert_cmpint (th_json_int (after, "sequence"), ==, 1);
  g_assert_cmpstr (th_json_str (after, "status"), ==, "booked");
}

static void
test_cancel (void)
{
  click_row_button (tg_sessions_view_get_row (sessions (), booking_id), TG_ITEM_ROW_REMOVE);
  GtkWidget *dialog = th_gui_wait_toplevel ("cancel-dialog");
  th_gui_set_text ("cancel-reason", "I am ill");
  th_gui_screenshot (dialog, "coaching-cancel-dialog");
  th_gui_respond (dialog, "cancel-session");
  th_gui_wait_no_toplevel ("cancel-dialog");
  th_gui_wait (sessions_listed, GUINT_TO_POINTER (0), 15000, "the cancelled session gone");

  g_autoptr(ThResponse) r = server_booking (booking_id);
  g_assert_cmpstr (th_json_str (r, "status"), ==, "cancelled");
  g_assert_cmpstr (th_json_str (r, "cancel_reason"), ==, "I am ill");
}

static gboolean
sessions_message_shown (gpointer data)
{
  return !tg_sessions_view_is_loading (sessions ()) && strlen (tg_sessions_view_get_message (sessions ())) > 0;
}

static gboolean
call_waiting (gpointer data)
{
  return g_str_has_prefix (tg_call_page_get_status (data), "Waiting for Clara Coach to join");
}

static void
test_join (void)
{
  /* The coach is free all week now (UTC, no buffers): the first free time
   * starts within a quarter of an hour, inside the connect window. */
  g_autofree char *path = g_strdup_printf ("/groups/%s/coaching/availability", group_id);
  GString *windows = g_string_new (NULL);
  for (int d = 0; d < 7; d++)
    g_string_append_printf (windows, "%s{\"day_of_week\":%d,\"start\":\"00:00\",\"end\":\"24:00\"}",
                            d > 0 ? "," : "", d);
  g_autoptr(ThResponse) put = th_requestf (ts, "PUT", path, coach_token,
                                           "{\"time_zone\":\"UTC\",\"windows\":[%s],"
                                           "\"buffer_before_minutes\":0,\"buffer_after_minutes\":0}", windows->str);
  g_string_free (windows, TRUE);
  g_assert_cmpuint (put->status, ==, 200);

  /* Books the first free time in the app, and one three hours later
   * through the API. */
  th_gui_click ("sessions-book");
  wait_booking_ready ();
  g_autofree char *soon = g_strdup (g_ptr_array_index (tg_booking_view_get_day_slots (booking_view ()), 0));
  g_assert_cmpstr (soon, ==, g_ptr_array_index (tg_booking_view_get_slots (booking_view ()), 0));
  click_slot (soon);
  th_gui_click ("booking-confirm");
  th_gui_wait (sessions_listed, GUINT_TO_POINTER (1), 15000, "the booked session");

  g_autoptr(GDateTime) soon_time = g_date_time_new_from_iso8601 (soon, NULL);
  g_autoptr(GDateTime) later_time = g_date_time_add_hours (soon_time, 3);
  g_autofree char *later_text = tg_coaching_format_rfc3339 (later_time);
  g_autofree char *bookings = g_strdup_printf ("/groups/%s/coaching/bookings", group_id);
  g_autoptr(ThResponse) booked = th_requestf (ts, "POST", bookings, student_token,
                                              "{\"session_type_id\":\"%s\",\"expert_id\":\"%s\",\"start\":\"%s\"}",
                                              type_id, coach_id, later_text);
  g_assert_cmpuint (booked->status, ==, 201);
  tg_sessions_view_reload (sessions ());
  th_gui_wait (sessions_listed, GUINT_TO_POINTER (2), 15000, "both sessions");

  /* Join: on the session about to start, not on the later one. */
  JsonObject *first = tg_sessions_view_get_booking (sessions (), 0);
  JsonObject *second = tg_sessions_view_get_booking (sessions (), 1);
  g_autoptr(GDateTime) first_start = g_date_time_new_from_iso8601 (tg_json_string (first, "start"), NULL);
  g_assert_cmpint (g_date_time_to_unix (first_start), ==, g_date_time_to_unix (soon_time));
  GtkWidget *row = tg_sessions_view_get_row (sessions (), tg_json_string (first, "id"));
  GtkWidget *later = tg_sessions_view_get_row (sessions (), tg_json_string (second, "id"));
  tg_sessions_view_update_join (sessions ());
  g_assert_true (gtk_widget_get_visible (tg_item_row_get_button (TG_ITEM_ROW (row), TG_ITEM_ROW_PRIMARY)));
  g_assert_false (gtk_widget_get_visible (tg_item_row_get_button (TG_ITEM_ROW (later), TG_ITEM_ROW_PRIMARY)));
  th_gui_screenshot (NULL, "coaching-join");

  /* It opens the call page for that booking. */
  g_autofree char *id = g_strdup (tg_json_string (first, "id"));
  click_row_button (row, TG_ITEM_ROW_PRIMARY);
  th_gui_wait_page ("call");
  TgCallPage *call_page = TG_CALL_PAGE (th_gui_find ("call-page"));
  g_assert_cmpstr (tg_call_page_get_booking (call_page), ==, id);
  th_gui_wait (call_waiting, call_page, 15000, "the call page waiting for the coach");
  th_gui_screenshot (NULL, "coaching-call");
  th_gui_click ("call-back");
  th_gui_wait_page ("group");

  /* Too late for the student to cancel it: the server says why. */
  row = tg_sessions_view_get_row (sessions (), id);
  click_row_button (row, TG_ITEM_ROW_REMOVE);
  GtkWidget *dialog = th_gui_wait_toplevel ("cancel-dialog");
  th_gui_respond (dialog, "cancel-session");
  th_gui_wait_no_toplevel ("cancel-dialog");
  th_gui_wait (sessions_message_shown, NULL, 15000, "the refusal");
  g_assert_true (g_str_has_prefix (tg_sessions_view_get_message (sessions ()), "Could not cancel the session: "));
  g_assert_cmpuint (tg_sessions_view_get_n_bookings (sessions ()), ==, 2);
  g_autoptr(ThResponse) r = server_booking (id);
  g_assert_cmpstr (th_json_str (r, "status"), ==, "booked");
  th_gui_screenshot (NULL, "coaching-cancel-refused");
}

/* ---- pure parts ---- */

static void
test_parse (void)
{
  int m = -1;
  g_assert_true (tg_coaching_parse_minutes ("09:00", &m));
  g_assert_cmpint (m, ==, 540);
  g_assert_true (tg_coaching_parse_minutes (" 9:05 ", &m));
  g_assert_cmpint (m, ==, 545);
  g_assert_true (tg_coaching_parse_minutes ("24:00", &m));
  g_assert_cmpint (m, ==, 1440);
  const char *bad[] = { "", "9", "9:5", "24:01", "25:00", "09:60", "0900", "09:00x", "-1:00", NULL };
  for (guint i = 0; bad[i] != NULL; i++)
    g_assert_false (tg_coaching_parse_minutes (bad[i], &m));
  g_autofree char *text = tg_coaching_format_minutes (1440);
  g_assert_cmpstr (text, ==, "24:00");

  /* Joinable from connect_opens_at (or start − window) until the end. */
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser,
    "{\"start\":\"2030-01-01T10:00:00Z\",\"end\":\"2030-01-01T11:00:00Z\",\"status\":\"booked\"}", -1, NULL));
  JsonObject *b = json_node_get_object (json_parser_get_root (parser));
  gint64 start = 1893492000;   /* 2030-01-01T10:00:00Z */
  g_assert_false (tg_coaching_booking_joinable (b, start - 901, 900));
  g_assert_true (tg_coaching_booking_joinable (b, start - 900, 900));
  g_assert_true (tg_coaching_booking_joinable (b, start + 3599, 900));
  g_assert_false (tg_coaching_booking_joinable (b, start + 3600, 900));
  json_object_set_string_member (b, "connect_opens_at", "2030-01-01T09:55:00Z");
  g_assert_false (tg_coaching_booking_joinable (b, start - 301, 900));
  g_assert_true (tg_coaching_booking_joinable (b, start - 300, 900));
  json_object_set_string_member (b, "status", "cancelled");
  g_assert_false (tg_coaching_booking_joinable (b, start, 900));
}

/* The week view's model: sorted, overlapping or touching windows of a day
 * merged, those past midnight kept apart. */
static void
test_week_model (void)
{
  TgWeekView *week = g_object_ref_sink (tg_week_view_new ());
  const TandemWindow windows[] = { { 2, 1320, 120 }, { 1, 590, 700 }, { 1, 540, 600 }, { 7, 0, 60 } };
  tg_week_view_set_windows (week, windows, G_N_ELEMENTS (windows));
  assert_windows (week, (TandemWindow[]) { { 1, 540, 700 }, { 2, 1320, 120 } }, 2);
  guint index = tg_week_view_add_window (week, 1, 700, 720);
  g_assert_cmpuint (index, ==, 0);
  assert_windows (week, (TandemWindow[]) { { 1, 540, 720 }, { 2, 1320, 120 } }, 2);
  tg_week_view_add_window (week, 2, 1200, 1320);
  assert_windows (week, (TandemWindow[]) { { 1, 540, 720 }, { 2, 1200, 1320 }, { 2, 1320, 120 } }, 3);
  tg_week_view_replace_window (week, 1, 0, 480, 600);
  assert_windows (week, (TandemWindow[]) { { 0, 480, 600 }, { 1, 540, 720 }, { 2, 1320, 120 } }, 3);
  tg_week_view_remove_window (week, 0);
  assert_windows (week, (TandemWindow[]) { { 1, 540, 720 }, { 2, 1320, 120 } }, 2);
  g_object_unref (week);
}

/* ---- main ---- */

static void
no_booking_notice (SdConfig *config,
                   gpointer  data)
{
  config->min_booking_notice_s = 0;
}

int
main (int    argc,
      char **argv)
{
  th_gui_init (&argc, &argv);
  /* Join opens a real call: no camera, microphone or speakers here. */
  g_setenv ("TANDEM_CALL_VIDEO", "none", TRUE);
  g_setenv ("TANDEM_CALL_AUDIO", "none", TRUE);
  g_setenv ("TANDEM_CALL_SPEAKERS", "off", TRUE);

  ts = th_server_start_full (no_booking_notice, NULL);
  g_autofree char *admin_token = th_register_admin (ts, "admin@club.example", "Club", NULL);
  coach_token = add_user (admin_token, COACH_EMAIL, "expert", "Clara Coach", &coach_id);
  student_token = add_user (admin_token, STUDENT_EMAIL, "student", "Sam Student", NULL);
  other_token = add_user (admin_token, OTHER_EMAIL, "student", "Olivia Other", NULL);
  g_autoptr(ThResponse) group = th_requestf (ts, "POST", "/groups", coach_token, "{\"name\":\"%s\"}", GROUP_NAME);
  g_assert_cmpuint (group->status, ==, 201);
  group_id = g_strdup (th_json_str (group, "id"));
  th_join_group (ts, coach_token, group_id, STUDENT_EMAIL, student_token);
  th_join_group (ts, coach_token, group_id, OTHER_EMAIL, other_token);
  th_gui_app_start ();

  g_test_add_func ("/Coaching/parse", test_parse);
  g_test_add_func ("/Coaching/week-model", test_week_model);
  g_test_add_func ("/Coaching/availability", test_availability);
  g_test_add_func ("/Coaching/session-types", test_session_types);
  g_test_add_func ("/Coaching/blocked", test_blocked);
  g_test_add_func ("/Coaching/coach-sessions", test_coach_sessions);
  g_test_add_func ("/Coaching/book", test_book);
  g_test_add_func ("/Coaching/slot-taken", test_slot_taken);
  g_test_add_func ("/Coaching/reschedule", test_reschedule);
  g_test_add_func ("/Coaching/cancel", test_cancel);
  g_test_add_func ("/Coaching/join", test_join);
  int status = g_test_run ();

  th_gui_app_stop ();
  th_server_stop (ts);
  g_free (coach_token);
  g_free (coach_id);
  g_free (student_token);
  g_free (other_token);
  g_free (group_id);
  g_free (type_id);
  g_free (booking_id);
  return status;
}
