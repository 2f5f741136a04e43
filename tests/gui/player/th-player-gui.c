/* th-player-gui.c — GUI test helpers; see th-player-gui.h. */
#include "th-player-gui.h"

#include <glib/gstdio.h>

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
th_player_wait (ThPlayerCondition condition,
             gpointer       data,
             guint          timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  /* Wake at least every 20 ms, so that the timeout is checked. */
  guint ticker = g_timeout_add (20, tick, NULL);
  gboolean held;
  while (!(held = condition (data)) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (ticker);
  return held;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

void
th_player_spin (guint ms)
{
  th_player_wait (never, NULL, ms);
}

void
th_player_settle (void)
{
  th_player_spin (100);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

GtkWindow *
th_player_window (GtkWidget *child,
               int        width,
               int        height)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, width, height);
  gtk_window_set_child (window, child);
  gtk_window_present (window);
  th_player_settle ();
  return window;
}

void
th_player_close (GtkWindow *window)
{
  gtk_window_set_focus (window, NULL);
  th_player_settle ();
  gtk_window_destroy (window);
  th_player_settle ();
}

GdkTexture *
th_player_render (GtkWidget *widget)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GtkNative *native = gtk_widget_get_native (widget);
  if (width <= 0 || height <= 0 || native == NULL)
    return NULL;

  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  g_autoptr(GskRenderNode) node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return NULL;
  return gsk_renderer_render_texture (gtk_native_get_renderer (native), node,
                                      &GRAPHENE_RECT_INIT (0, 0, width, height));
}

char *
th_player_screenshot (GtkWidget  *widget,
                   const char *name)
{
  const char *dir = g_getenv ("TANDEM_TEST_ARTIFACTS");
  if (dir == NULL || *dir == '\0')
    dir = g_get_tmp_dir ();
  g_mkdir_with_parents (dir, 0755);
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  char *path = g_build_filename (dir, file, NULL);

  g_autoptr(GdkTexture) texture = th_player_render (widget);
  g_assert_nonnull (texture);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
  return path;
}

/* The texture's pixels as cairo ARGB32 (premultiplied, native endian). */
static guchar *
download (GdkTexture *texture,
          gsize      *stride)
{
  *stride = (gsize) gdk_texture_get_width (texture) * 4;
  guchar *data = g_malloc ((gsize) gdk_texture_get_height (texture) * *stride);
  gdk_texture_download (texture, data, *stride);
  return data;
}

static guint32
rgb_at (const guchar *data,
        gsize         stride,
        int           x,
        int           y)
{
  guint32 argb = *(const guint32 *) (data + (gsize) y * stride + (gsize) x * 4);
  return argb & 0xffffff;
}

guint32
th_player_pixel (GdkTexture *texture,
              int         x,
              int         y)
{
  gsize stride;
  g_autofree guchar *data = download (texture, &stride);
  return rgb_at (data, stride, x, y);
}

static gboolean
close_to (guint32 a,
          guint32 b,
          guint   tolerance)
{
  for (int shift = 0; shift <= 16; shift += 8)
    {
      int ca = (a >> shift) & 0xff, cb = (b >> shift) & 0xff;
      if ((guint) ABS (ca - cb) > tolerance)
        return FALSE;
    }
  return TRUE;
}

guint
th_player_count_color (GdkTexture            *texture,
                    guint32                rgb,
                    guint                  tolerance,
                    const graphene_rect_t *area)
{
  gsize stride;
  g_autofree guchar *data = download (texture, &stride);
  int w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);
  int x0 = 0, y0 = 0, x1 = w, y1 = h;
  if (area != NULL)
    {
      x0 = CLAMP ((int) area->origin.x, 0, w);
      y0 = CLAMP ((int) area->origin.y, 0, h);
      x1 = CLAMP ((int) (area->origin.x + area->size.width), 0, w);
      y1 = CLAMP ((int) (area->origin.y + area->size.height), 0, h);
    }
  guint n = 0;
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      if (close_to (rgb_at (data, stride, x, y), rgb, tolerance))
        n++;
  return n;
}

void
th_player_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      const char *name;
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          th_player_remove_tree (child);
        }
    }
  g_remove (path);
}

void
th_player_press_key (GtkWidget       *widget,
           guint            keyval,
           GdkModifierType  modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);
      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      GListModel *shortcuts = G_LIST_MODEL (controller);
      for (guint j = 0; j < g_list_model_get_n_items (shortcuts); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (shortcuts, j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == modifiers)
            {
              g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                           gtk_shortcut_get_arguments (shortcut)));
              return;
            }
        }
    }
  g_error ("no key binding for %s", gdk_keyval_name (keyval));
}

void
th_player_frame_point (TgVideoArea *area,
             double       nx,
             double       ny,
             double      *x,
             double      *y)
{
  graphene_rect_t frame;
  tg_video_area_get_frame_rect (area, &frame);
  *x = frame.origin.x + nx * frame.size.width;
  *y = frame.origin.y + ny * frame.size.height;
}

void
th_player_drag (TgVideoArea *area,
      double       x0,
      double       y0,
      double       x1,
      double       y1)
{
  double ax, ay, bx, by;
  th_player_frame_point (area, x0, y0, &ax, &ay);
  th_player_frame_point (area, x1, y1, &bx, &by);
  tg_video_area_pointer_begin (area, ax, ay);
  for (int i = 1; i <= 8; i++)
    tg_video_area_pointer_update (area, ax + (bx - ax) * i / 8.0, ay + (by - ay) * i / 8.0);
  tg_video_area_pointer_end (area, bx, by);
}

GtkWidget *
th_player_find_widget (GtkWidget *root,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = th_player_find_widget (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}
