/* test-gui.c — the real desktop app against a real in-process signald, in
 * a real window (under Xvfb): sign in, create a group, invite a student by
 * e-mail (QR code saved), open the invitation link signed out and register
 * with it, upload a generated video, see it in the library with its
 * thumbnail, open it, sign in as the coach and mark it reviewed; uploads
 * that are paused (the app quit) and carried on, and cancelled; the
 * preferences.  A screenshot of each screen goes to $TANDEM_TEST_SCREENSHOTS. */
#include "th-gui.h"
#include "th-media.h"
#include "th-server.h"

#include "tandem-error.h"
#include "tg-asset.h"
#include "tg-asset-page.h"
#include "tg-group-page.h"
#include "tg-invite-dialog.h"
#include "tg-invite-page.h"
#include "tg-library-view.h"
#include "tg-members-view.h"
#include "tg-preferences-window.h"
#include "tg-session.h"
#include "tg-upload-file.h"
#include "tg-upload-manager.h"
#include "tg-util.h"
#ifdef TANDEM_HAVE_PLAYER_VIEW
#include "tg-player-view.h"
#include "th-player-gui.h"
#endif

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

static ThServer *ts;
static const char *home;
static char *admin_token;
static char *video_dir;
static char *group_id;
static char *invite_code;

#define COACH_EMAIL "coach@club.example"
#define STUDENT_EMAIL "sam@club.example"
#define GROUP_NAME "Tennis U16"

/* ---- helpers ---- */

static TgSession *
session (void)
{
  return tg_application_get_session (tg_application_get_default ());
}

static TgUploadManager *
uploads (void)
{
  return tg_application_get_upload_manager (tg_application_get_default ());
}

static TgGroupPage *
group_page (void)
{
  return TG_GROUP_PAGE (th_gui_find ("group-page"));
}

static TgLibraryView *
library (void)
{
  return tg_group_page_get_library (group_page ());
}

static gboolean
signed_in (gpointer data)
{
  return tg_session_is_signed_in (session ()) == GPOINTER_TO_INT (data);
}

static gboolean
library_has (gpointer data)
{
  TgLibraryView *view = library ();
  return !tg_library_view_is_loading (view) &&
         g_list_model_get_n_items (tg_library_view_get_shown (view)) == GPOINTER_TO_UINT (data);
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

static char *
session_file (void)
{
  return g_build_filename (home, "config", "tandem", "session.json", NULL);
}

static void
open_group (void)
{
  g_autofree char *row_name = g_strdup_printf ("group-row-%s", GROUP_NAME);
  th_gui_wait_widget (row_name);
  GtkWidget *row = th_gui_find (row_name);
  g_signal_emit_by_name (gtk_widget_get_parent (row), "row-activated", row);
  th_gui_wait_page ("group");
  g_assert_cmpstr (tg_json_string (tg_group_page_get_group (group_page ()), "name"), ==, GROUP_NAME);
}

/* ---- tests ---- */

static void
test_sign_in (void)
{
  th_gui_wait_page ("sign-in");
  th_gui_screenshot (NULL, "sign-in");

  /* Wrong password: a sentence under the form, still signed out. */
  th_gui_set_text ("sign-in-server", ts->url);
  th_gui_set_text ("sign-in-email", COACH_EMAIL);
  th_gui_set_text ("sign-in-password", "not the password");
  th_gui_click ("sign-in-button");
  th_gui_wait_widget ("sign-in-error");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (th_gui_find ("sign-in-error"))), ==,
                   "The e-mail address or the password is wrong.");
  g_assert_false (tg_session_is_signed_in (session ()));
  th_gui_screenshot (NULL, "sign-in-error");

  /* A server that is not there: said so, not a crash. */
  th_gui_set_text ("sign-in-server", "http://127.0.0.1:9");
  th_gui_set_text ("sign-in-password", TH_PASSWORD);
  th_gui_click ("sign-in-button");
  th_gui_wait_widget ("sign-in-error");
  while (strstr (gtk_label_get_text (GTK_LABEL (th_gui_find ("sign-in-error"))), "cannot be reached") == NULL)
    th_gui_spin (50);

  sign_in (COACH_EMAIL);
  g_assert_cmpstr (tg_session_get_role (session ()), ==, "expert");
  th_gui_wait_page ("empty");

  /* Kept in the session file (no keyring in this test), 0600. */
  g_autofree char *file = session_file ();
  GStatBuf st;
  g_assert_cmpint (g_stat (file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  th_gui_screenshot (NULL, "no-groups");
}

static void
test_create_group (void)
{
  gtk_widget_activate_action (GTK_WIDGET (th_gui_window ()), "win.new-group", NULL);
  GtkWidget *dialog = th_gui_wait_toplevel ("new-group-dialog");
  th_gui_set_text ("new-group-name", GROUP_NAME);
  th_gui_screenshot (dialog, "new-group");
  th_gui_respond (dialog, "create");
  th_gui_wait_no_toplevel ("new-group-dialog");

  open_group ();
  group_id = g_strdup (tg_json_string (tg_group_page_get_group (group_page ()), "id"));
  g_assert_true (g_uuid_string_is_valid (group_id));
  th_gui_wait (library_has, GUINT_TO_POINTER (0), 15000, "an empty library");
  th_gui_screenshot (NULL, "library-empty");

  /* Members: the coach, as owner. */
  tg_group_page_show_view (group_page (), "members");
  TgMembersView *members = tg_group_page_get_members (group_page ());
  while (tg_members_view_get_n_members (members) != 1)
    th_gui_spin (20);

  /* A picture for the group, from a file. */
  g_autofree char *png = g_build_filename (home, "team.png", NULL);
  g_autoptr(GdkTexture) texture = NULL;
  {
    g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 64);
    gdk_pixbuf_fill (pixbuf, 0x2ec27eff);
    g_assert_true (gdk_pixbuf_save (pixbuf, png, "png", NULL, NULL));
  }
  g_autoptr(GFile) file = g_file_new_for_path (png);
  tg_group_page_set_avatar_file (group_page (), file);
  g_autofree char *path = g_strdup_printf ("/groups/%s", group_id);
  for (;;)
    {
      g_autoptr(ThResponse) r = th_request (ts, "GET", path, admin_token, NULL);
      if (json_node_get_boolean (th_json_at (r, "has_avatar")))
        break;
      th_gui_spin (50);
    }
  th_gui_wait (library_has, GUINT_TO_POINTER (0), 15000, "the library after the picture changed");
  tg_group_page_show_view (group_page (), "members");
  th_gui_spin (300);
  th_gui_screenshot (NULL, "members");
  tg_group_page_show_view (group_page (), "library");
}

