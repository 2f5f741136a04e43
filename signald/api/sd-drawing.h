/* sd-drawing.h — the drawing annotations of a review: validation and the
 * canonical form that is stored.
 *
 * A drawing is an object with one member, "shapes", an array of at most
 * SD_DRAWING_MAX_SHAPES shapes drawn in order over the video frame.  All
 * coordinates are normalized frame coordinates: [x, y] arrays of two numbers
 * in [0, 1], where [0, 0] is the top-left corner of the picture and [1, 1]
 * the bottom-right one, whatever the video's resolution.
 *
 *   {"kind":"stroke", "points":[[x,y],…]}      freehand line, 1..2000 points
 *   {"kind":"arrow",  "from":[x,y], "to":[x,y]} arrow with its head at "to"
 *   {"kind":"circle", "from":[x,y], "to":[x,y]} ellipse inscribed in the box
 *                                               with corners from and to (a
 *                                               circle on screen when the box
 *                                               is square in pixels)
 *   {"kind":"rect",   "from":[x,y], "to":[x,y]} rectangle with these corners
 *   {"kind":"text",   "at":[x,y], "text":"…"}   1..500 characters, top-left at
 *                                               "at"; line breaks allowed, no
 *                                               other control characters
 * Optional on every kind:
 *   "color"  "#rrggbb" (stored lowercase)
 *   "width"  line width (stroke, arrow, circle, rect) or text height (text),
 *            as a fraction of the frame's height: 0.0001 <= width <= 0.25
 * Anything else (another kind, an unknown member, a number out of range, too
 * many shapes or points) is refused with TANDEM_ERROR_INVALID_REQUEST (400)
 * whose message names the offending path, e.g. "drawing.shapes[3].points[7]".
 *
 * The canonical form keeps the members above in a fixed order, rounds
 * numbers to 4 decimals (under half a pixel at 4K) and lowercases colours, so
 * equal drawings are stored as equal text. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SD_DRAWING_MAX_SHAPES        200
#define SD_DRAWING_MAX_STROKE_POINTS 2000
#define SD_DRAWING_MAX_TOTAL_POINTS  20000
#define SD_DRAWING_MAX_TEXT_CHARS    500
#define SD_DRAWING_MAX_WIDTH         0.25

/* Validate @drawing (the request's "drawing" member; @path names it in
 * errors, e.g. "drawing") and return its canonical JSON text, newly
 * allocated.  Returns NULL with @error set when it is not a valid drawing.
 * Never changes @drawing. */
char     *sd_drawing_canonicalize (JsonNode    *drawing,
                                   const char  *path,
                                   GError     **error);

/* Parse canonical text (as stored) back into a node, or NULL when @text is
 * NULL or not JSON (which a stored drawing never is). */
JsonNode *sd_drawing_parse        (const char  *text);

G_END_DECLS
