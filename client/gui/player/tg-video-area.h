/* tg-video-area.h — the picture of the player: a video paintable fitted
 * into the widget (letterboxed on black), optionally a second one over it
 * at some opacity (the compare overlay), the drawings of reviews over the
 * picture, and the drawing tools.
 *
 * With a tool chosen and editable set, a drag over the picture draws a
 * freehand stroke, a line, an arrow, an ellipse or a rectangle, and a click
 * with the text tool asks for a text at that point; the shapes collect in
 * the area's edit drawing until the review is sent (or undone, or
 * cleared).  Coordinates are normalized to the picture, so a drawing fits
 * the video at any window size. */
#pragma once

#include <gtk/gtk.h>

#include "tg-drawing.h"

G_BEGIN_DECLS

typedef enum {
  TG_TOOL_NONE,       /* clicks go to the player (focus) */
  TG_TOOL_FREEHAND,
  TG_TOOL_LINE,
  TG_TOOL_ARROW,
  TG_TOOL_CIRCLE,
  TG_TOOL_RECT,
  TG_TOOL_TEXT,
} TgTool;

#define TG_TYPE_TOOL (tg_tool_get_type ())
GType tg_tool_get_type (void) G_GNUC_CONST;

#define TG_TYPE_VIDEO_AREA (tg_video_area_get_type ())

G_DECLARE_FINAL_TYPE (TgVideoArea, tg_video_area, TG, VIDEO_AREA, GtkWidget)

GtkWidget    *tg_video_area_new                 (void);

void          tg_video_area_set_paintable       (TgVideoArea  *self,
                                                 GdkPaintable *paintable);
GdkPaintable *tg_video_area_get_paintable       (TgVideoArea  *self);
/* A second picture drawn over the first at @opacity (0–1); NULL for none. */
void          tg_video_area_set_overlay         (TgVideoArea  *self,
                                                 GdkPaintable *paintable);
void          tg_video_area_set_overlay_opacity (TgVideoArea  *self,
                                                 double        opacity);
double        tg_video_area_get_overlay_opacity (TgVideoArea  *self);

/* The drawings shown now (other reviews' at their moment); the area keeps
 * references.  @drawings may be NULL or empty. */
void          tg_video_area_set_drawings        (TgVideoArea  *self,
                                                 GPtrArray    *drawings);
guint         tg_video_area_get_n_drawings      (TgVideoArea  *self);

void          tg_video_area_set_tool            (TgVideoArea  *self,
                                                 TgTool        tool);
TgTool        tg_video_area_get_tool            (TgVideoArea  *self);
void          tg_video_area_set_color           (TgVideoArea   *self,
                                                 const GdkRGBA *color);
const GdkRGBA *tg_video_area_get_color          (TgVideoArea  *self);

/* What the other side of a call draws (review together), painted under
 * the edit drawing; NULL for none.  The area keeps a reference; the
 * drawing must not change while shown (set a new one instead). */
void          tg_video_area_set_peer_drawing    (TgVideoArea  *self,
                                                 TgDrawing    *drawing);
TgDrawing    *tg_video_area_get_peer_drawing    (TgVideoArea  *self);

/* The shapes drawn so far (owned by the area; changes emit "changed"). */
TgDrawing    *tg_video_area_get_edit_drawing    (TgVideoArea  *self);
void          tg_video_area_clear_edit          (TgVideoArea  *self);
gboolean      tg_video_area_undo                (TgVideoArea  *self);

/* Where the picture is, in widget coordinates. */
void          tg_video_area_get_frame_rect      (TgVideoArea      *self,
                                                 graphene_rect_t  *rect);

/* The pointer actions behind the gestures, in widget coordinates: press,
 * move, release draw one shape with the current tool.  With the text tool
 * tg_video_area_pointer_begin() asks for the text at that point; give it
 * with tg_video_area_add_text() (the popover's entry does). */
void          tg_video_area_pointer_begin       (TgVideoArea *self,
                                                 double       x,
                                                 double       y);
void          tg_video_area_pointer_update      (TgVideoArea *self,
                                                 double       x,
                                                 double       y);
void          tg_video_area_pointer_end         (TgVideoArea *self,
                                                 double       x,
                                                 double       y);
/* Adds a text shape where the text tool was last pressed. */
void          tg_video_area_add_text            (TgVideoArea *self,
                                                 const char  *text);

G_END_DECLS