static gboolean
qr_shown (gpointer data)
{
  return tg_invite_dialog_has_qr (data);
}

static void
test_invite (void)
{
  gtk_widget_activate_action (GTK_WIDGET (group_page ()), "group.invite", NULL);
  GtkWidget *dialog = th_gui_wait_toplevel ("invite-dialog");
  th_gui_set_text ("invite-dialog-email", STUDENT_EMAIL);
  th_gui_click ("invite-dialog-send");
  th_gui_wait (qr_shown, dialog, 15000, "the QR code");

  JsonObject *invitation = tg_invite_dialog_get_invitation (TG_INVITE_DIALOG (dialog));
  invite_code = g_strdup (tg_json_string (invitation, "code"));
  g_assert_nonnull (invite_code);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (th_gui_find ("invite-dialog-code"))), ==, invite_code);
  g_assert_true (g_str_has_suffix (gtk_label_get_text (GTK_LABEL (th_gui_find ("invite-dialog-link"))),
                                   invite_code));
  th_gui_screenshot (dialog, "invite");

  /* Copy link: the link on the clipboard. */
  th_gui_click ("invite-dialog-copy");
  GdkClipboard *clipboard = gtk_widget_get_clipboard (dialog);
  const GValue *content = NULL;
  GdkContentProvider *provider = gdk_clipboard_get_content (clipboard);
  g_assert_nonnull (provider);
  GValue text = G_VALUE_INIT;
  g_value_init (&text, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (provider, &text, NULL));
  content = &text;
  g_assert_cmpstr (g_value_get_string (content), ==, tg_json_string (invitation, "url"));
  g_value_unset (&text);

  /* Save QR: the server's PNG, as it came. */
  g_autofree char *saved = g_build_filename (home, "invite-qr.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (saved);
  tg_invite_dialog_save_qr_to (TG_INVITE_DIALOG (dialog), file);
  while (!g_file_test (saved, G_FILE_TEST_EXISTS))
    th_gui_spin (20);
  th_gui_spin (100);
  g_autofree char *qr_path = g_strdup_printf ("/invitations/%s/qr.png", invite_code);
  g_autoptr(ThResponse) qr = th_request (ts, "GET", qr_path, NULL, NULL);
  g_autofree char *data = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (saved, &data, &len, NULL));
  g_assert_cmpmem (data, len, g_bytes_get_data (qr->body, NULL), g_bytes_get_size (qr->body));

  gtk_window_close (GTK_WINDOW (dialog));
  th_gui_wait_no_toplevel ("invite-dialog");
}

static gboolean
invite_details (gpointer data)
{
  GtkWidget *label = th_gui_lookup ("invite-group");
  return label != NULL && gtk_widget_get_mapped (label) &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)), data) == 0;
}

