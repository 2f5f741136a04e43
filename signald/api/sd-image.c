/* sd-image.c — avatar validation (GdkPixbuf) and QR codes (libqrencode +
 * libpng).  The contract is in sd-image.h. */
#define G_LOG_DOMAIN "sd-image"

#include "api/sd-image.h"

#include "tandem-error.h"

#include <errno.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <png.h>
#include <qrencode.h>
#include <string.h>

/* ---- avatars ---- */

const char *
sd_image_upload_format (const char *content_type)
{
  if (content_type == NULL)
    return NULL;
  g_autofree char *bare = g_strndup (content_type, strcspn (content_type, ";"));
  g_strstrip (bare);
  if (g_ascii_strcasecmp (bare, "image/png") == 0)
    return "png";
  if (g_ascii_strcasecmp (bare, "image/jpeg") == 0 || g_ascii_strcasecmp (bare, "image/jpg") == 0)
    return "jpeg";
  return NULL;
}

static gboolean
has_prefix (const guint8 *data,
            gsize         size,
            gsize         offset,
            const char   *magic,
            gsize         magic_len)
{
  return size >= offset + magic_len && memcmp (data + offset, magic, magic_len) == 0;
}

/* The format the bytes say they are: "png", "jpeg", the name of another
 * image format we refuse, or NULL when they look like nothing known. */
static const char *
sniff_format (const guint8 *d,
              gsize         n)
{
  if (has_prefix (d, n, 0, "\x89PNG\r\n\x1a\n", 8))
    return "png";
  if (has_prefix (d, n, 0, "\xff\xd8\xff", 3))
    return "jpeg";
  if (has_prefix (d, n, 0, "GIF87a", 6) || has_prefix (d, n, 0, "GIF89a", 6))
    return "GIF";
  if (has_prefix (d, n, 0, "RIFF", 4) && has_prefix (d, n, 8, "WEBP", 4))
    return "WebP";
  if (has_prefix (d, n, 4, "ftyp", 4))
    return "HEIF/AVIF";
  if (has_prefix (d, n, 0, "BM", 2))
    return "BMP";
  if (has_prefix (d, n, 0, "II*\0", 4) || has_prefix (d, n, 0, "MM\0*", 4))
    return "TIFF";
  if (has_prefix (d, n, 0, "\0\0\1\0", 4))
    return "ICO";
  if (has_prefix (d, n, 0, "<svg", 4) || has_prefix (d, n, 0, "<?xml", 5))
    return "SVG";
  return NULL;
}

/* Does the PNG run through its chunks to IEND?  gdk-pixbuf decodes a
 * cut-off PNG without complaint, filling what is missing. */
static gboolean
png_complete (const guint8 *d,
              gsize         n)
{
  gsize pos = 8;
  while (pos + 12 <= n)
    {
      guint32 len = (guint32) d[pos] << 24 | (guint32) d[pos + 1] << 16 | (guint32) d[pos + 2] << 8 | d[pos + 3];
      if (len > 0x7fffffffu || len > n - pos - 12)
        return FALSE;
      if (memcmp (d + pos + 4, "IEND", 4) == 0)
        return TRUE;
      pos += 12 + (gsize) len;
    }
  return FALSE;
}

static gboolean
is_rst_or_stuffing (guint8 second)
{
  return second == 0x00 || (second >= 0xd0 && second <= 0xd7);
}

/* Does the JPEG run through its marker segments and scans to EOI?  libjpeg
 * only warns about a premature end and makes up the missing rows. */
static gboolean
jpeg_complete (const guint8 *d,
               gsize         n)
{
  gsize pos = 2;  /* after SOI */
  while (pos + 1 < n)
    {
      if (d[pos] != 0xff)
        return FALSE;
      guint8 marker = d[pos + 1];
      if (marker == 0xff)
        {
          pos++;  /* fill byte */
          continue;
        }
      pos += 2;
      if (marker == 0xd9)
        return TRUE;  /* EOI */
      if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
        continue;     /* no length */
      if (pos + 2 > n)
        return FALSE;
      gsize len = (gsize) d[pos] << 8 | d[pos + 1];
      if (len < 2 || len > n - pos)
        return FALSE;
      pos += len;
      if (marker == 0xda)
        /* Entropy-coded data runs to the next marker that is neither a
         * stuffed 0xff nor a restart. */
        while (pos + 1 < n && !(d[pos] == 0xff && !is_rst_or_stuffing (d[pos + 1])))
          pos++;
    }
  return FALSE;
}

