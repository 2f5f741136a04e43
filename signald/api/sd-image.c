/* sd-image.c — being written */
#include <glib.h>