static void
test_register_with_invitation (void)
{
  sign_out ();
  /* The stored token is forgotten too (on a worker thread). */
  g_autofree char *file = session_file ();
  for (guint i = 0; g_file_test (file, G_FILE_TEST_EXISTS); i++)
    {
      g_assert_cmpuint (i, <, 200);
      th_gui_spin (25);
    }

  /* The link from the e-mail opens the app at the invitation. */
  g_autofree char *uri = g_strdup_printf ("tandem://invite/%s", invite_code);
  g_autoptr(GFile) link = g_file_new_for_uri (uri);
  GFile *files[] = { link };
  g_application_open (G_APPLICATION (tg_application_get_default ()), files, 1, "");
  th_gui_wait_page ("invite");
  th_gui_wait (invite_details, GROUP_NAME, 15000, "the invitation's group");
  th_gui_spin (300);
  th_gui_screenshot (NULL, "invitation");

  th_gui_set_text ("invite-name", "Sam Student");
  th_gui_set_text ("invite-email", STUDENT_EMAIL);
  th_gui_set_text ("invite-password", TH_PASSWORD);
  th_gui_click ("invite-join");
  th_gui_wait (signed_in, GINT_TO_POINTER (TRUE), 15000, "the new account");
  g_assert_cmpstr (tg_session_get_role (session ()), ==, "student");
  open_group ();
}

static gboolean
upload_finished (gpointer data)
{
  TgUploadPhase phase = tg_upload_get_phase (data);
  return phase == TG_UPLOAD_DONE || phase == TG_UPLOAD_FAILED || phase == TG_UPLOAD_CANCELLED;
}

static TgUpload *
last_upload (void)
{
  GListModel *list = tg_upload_manager_get_uploads (uploads ());
  guint n = g_list_model_get_n_items (list);
  g_assert_cmpuint (n, >, 0);
  TgUpload *upload = g_list_model_get_item (list, n - 1);
  g_object_unref (upload);
  return upload;
}

/* Picks @paths (NULL-terminated) in the group page as the file chooser
 * would and confirms the dialog with @name. */
static TgUpload *
upload_files (const char * const *paths,
              const char         *name)
{
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (paths[i]);
      g_list_store_append (files, file);
    }
  tg_group_page_upload_files (group_page (), G_LIST_MODEL (files));
  GtkWidget *dialog = th_gui_wait_toplevel ("upload-dialog");
  g_autofree char *base = g_path_get_basename (paths[0]);
  *strrchr (base, '.') = '\0';
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (th_gui_find ("upload-name"))), ==, base);
  th_gui_set_text ("upload-name", name);
  th_gui_set_text ("upload-description", "Serve from the baseline");
  th_gui_respond (dialog, "upload");
  th_gui_wait_no_toplevel ("upload-dialog");
  th_gui_wait_page ("uploads");
  return last_upload ();
}

static TgUpload *
upload_file (const char *path,
             const char *name)
{
  const char *paths[] = { path, NULL };
  return upload_files (paths, name);
}

static void
test_upload (void)
{
  /* Two angles of one serve: one asset, two videos, a bar for each. */
  g_autofree char *front = th_media_make (video_dir, TH_MEDIA_WEBM_VP8_OPUS);
  g_autofree char *side = th_media_make (video_dir, TH_MEDIA_WEBM_VP9);
  const char *paths[] = { front, side, NULL };
  TgUpload *upload = upload_files (paths, "First serve");

  th_gui_wait (upload_finished, upload, 30000, "the upload");
  g_assert_cmpint (tg_upload_get_phase (upload), ==, TG_UPLOAD_DONE);
  g_assert_cmpfloat (tg_upload_get_fraction (upload), ==, 1.0);
  GListModel *files = tg_upload_get_files (upload);
  g_assert_cmpuint (g_list_model_get_n_items (files), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(TgUploadFile) file = g_list_model_get_item (files, i);
      g_assert_cmpfloat (tg_upload_file_get_fraction (file), ==, 1.0);
    }
  th_gui_screenshot (NULL, "uploads");

  /* On the server: the asset waits for review, the bytes are the file's. */
  g_autofree char *path = g_strdup_printf ("/assets/%s", tg_upload_get_asset_id (upload));
  g_autoptr(ThResponse) asset = th_request (ts, "GET", path, admin_token, NULL);
  g_assert_cmpuint (asset->status, ==, 200);
  g_assert_cmpstr (th_json_str (asset, "status"), ==, "pending");
  g_assert_cmpstr (th_json_str (asset, "videos.0.status"), ==, "ready");
  g_assert_cmpstr (th_json_str (asset, "videos.1.status"), ==, "ready");
  g_assert_cmpstr (th_json_str (asset, "videos.1.filename"), ==, "vp9.webm");

  /* Nothing left to resume. */
  g_autofree char *records = g_build_filename (home, "state", "tandem", "uploads", NULL);
  g_autoptr(GDir) dir = g_dir_open (records, 0, NULL);
  g_assert_true (dir == NULL || g_dir_read_name (dir) == NULL);
}

