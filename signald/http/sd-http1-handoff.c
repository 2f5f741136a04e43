/* sd-http1-handoff.c — the stream a handed-over connection reaches libsoup
 * through; see sd-http1-handoff.h. */
#define G_LOG_DOMAIN "sd-http"

#include "http/sd-http1-handoff.h"

#include <string.h>

/* ---- SdPrefixInputStream: @prefix, then the base stream ---- */

#define SD_TYPE_PREFIX_INPUT_STREAM (sd_prefix_input_stream_get_type ())
G_DECLARE_FINAL_TYPE (SdPrefixInputStream, sd_prefix_input_stream, SD, PREFIX_INPUT_STREAM, GInputStream)

struct _SdPrefixInputStream {
  GInputStream parent_instance;
  GInputStream *base;          /* pollable */
  GBytes *prefix;              /* NULL once read */
  gsize offset;
};

static void sd_prefix_input_stream_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SdPrefixInputStream, sd_prefix_input_stream, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      sd_prefix_input_stream_pollable_init))

/* Copies what is left of the prefix into @buffer; 0 when none is left. */
static gsize
take_prefix (SdPrefixInputStream *self,
             void                *buffer,
             gsize                count)
{
  if (self->prefix == NULL)
    return 0;
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (self->prefix, &size);
  gsize n = MIN (count, size - self->offset);
  memcpy (buffer, data + self->offset, n);
  self->offset += n;
  if (self->offset == size)
    g_clear_pointer (&self->prefix, g_bytes_unref);
  return n;
}

static gssize
prefix_read (GInputStream  *stream,
             void          *buffer,
             gsize          count,
             GCancellable  *cancellable,
             GError       **error)
{
  SdPrefixInputStream *self = SD_PREFIX_INPUT_STREAM (stream);
  gsize n = take_prefix (self, buffer, count);
  if (n > 0 || count == 0)
    return (gssize) n;
  return g_input_stream_read (self->base, buffer, count, cancellable, error);
}

static gboolean
prefix_close (GInputStream  *stream,
              GCancellable  *cancellable,
              GError       **error)
{
  /* The connection is closed by the SdHandoffStream. */
  g_clear_pointer (&SD_PREFIX_INPUT_STREAM (stream)->prefix, g_bytes_unref);
  return TRUE;
}

static gboolean
prefix_can_poll (GPollableInputStream *stream)
{
  return TRUE;
}

static gboolean
prefix_is_readable (GPollableInputStream *stream)
{
  SdPrefixInputStream *self = SD_PREFIX_INPUT_STREAM (stream);
  return self->prefix != NULL ||
         g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (self->base));
}

static GSource *
prefix_create_source (GPollableInputStream *stream,
                      GCancellable         *cancellable)
{
  SdPrefixInputStream *self = SD_PREFIX_INPUT_STREAM (stream);
  g_autoptr(GSource) child = NULL;
  /* Bytes are waiting: ready at once, as GMemoryInputStream does. */
  if (self->prefix != NULL)
    child = g_timeout_source_new (0);
  else
    child = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (self->base), NULL);
  return g_pollable_source_new_full (stream, child, cancellable);
}

static gssize
prefix_read_nonblocking (GPollableInputStream  *stream,
                         void                  *buffer,
                         gsize                  count,
                         GError               **error)
{
  SdPrefixInputStream *self = SD_PREFIX_INPUT_STREAM (stream);
  gsize n = take_prefix (self, buffer, count);
  if (n > 0 || count == 0)
    return (gssize) n;
  return g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (self->base),
                                                   buffer, count, NULL, error);
}

static void
sd_prefix_input_stream_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = prefix_can_poll;
  iface->is_readable = prefix_is_readable;
  iface->create_source = prefix_create_source;
  iface->read_nonblocking = prefix_read_nonblocking;
}