typedef struct {
  gboolean too_large;
  int width;
  int height;
} SizeCheck;

static void
on_size_prepared (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  SizeCheck *check = user_data;
  check->width = width;
  check->height = height;
  if (width <= 0 || height <= 0 || width > SD_IMAGE_MAX_SIDE || height > SD_IMAGE_MAX_SIDE)
    {
      /* A size of zero makes the loader stop before it allocates pixels. */
      check->too_large = TRUE;
      gdk_pixbuf_loader_set_size (loader, 0, 0);
    }
}

static GdkPixbuf *
decode (const char    *format,
        const guint8  *data,
        gsize          size,
        GError       **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type (format, &local);
  SizeCheck check = { 0 };

  if (loader == NULL)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INTERNAL,
                   "this server cannot read %s images: %s", format, local->message);
      return NULL;
    }
  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), &check);

  gboolean ok = gdk_pixbuf_loader_write (loader, data, size, &local);
  /* Always close: it finishes decoding and reports truncated data. */
  gboolean closed = gdk_pixbuf_loader_close (loader, ok ? &local : NULL);
  g_signal_handlers_disconnect_by_data (loader, &check);

  if (check.too_large)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                   "the image is %d×%d pixels; it may be at most %d×%d",
                   check.width, check.height, SD_IMAGE_MAX_SIDE, SD_IMAGE_MAX_SIDE);
      return NULL;
    }
  GdkPixbuf *pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (!ok || !closed || pixbuf == NULL)
    {
      g_debug ("avatar rejected: %s", local != NULL ? local->message : "no image");
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                   "the image could not be read; it is damaged or not really a %s file",
                   g_str_equal (format, "png") ? "PNG" : "JPEG");
      return NULL;
    }
  return g_object_ref (pixbuf);
}

GBytes *
sd_image_avatar_from_upload (const char  *content_type,
                             GBytes      *data,
                             GError     **error)
{
  const char *declared = sd_image_upload_format (content_type);
  gsize size = 0;
  const guint8 *bytes = data != NULL ? g_bytes_get_data (data, &size) : NULL;

  if (declared == NULL)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_UNSUPPORTED_MEDIA,
                   "send the picture as image/png or image/jpeg (got %s)",
                   content_type != NULL ? content_type : "no Content-Type");
      return NULL;
    }
  if (size == 0)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                           "the body is empty; send the picture's bytes");
      return NULL;
    }

  /* Decode by what the bytes are (PNG and JPEG alike), so a JPEG sent as
   * image/png still works; anything else never reaches a decoder. */
  const char *actual = sniff_format (bytes, size);
  if (actual == NULL)
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                           "the data is not a PNG or JPEG image");
      return NULL;
    }
  if (!g_str_equal (actual, "png") && !g_str_equal (actual, "jpeg"))
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_UNSUPPORTED_MEDIA,
                   "this is a %s image; only PNG and JPEG pictures can be used", actual);
      return NULL;
    }

  if (g_str_equal (actual, "png") ? !png_complete (bytes, size) : !jpeg_complete (bytes, size))
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_VALIDATION,
                   "the %s image is incomplete or damaged; upload the whole file",
                   g_str_equal (actual, "png") ? "PNG" : "JPEG");
      return NULL;
    }

  g_autoptr(GdkPixbuf) decoded = decode (actual, bytes, size, error);
  if (decoded == NULL)
    return NULL;
  g_autoptr(GdkPixbuf) upright = gdk_pixbuf_apply_embedded_orientation (decoded);
  if (upright == NULL)
    upright = g_object_ref (decoded);

  int w = gdk_pixbuf_get_width (upright);
  int h = gdk_pixbuf_get_height (upright);
  int longest = MAX (w, h);
  g_autoptr(GdkPixbuf) scaled = NULL;
  if (longest > SD_IMAGE_AVATAR_SIDE)
    {
      int sw = MAX (1, (int) ((gint64) w * SD_IMAGE_AVATAR_SIDE + longest / 2) / longest);
      int sh = MAX (1, (int) ((gint64) h * SD_IMAGE_AVATAR_SIDE + longest / 2) / longest);
      scaled = gdk_pixbuf_scale_simple (upright, sw, sh, GDK_INTERP_BILINEAR);
      if (scaled == NULL)
        {
          g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_INTERNAL, "could not scale the picture");
          return NULL;
        }
    }
  else
    scaled = g_object_ref (upright);

  /* A fresh pixbuf carries no options, so the PNG has no metadata. */
  gchar *out = NULL;
  gsize out_len = 0;
  g_autoptr(GError) local = NULL;
  if (!gdk_pixbuf_save_to_buffer (scaled, &out, &out_len, "png", &local, NULL))
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INTERNAL, "could not encode the picture: %s",
                   local->message);
      return NULL;
    }
  return g_bytes_new_take (out, out_len);
}