static gboolean
thumbnail_shown (gpointer data)
{
  TgAsset *asset = data;
  return tg_asset_get_thumbnail (asset) != NULL;
}

static void
test_library (void)
{
  gtk_widget_activate_action (GTK_WIDGET (th_gui_window ()), "win.show-group", NULL);
  th_gui_wait_page ("group");
  th_gui_wait (library_has, GUINT_TO_POINTER (1), 15000, "the video in the library");
  GListModel *shown = tg_library_view_get_shown (library ());
  g_autoptr(TgAsset) asset = g_list_model_get_item (shown, 0);
  g_assert_cmpstr (tg_asset_get_name (asset), ==, "First serve");
  g_assert_cmpstr (tg_asset_get_status (asset), ==, "pending");
  th_gui_wait (thumbnail_shown, asset, 15000, "the thumbnail");
  th_gui_screenshot (NULL, "library");

  /* Search and status filter, as typed. */
  th_gui_set_text ("library-search", "nothing like this");
  th_gui_wait (library_has, GUINT_TO_POINTER (0), 5000, "no match");
  th_gui_screenshot (NULL, "library-no-match");
  th_gui_set_text ("library-search", "SERVE");
  th_gui_wait (library_has, GUINT_TO_POINTER (1), 5000, "a match");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (th_gui_find ("library-status")), 3);   /* reviewed */
  th_gui_wait (library_has, GUINT_TO_POINTER (0), 5000, "no reviewed video");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (th_gui_find ("library-status")), 2);   /* pending */
  th_gui_wait (library_has, GUINT_TO_POINTER (1), 5000, "the pending video");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (th_gui_find ("library-status")), 0);
  th_gui_set_text ("library-search", "");
}

static gboolean
asset_loaded (gpointer data)
{
  TgAssetPage *page = TG_ASSET_PAGE (th_gui_find ("asset-page"));
  JsonObject *asset = tg_asset_page_get_asset (page);
  return asset != NULL && g_strcmp0 (tg_json_string (asset, "status"), data) == 0 &&
         tg_asset_page_get_video_id (page) != NULL;
}

static void
open_first_asset (void)
{
  GtkWidget *grid = th_gui_find ("library-grid");
  g_signal_emit_by_name (grid, "activate", 0);
  th_gui_wait_page ("asset");
}

static void
test_open_asset (void)
{
  open_first_asset ();
  th_gui_wait (asset_loaded, "pending", 15000, "the asset");
  TgAssetPage *page = TG_ASSET_PAGE (th_gui_find ("asset-page"));
  g_assert_cmpstr (tg_json_string (tg_asset_page_get_asset (page), "name"), ==, "First serve");
  /* Students do not mark their own videos reviewed. */
  g_assert_false (gtk_widget_get_visible (th_gui_find ("asset-finalize")));
  th_gui_screenshot (NULL, "asset-student");

  /* Two videos: picked from the drop-down. */
  GtkWidget *videos = th_gui_find ("asset-videos");
  g_assert_true (gtk_widget_get_visible (videos));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (videos))), ==, 2);
  g_autofree char *first = g_strdup (tg_asset_page_get_video_id (page));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (videos), 1);
  g_assert_cmpstr (tg_asset_page_get_video_id (page), !=, first);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (th_gui_find ("asset-video-details"))), "vp9.webm"));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (videos), 0);
  g_assert_cmpstr (tg_asset_page_get_video_id (page), ==, first);
}

#ifdef TANDEM_HAVE_PLAYER_VIEW
/* ---- the embedded review player (as tests/gui/player/test-player.c
 * drives it) ---- */

#define NS_PER_MS G_GINT64_CONSTANT (1000000)

static TgPlayerView *
asset_player (void)
{
  return TG_PLAYER_VIEW (th_gui_find ("asset-player-view"));
}

static gboolean
player_view_ready (gpointer data)
{
  GtkWidget *view = th_gui_lookup (data);
  return view != NULL && gtk_widget_get_mapped (view) && tg_player_view_get_ready (TG_PLAYER_VIEW (view));
}

static gboolean
player_settled (gpointer data)
{
  return tg_player_get_ready (data) && !tg_player_get_busy (data);
}

static void
wait_settled (TgPlayer *player)
{
  th_gui_wait (player_settled, player, 15000, "the player to settle");
  th_gui_spin (100);
}