static void
sd_prefix_input_stream_finalize (GObject *object)
{
  SdPrefixInputStream *self = SD_PREFIX_INPUT_STREAM (object);
  g_clear_object (&self->base);
  g_clear_pointer (&self->prefix, g_bytes_unref);
  G_OBJECT_CLASS (sd_prefix_input_stream_parent_class)->finalize (object);
}

static void
sd_prefix_input_stream_class_init (SdPrefixInputStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_prefix_input_stream_finalize;
  G_INPUT_STREAM_CLASS (klass)->read_fn = prefix_read;
  G_INPUT_STREAM_CLASS (klass)->close_fn = prefix_close;
}

static void
sd_prefix_input_stream_init (SdPrefixInputStream *self)
{
}

/* ---- SdHandoffStream ---- */

struct _SdHandoffStream {
  GIOStream parent_instance;
  GIOStream *connection;
  GInputStream *input;         /* SdPrefixInputStream */
};

G_DEFINE_FINAL_TYPE (SdHandoffStream, sd_handoff_stream, G_TYPE_IO_STREAM)

static GInputStream *
handoff_get_input_stream (GIOStream *stream)
{
  return SD_HANDOFF_STREAM (stream)->input;
}

static GOutputStream *
handoff_get_output_stream (GIOStream *stream)
{
  return g_io_stream_get_output_stream (SD_HANDOFF_STREAM (stream)->connection);
}

static gboolean
handoff_close (GIOStream     *stream,
               GCancellable  *cancellable,
               GError       **error)
{
  SdHandoffStream *self = SD_HANDOFF_STREAM (stream);
  g_input_stream_close (self->input, NULL, NULL);
  return g_io_stream_close (self->connection, cancellable, error);
}

static void
handoff_closed (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;
  if (g_io_stream_close_finish (G_IO_STREAM (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
handoff_close_async (GIOStream           *stream,
                     int                  io_priority,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  SdHandoffStream *self = SD_HANDOFF_STREAM (stream);
  GTask *task = g_task_new (stream, cancellable, callback, user_data);
  g_task_set_source_tag (task, handoff_close_async);
  g_input_stream_close (self->input, NULL, NULL);
  g_io_stream_close_async (self->connection, io_priority, cancellable, handoff_closed, task);
}

static gboolean
handoff_close_finish (GIOStream     *stream,
                      GAsyncResult  *result,
                      GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
sd_handoff_stream_finalize (GObject *object)
{
  SdHandoffStream *self = SD_HANDOFF_STREAM (object);
  g_clear_object (&self->input);
  g_clear_object (&self->connection);
  G_OBJECT_CLASS (sd_handoff_stream_parent_class)->finalize (object);
}

static void
sd_handoff_stream_class_init (SdHandoffStreamClass *klass)
{
  GIOStreamClass *io_class = G_IO_STREAM_CLASS (klass);
  G_OBJECT_CLASS (klass)->finalize = sd_handoff_stream_finalize;
  io_class->get_input_stream = handoff_get_input_stream;
  io_class->get_output_stream = handoff_get_output_stream;
  io_class->close_fn = handoff_close;
  io_class->close_async = handoff_close_async;
  io_class->close_finish = handoff_close_finish;
}

static void
sd_handoff_stream_init (SdHandoffStream *self)
{
}

GIOStream *
sd_handoff_stream_new (GSocketConnection *connection,
                       GBytes            *prefix)
{
  SdHandoffStream *self = g_object_new (SD_TYPE_HANDOFF_STREAM, NULL);
  SdPrefixInputStream *input = g_object_new (SD_TYPE_PREFIX_INPUT_STREAM, NULL);
  input->base = g_object_ref (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  if (prefix != NULL && g_bytes_get_size (prefix) > 0)
    input->prefix = g_bytes_ref (prefix);
  self->connection = G_IO_STREAM (g_object_ref (connection));
  self->input = G_INPUT_STREAM (input);
  return G_IO_STREAM (self);
}
