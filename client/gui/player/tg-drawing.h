/* tg-drawing.h — the drawings of reviews: shapes over the video frame in
 * normalized coordinates, their JSON (the server's format, see
 * signald/api/sd-drawing.h) and how they are painted.
 *
 *   {"shapes":[{"kind":"stroke","points":[[x,y],…],"color":"#rrggbb","width":w},
 *              {"kind":"arrow","from":[x,y],"to":[x,y],…},
 *              {"kind":"circle","from":[x,y],"to":[x,y],…},   ellipse in the box
 *              {"kind":"rect","from":[x,y],"to":[x,y],…},
 *              {"kind":"text","at":[x,y],"text":"…",…}]}
 *
 * [0, 0] is the top-left corner of the picture, [1, 1] the bottom-right
 * one; "width" is a line width, or for text the letter height, as a
 * fraction of the picture's height.  A straight line is a stroke of two
 * points.
 *
 * TgDrawing is a reference-counted list of shapes; drawings received from
 * the server are never changed, the one being drawn grows shape by shape. */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  TG_SHAPE_STROKE,
  TG_SHAPE_ARROW,
  TG_SHAPE_CIRCLE,
  TG_SHAPE_RECT,
  TG_SHAPE_TEXT,
} TgShapeKind;

/* Limits of the server (sd-drawing.h). */
#define TG_DRAWING_MAX_SHAPES        200
#define TG_DRAWING_MAX_STROKE_POINTS 2000
#define TG_DRAWING_MAX_TEXT_CHARS    500

#define TG_DRAWING_DEFAULT_WIDTH      0.008  /* lines: under 1 % of the height */
#define TG_DRAWING_DEFAULT_TEXT_WIDTH 0.05   /* letters: 5 % of the height */

typedef struct {
  TgShapeKind kind;
  GArray *points;   /* graphene_point_t, normalized: a stroke's points; from and
                     * to of arrow, circle, rect; "at" of text */
  char *text;       /* text only */
  GdkRGBA color;
  double width;
} TgShape;

/* A shape of @kind without points.  @color NULL means red. */
TgShape    *tg_shape_new              (TgShapeKind     kind,
                                       const GdkRGBA  *color,
                                       double          width);
void        tg_shape_free             (TgShape        *shape);
/* Appends a point, clamped into [0, 1]. */
void        tg_shape_add_point        (TgShape        *shape,
                                       double          x,
                                       double          y);
/* Moves the last point (the end of a line, arrow, box being dragged). */
void        tg_shape_set_last_point   (TgShape        *shape,
                                       double          x,
                                       double          y);
/* Whether the shape has what its kind needs (2 points for arrows and
 * boxes, one for strokes, a point and some text for text). */
gboolean    tg_shape_is_complete      (const TgShape  *shape);

#define TG_TYPE_DRAWING (tg_drawing_get_type ())

typedef struct _TgDrawing TgDrawing;

GType       tg_drawing_get_type       (void) G_GNUC_CONST;

TgDrawing  *tg_drawing_new            (void);
TgDrawing  *tg_drawing_ref            (TgDrawing      *drawing);
void        tg_drawing_unref          (TgDrawing      *drawing);

/* Reads a drawing as the server sends it.  Shapes it does not understand
 * are skipped (a newer server may know more kinds); fails with
 * G_IO_ERROR_INVALID_DATA only when @node is not an object with a
 * "shapes" array. */
TgDrawing  *tg_drawing_new_from_json  (JsonNode       *node,
                                       GError        **error);
/* The JSON the server accepts (coordinates with 4 decimals). */
JsonNode   *tg_drawing_to_json        (TgDrawing      *drawing);

guint       tg_drawing_get_n_shapes   (TgDrawing      *drawing);
const TgShape *tg_drawing_get_shape   (TgDrawing      *drawing,
                                       guint           index);
/* Takes @shape; shapes past TG_DRAWING_MAX_SHAPES are dropped. */
void        tg_drawing_add_shape      (TgDrawing      *drawing,
                                       TgShape        *shape);
/* Removes the last shape (undo); FALSE when there was none. */
gboolean    tg_drawing_remove_last    (TgDrawing      *drawing);
void        tg_drawing_clear          (TgDrawing      *drawing);

/* Paints @shape (may be NULL) and the shapes of @drawing (may be NULL) with
 * cairo, mapping [0, 1]² onto @frame (pixels of @cr). */
void        tg_shape_paint            (const TgShape          *shape,
                                       cairo_t                *cr,
                                       const graphene_rect_t  *frame);
void        tg_drawing_paint          (TgDrawing              *drawing,
                                       cairo_t                *cr,
                                       const graphene_rect_t  *frame);

/* "#rrggbb" for @color (alpha ignored), and back; FALSE when @text is not
 * such a colour. */
char       *tg_color_to_hex           (const GdkRGBA  *color);
gboolean    tg_color_from_hex         (const char     *text,
                                       GdkRGBA        *color);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TgDrawing, tg_drawing_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TgShape, tg_shape_free)

G_END_DECLS