typedef struct {
  TgPlayer *player;
  gint64 until;
} Past;

static gboolean
position_past (gpointer data)
{
  Past *p = data;
  return tg_player_get_position (p->player) >= p->until;
}

typedef struct {
  TgPlayerView *view;
  guint count;
} CountWait;

static gboolean
has_n_reviews (gpointer data)
{
  CountWait *w = data;
  return g_list_model_get_n_items (tg_video_doc_get_reviews (tg_player_view_get_doc (w->view))) == w->count;
}

static gboolean
panel_idle (gpointer data)
{
  TgPlayerView *view = data;
  GtkWidget *entry = th_player_find_widget (GTK_WIDGET (tg_player_view_get_panel (view)), GTK_TYPE_ENTRY);
  return gtk_editable_get_editable (GTK_EDITABLE (entry)) &&
         !tg_player_get_busy (tg_player_view_get_player (view));
}

/* On the asset page of the uploaded, processed video: the embedded player
 * shows its first frame, plays, steps a frame each way, and takes a
 * comment with a drawing at that frame, which the server then has. */
static void
test_asset_player (void)
{
  TgAssetPage *page = TG_ASSET_PAGE (th_gui_find ("asset-page"));
  th_gui_wait (asset_loaded, "pending", 15000, "the asset");
  th_gui_wait (player_view_ready, "asset-player-view", 20000, "the player's first frame");
  TgPlayerView *view = asset_player ();
  TgPlayer *player = tg_player_view_get_player (view);
  wait_settled (player);
  g_assert_cmpint (tg_player_get_position (player), ==, 0);
  gint64 frame = tg_player_get_frame_duration (player);
  g_assert_cmpint (frame, >, 0);

  /* Plays (the position advances), then pauses. */
  th_player_press_key (GTK_WIDGET (view), GDK_KEY_space, 0);
  g_assert_true (tg_player_get_playing (player));
  Past p = { player, 300 * NS_PER_MS };
  th_gui_wait (position_past, &p, 5000, "playback to advance");
  th_player_press_key (GTK_WIDGET (view), GDK_KEY_k, 0);
  g_assert_false (tg_player_get_playing (player));
  wait_settled (player);

  /* One frame forward, one back. */
  gint64 was = tg_player_get_position (player);
  th_player_press_key (GTK_WIDGET (view), GDK_KEY_Right, 0);
  wait_settled (player);
  /* (WebM keeps times to the millisecond: a 30 fps frame is 33 or 34 ms.) */
  g_assert_cmpint (ABS (tg_player_get_position (player) - was - frame), <=, NS_PER_MS);
  th_player_press_key (GTK_WIDGET (view), GDK_KEY_Left, 0);
  wait_settled (player);
  g_assert_cmpint (ABS (tg_player_get_position (player) - was), <=, NS_PER_MS);
  gint64 at_ms = tg_player_view_get_position_ms (view);
  g_assert_cmpint (at_ms, >=, 300);

  /* A comment with a drawing at this frame, through the view's widgets. */
  TgVideoArea *area = tg_player_view_get_video_area (view);
  TgReviewPanel *panel = tg_player_view_get_panel (view);
  gtk_widget_activate_action (GTK_WIDGET (view), "player.tool", "s", "arrow");
  g_assert_cmpint (tg_video_area_get_tool (area), ==, TG_TOOL_ARROW);
  th_player_drag (area, 0.2, 0.8, 0.45, 0.55);
  gtk_widget_activate_action (GTK_WIDGET (view), "player.tool", "s", "circle");
  th_player_drag (area, 0.55, 0.2, 0.85, 0.5);
  g_assert_cmpuint (tg_drawing_get_n_shapes (tg_video_area_get_edit_drawing (area)), ==, 2);
  CountWait w = { view, g_list_model_get_n_items (tg_video_doc_get_reviews (tg_player_view_get_doc (view))) + 1 };
  tg_review_panel_set_text (panel, "Toss a little higher");
  tg_review_panel_send (panel);
  th_gui_wait (has_n_reviews, &w, 10000, "the review");
  th_gui_wait (panel_idle, view, 10000, "the review pane");
  g_assert_cmpuint (tg_drawing_get_n_shapes (tg_video_area_get_edit_drawing (area)), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (view), "player.tool", "s", "none");

  /* On the server: at that frame, with the drawing. */
  g_autofree char *path = g_strdup_printf ("/assets/%s/videos/%s/reviews",
                                           tg_json_string (tg_asset_page_get_asset (page), "id"),
                                           tg_asset_page_get_video_id (page));
  g_autoptr(ThResponse) list = th_request (ts, "GET", path, admin_token, NULL);
  g_assert_cmpuint (list->status, ==, 200);
  gboolean found = FALSE;
  for (guint i = 0; i < th_json_len (list, "items") && !found; i++)
    {
      g_autofree char *text = g_strdup_printf ("items.%u.text", i);
      if (g_strcmp0 (th_json_str (list, text), "Toss a little higher") != 0)
        continue;
      found = TRUE;
      g_autofree char *at = g_strdup_printf ("items.%u.at_ms", i);
      g_autofree char *shapes = g_strdup_printf ("items.%u.drawing.shapes", i);
      g_autofree char *kind0 = g_strdup_printf ("items.%u.drawing.shapes.0.kind", i);
      g_autofree char *kind1 = g_strdup_printf ("items.%u.drawing.shapes.1.kind", i);
      g_assert_cmpint (th_json_int (list, at), ==, at_ms);
      g_assert_cmpuint (th_json_len (list, shapes), ==, 2);
      g_assert_cmpstr (th_json_str (list, kind0), ==, "arrow");
      g_assert_cmpstr (th_json_str (list, kind1), ==, "circle");
    }
  g_assert_true (found);
  g_assert_cmpuint (tg_video_area_get_n_drawings (area), >=, 1);
  th_gui_spin (200);
  g_autofree char *shot = th_gui_screenshot (NULL, "asset-player");
}
#endif