/* ---- QR codes ---- */

static void
png_write_to_array (png_structp png,
                    png_bytep   data,
                    size_t      length)
{
  g_byte_array_append (png_get_io_ptr (png), data, (guint) length);
}

static void
png_flush_nothing (png_structp png)
{
}

/* Kept apart so that nothing is live across setjmp() but the arguments. */
static gboolean
write_png (GByteArray *out,
           guint32     side,
           png_bytep  *rows)
{
  png_structp png = png_create_write_struct (PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  if (png == NULL)
    return FALSE;
  png_infop info = png_create_info_struct (png);
  if (info == NULL)
    {
      png_destroy_write_struct (&png, NULL);
      return FALSE;
    }
  if (setjmp (png_jmpbuf (png)))
    {
      png_destroy_write_struct (&png, &info);
      return FALSE;
    }
  png_set_write_fn (png, out, png_write_to_array, png_flush_nothing);
  png_set_IHDR (png, info, side, side, 1, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info (png, info);
  png_write_image (png, rows);
  png_write_end (png, NULL);
  png_destroy_write_struct (&png, &info);
  return TRUE;
}

GBytes *
sd_image_qr_png (const char  *text,
                 guint        module_px,
                 guint        quiet_modules,
                 GError     **error)
{
  g_return_val_if_fail (text != NULL && module_px > 0 && module_px <= 64 && quiet_modules <= 16, NULL);

  QRcode *qr = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (qr == NULL)
    {
      g_set_error (error, TANDEM_ERROR, TANDEM_ERROR_INTERNAL, "could not make a QR code: %s",
                   g_strerror (errno));
      return NULL;
    }

  guint modules = (guint) qr->width + 2 * quiet_modules;
  guint32 side = modules * module_px;
  gsize stride = (side + 7) / 8;
  /* 1-bit grayscale: a set bit is white.  Start all white, paint black. */
  g_autofree guint8 *pixels = g_malloc (stride * side);
  memset (pixels, 0xff, stride * side);
  for (int my = 0; my < qr->width; my++)
    for (int mx = 0; mx < qr->width; mx++)
      {
        if (!(qr->data[my * qr->width + mx] & 1))
          continue;
        guint x0 = ((guint) mx + quiet_modules) * module_px;
        guint y0 = ((guint) my + quiet_modules) * module_px;
        for (guint y = y0; y < y0 + module_px; y++)
          for (guint x = x0; x < x0 + module_px; x++)
            pixels[y * stride + x / 8] &= (guint8) ~(0x80u >> (x % 8));
      }
  QRcode_free (qr);

  g_autofree png_bytep *rows = g_new (png_bytep, side);
  for (guint32 y = 0; y < side; y++)
    rows[y] = pixels + y * stride;

  g_autoptr(GByteArray) out = g_byte_array_new ();
  if (!write_png (out, side, rows))
    {
      g_set_error_literal (error, TANDEM_ERROR, TANDEM_ERROR_INTERNAL, "could not encode the QR code as PNG");
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}
