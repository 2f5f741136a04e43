/* tg-upload-file.c — see tg-upload-file.h. */
#include "tg-upload-file.h"

struct _TgUploadFile
{
  GObject parent_instance;

  char *name;
  guint64 size;
  double fraction;
};

G_DEFINE_FINAL_TYPE (TgUploadFile, tg_upload_file, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_SIZE,
  PROP_FRACTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

TgUploadFile *
tg_upload_file_new (const char *name,
                    guint64     size)
{
  TgUploadFile *self = g_object_new (TG_TYPE_UPLOAD_FILE, NULL);
  self->name = g_strdup (name);
  self->size = size;
  return self;
}

const char *
tg_upload_file_get_name (TgUploadFile *self)
{
  g_return_val_if_fail (TG_IS_UPLOAD_FILE (self), NULL);
  return self->name;
}

guint64
tg_upload_file_get_size (TgUploadFile *self)
{
  g_return_val_if_fail (TG_IS_UPLOAD_FILE (self), 0);
  return self->size;
}

double
tg_upload_file_get_fraction (TgUploadFile *self)
{
  g_return_val_if_fail (TG_IS_UPLOAD_FILE (self), 0);
  return self->fraction;
}

void
tg_upload_file_set_fraction (TgUploadFile *self,
                             double        fraction)
{
  g_return_if_fail (TG_IS_UPLOAD_FILE (self));
  fraction = CLAMP (fraction, 0.0, 1.0);
  if (fraction == self->fraction)
    return;
  self->fraction = fraction;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}

static void
tg_upload_file_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TgUploadFile *self = TG_UPLOAD_FILE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_SIZE:
      g_value_set_uint64 (value, self->size);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tg_upload_file_finalize (GObject *object)
{
  TgUploadFile *self = TG_UPLOAD_FILE (object);
  g_free (self->name);
  G_OBJECT_CLASS (tg_upload_file_parent_class)->finalize (object);
}

static void
tg_upload_file_class_init (TgUploadFileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tg_upload_file_finalize;
  object_class->get_property = tg_upload_file_get_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIZE] = g_param_spec_uint64 ("size", NULL, NULL, 0, G_MAXUINT64, 0,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FRACTION] = g_param_spec_double ("fraction", NULL, NULL, 0, 1, 0,
                                                   G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tg_upload_file_init (TgUploadFile *self)
{
}