static void
test_review_as_coach (void)
{
  sign_out ();
  sign_in (COACH_EMAIL);
  open_group ();
  th_gui_wait (library_has, GUINT_TO_POINTER (2), 15000, "the student's two videos");
  open_first_asset ();
  th_gui_wait (asset_loaded, "pending", 15000, "the asset");
  g_assert_true (gtk_widget_get_visible (th_gui_find ("asset-finalize")));
  th_gui_screenshot (NULL, "asset");

  th_gui_click ("asset-finalize");
  th_gui_wait (asset_loaded, "completed", 15000, "the reviewed asset");
  g_assert_false (gtk_widget_get_visible (th_gui_find ("asset-finalize")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (th_gui_find ("asset-status"))), ==, "Reviewed");

  gtk_widget_activate_action (GTK_WIDGET (th_gui_window ()), "win.show-group", NULL);
  th_gui_wait_page ("group");
  tg_library_view_reload (library ());
  th_gui_wait (library_has, GUINT_TO_POINTER (2), 15000, "the library");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (th_gui_find ("library-status")), 3);   /* reviewed */
  th_gui_wait (library_has, GUINT_TO_POINTER (1), 5000, "the reviewed video");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (th_gui_find ("library-status")), 0);

  /* Both thumbnails, both states: the library as a coach sees it. */
  th_gui_wait (library_has, GUINT_TO_POINTER (2), 5000, "both videos");
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(TgAsset) asset = g_list_model_get_item (tg_library_view_get_shown (library ()), i);
      th_gui_wait (thumbnail_shown, asset, 15000, "the thumbnails");
    }
  th_gui_screenshot (NULL, "library-coach");

  /* Dark mode is the desktop's choice: the app leaves the scheme at its
   * default, and the screens hold up when the desktop prefers dark. */
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_DEFAULT);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  th_gui_screenshot (NULL, "library-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

static gboolean
sending_half (gpointer data)
{
  return tg_upload_get_fraction (data) >= 0.3 || upload_finished (data);
}

static gboolean
record_count_is (gpointer data)
{
  g_autofree char *records = g_build_filename (home, "state", "tandem", "uploads", NULL);
  g_autoptr(GDir) dir = g_dir_open (records, 0, NULL);
  guint n = 0;
  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n == GPOINTER_TO_UINT (data);
}

static void
test_upload_resume (void)
{
  GSettings *settings = tg_application_get_settings (tg_application_get_default ());
  g_autofree char *video = th_media_make (video_dir, TH_MEDIA_MP4_H264_AAC);
  GStatBuf st;
  g_assert_cmpint (g_stat (video, &st), ==, 0);

  /* Slow enough to stop half-way: the whole file in about 3 s. */
  g_settings_set_uint64 (settings, "upload-rate-limit", MAX ((guint64) st.st_size / 3, 16 * 1024));
  TgUpload *upload = g_object_ref (upload_file (video, "Second serve"));
  th_gui_wait (sending_half, upload, 20000, "part of the upload");
  g_assert_cmpint (tg_upload_get_phase (upload), ==, TG_UPLOAD_SENDING);
  th_gui_screenshot (NULL, "uploads-progress");

  /* The app quits: the upload pauses and keeps its record. */
  g_autofree char *asset_id = g_strdup (tg_upload_get_asset_id (upload));
  tg_upload_manager_stop (uploads ());
  g_assert_cmpint (tg_upload_get_phase (upload), ==, TG_UPLOAD_PAUSED);
  th_gui_wait (record_count_is, GUINT_TO_POINTER (1), 5000, "the resume record");
  g_object_unref (upload);

  /* Started again: a new manager finds the record and carries on from the
   * server's offset, then the asset is complete. */
  g_settings_set_uint64 (settings, "upload-rate-limit", 0);
  g_autoptr(TgUploadManager) again = tg_upload_manager_new (session (), settings);
  tg_upload_manager_resume_pending (again);
  while (g_list_model_get_n_items (tg_upload_manager_get_uploads (again)) == 0)
    th_gui_spin (20);
  g_autoptr(TgUpload) resumed = g_list_model_get_item (tg_upload_manager_get_uploads (again), 0);
  g_assert_cmpstr (tg_upload_get_asset_id (resumed), ==, asset_id);
  th_gui_wait (upload_finished, resumed, 30000, "the resumed upload");
  g_assert_cmpint (tg_upload_get_phase (resumed), ==, TG_UPLOAD_DONE);
  th_gui_wait (record_count_is, GUINT_TO_POINTER (0), 5000, "no record left");

  g_autofree char *path = g_strdup_printf ("/assets/%s", asset_id);
  g_autoptr(ThResponse) asset = th_request (ts, "GET", path, admin_token, NULL);
  g_assert_cmpstr (th_json_str (asset, "status"), ==, "pending");
  g_assert_cmpint (th_json_int (asset, "videos.0.size"), ==, st.st_size);
}

static void
test_upload_cancel (void)
{
  GSettings *settings = tg_application_get_settings (tg_application_get_default ());
  g_autofree char *video = th_media_make (video_dir, TH_MEDIA_MKV_H264_VORBIS);
  GStatBuf st;
  g_assert_cmpint (g_stat (video, &st), ==, 0);

  g_settings_set_uint64 (settings, "upload-rate-limit", MAX ((guint64) st.st_size / 3, 16 * 1024));
  TgUpload *upload = upload_file (video, "Cancelled serve");
  th_gui_wait (sending_half, upload, 20000, "part of the upload");
  g_autofree char *asset_id = g_strdup (tg_upload_get_asset_id (upload));
  tg_upload_cancel (upload);
  g_assert_cmpint (tg_upload_get_phase (upload), ==, TG_UPLOAD_CANCELLED);
  th_gui_wait (record_count_is, GUINT_TO_POINTER (0), 5000, "no record left");
  g_settings_set_uint64 (settings, "upload-rate-limit", 0);

  /* The asset is gone from the server. */
  g_autofree char *path = g_strdup_printf ("/assets/%s", asset_id);
  for (guint i = 0;; i++)
    {
      g_autoptr(ThResponse) r = th_request (ts, "GET", path, admin_token, NULL);
      if (r->status == 404)
        break;
      g_assert_cmpuint (i, <, 200);
      th_gui_spin (25);
    }
  tg_upload_manager_clear_finished (uploads ());
}

static void
test_preferences (void)
{
  GSettings *settings = tg_application_get_settings (tg_application_get_default ());

  g_action_group_activate_action (G_ACTION_GROUP (tg_application_get_default ()), "preferences", NULL);
  GtkWidget *prefs = th_gui_wait_toplevel ("preferences-window");
  th_gui_screenshot (prefs, "preferences");

  /* Language: kept here and on the server (its e-mails follow). */
  adw_combo_row_set_selected (ADW_COMBO_ROW (th_gui_find ("prefs-language")), 2);
  g_autofree char *language = g_settings_get_string (settings, "language");
  g_assert_cmpstr (language, ==, "de");
  for (;;)
    {
      if (g_strcmp0 (tg_json_string (tg_session_get_user (session ()), "language"), "de") == 0)
        break;
      th_gui_spin (20);
    }

  /* A time zone that does not exist is refused; a real one is kept. */
  th_gui_set_text ("prefs-time-zone", "Mars/Olympus_Mons");
  g_signal_emit_by_name (th_gui_find ("prefs-time-zone"), "apply");
  g_autofree char *zone = g_settings_get_string (settings, "time-zone");
  g_assert_cmpstr (zone, ==, "");
  th_gui_set_text ("prefs-time-zone", "Europe/Berlin");
  g_signal_emit_by_name (th_gui_find ("prefs-time-zone"), "apply");
  g_free (zone);
  zone = g_settings_get_string (settings, "time-zone");
  g_assert_cmpstr (zone, ==, "Europe/Berlin");
  for (;;)
    {
      if (g_strcmp0 (tg_json_string (tg_session_get_user (session ()), "time_zone"), "Europe/Berlin") == 0)
        break;
      th_gui_spin (20);
    }
  gtk_window_close (GTK_WINDOW (prefs));
  g_settings_reset (settings, "language");
  g_settings_reset (settings, "time-zone");
}

static void
restored_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  int *outcome = user_data;
  g_autoptr(GError) error = NULL;
  *outcome = tg_session_restore_finish (TG_SESSION (source), result, &error) ? 1 : error == NULL ? 0 : -1;
}

static gboolean
outcome_known (gpointer data)
{
  return *(int *) data != 2;
}

static void
test_session_restore (void)
{
  /* What the next start does: the stored token signs in again. */
  g_autoptr(TgSession) next = tg_session_new ();
  int outcome = 2;
  g_assert_true (tg_session_set_server (next, ts->url, NULL));
  tg_session_restore_async (next, NULL, restored_cb, &outcome);
  th_gui_wait (outcome_known, &outcome, 15000, "the restored session");
  g_assert_cmpint (outcome, ==, 1);
  g_assert_cmpstr (tg_json_string (tg_session_get_user (next), "email"), ==, COACH_EMAIL);

  /* Signed out elsewhere: the app notices the 401 and asks to sign in. */
  g_autoptr(ThResponse) out = th_request (ts, "POST", "/auth/logout",
                                          tandem_api_client_get_token (tg_session_get_client (session ())), NULL);
  g_assert_cmpuint (out->status, ==, 204);
  gtk_widget_activate_action (GTK_WIDGET (th_gui_window ()), "win.refresh", NULL);
  th_gui_wait (signed_in, GINT_TO_POINTER (FALSE), 15000, "the session to end");
  th_gui_wait_page ("sign-in");
  outcome = 2;
  g_autoptr(TgSession) after = tg_session_new ();
  g_assert_true (tg_session_set_server (after, ts->url, NULL));
  tg_session_restore_async (after, NULL, restored_cb, &outcome);
  th_gui_wait (outcome_known, &outcome, 15000, "no session to restore");
  g_assert_cmpint (outcome, ==, 0);
}

static void
test_invite_parse (void)
{
  struct { const char *in; const char *out; } cases[] = {
    { "k7mx2q", "K7MX2Q" },
    { " K7M-X2Q ", "K7MX2Q" },
    { "tandem://invite/K7MX2Q", "K7MX2Q" },
    { "TANDEM://INVITE/k7mx2q/", "K7MX2Q" },
    { "https://tandem.example.org/invite/K7MX2Q", "K7MX2Q" },
    { "https://tandem.example.org/invite/K7MX2Q?x=1", "K7MX2Q" },
    { "tandem://groups/K7MX2Q", NULL },
    { "tandem://invite/../etc", NULL },
    { "abc", NULL },
    { "", NULL },
    { "K7MX2Q!", NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *code = tg_invite_page_parse (cases[i].in);
      g_assert_cmpstr (code, ==, cases[i].out);
    }
}

int
main (int    argc,
      char **argv)
{
  home = th_gui_init (&argc, &argv);
  video_dir = g_build_filename (home, "videos", NULL);
  g_mkdir_with_parents (video_dir, 0700);

  ts = th_server_start ();
  admin_token = th_register_admin (ts, "admin@club.example", "Club", NULL);
  g_free (th_add_user (ts, admin_token, COACH_EMAIL, "expert", NULL));
  th_gui_app_start ();

  g_test_add_func ("/Gui/invite-parse", test_invite_parse);
  g_test_add_func ("/Gui/sign-in", test_sign_in);
  g_test_add_func ("/Gui/create-group", test_create_group);
  g_test_add_func ("/Gui/invite", test_invite);
  g_test_add_func ("/Gui/register-with-invitation", test_register_with_invitation);
  g_test_add_func ("/Gui/upload", test_upload);
  g_test_add_func ("/Gui/library", test_library);
  g_test_add_func ("/Gui/open-asset", test_open_asset);
#ifdef TANDEM_HAVE_PLAYER_VIEW
  g_test_add_func ("/Gui/asset-player", test_asset_player);
#endif
  g_test_add_func ("/Gui/upload-resume", test_upload_resume);
  g_test_add_func ("/Gui/upload-cancel", test_upload_cancel);
  g_test_add_func ("/Gui/review-as-coach", test_review_as_coach);
  g_test_add_func ("/Gui/preferences", test_preferences);
  g_test_add_func ("/Gui/session-restore", test_session_restore);
  int status = g_test_run ();

  th_gui_app_stop ();
  th_server_stop (ts);
  g_free (admin_token);
  g_free (group_id);
  g_free (invite_code);
  g_free (video_dir);
  return status;
}
