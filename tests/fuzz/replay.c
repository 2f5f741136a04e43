/* replay.c — runs fuzz targets without libFuzzer: feeds every regular file
 * of the directories (or files) named on the command line, in name order,
 * once through LLVMFuzzerTestOneInput().  Built when the project is not
 * configured with -Dfuzzing=true, so the committed corpus is replayed by
 * every `meson test` with the normal compiler and sanitizers.
 *
 * Prints one TAP line per input; a crash or a failed check in the target
 * aborts the program, which fails the test.  Exits 1 when an argument
 * cannot be read or holds no input at all (an empty corpus is a mistake).
 */
#include "fuzz.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

static gint
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* Adds @path, or the regular files directly in it, to @inputs. */
static gboolean
collect (const char  *path,
         GPtrArray   *inputs,
         GError     **error)
{
  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_ptr_array_add (inputs, g_strdup (path));
      return TRUE;
    }
  g_autoptr(GDir) dir = g_dir_open (path, 0, error);
  if (dir == NULL)
    return FALSE;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);
      if (g_file_test (file, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (found, g_steal_pointer (&file));
    }
  g_ptr_array_sort (found, compare_paths);
  for (guint i = 0; i < found->len; i++)
    g_ptr_array_add (inputs, g_strdup (g_ptr_array_index (found, i)));
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func (g_free);

  if (argc < 2)
    {
      fprintf (stderr, "usage: %s CORPUS-DIR-OR-FILE…\n", argv[0]);
      return 1;
    }
  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      if (!collect (argv[i], inputs, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
    }
  if (inputs->len == 0)
    {
      fprintf (stderr, "no inputs in the given corpus\n");
      return 1;
    }

  LLVMFuzzerInitialize (&argc, &argv);
  printf ("1..%u\n", inputs->len);
  fflush (stdout);
  for (guint i = 0; i < inputs->len; i++)
    {
      const char *path = g_ptr_array_index (inputs, i);
      g_autoptr(GError) error = NULL;
      g_autofree char *data = NULL;
      gsize size = 0;
      if (!g_file_get_contents (path, &data, &size, &error))
        {
          printf ("not ok %u - %s: %s\n", i + 1, path, error->message);
          return 1;
        }
      /* Exactly @size bytes, as libFuzzer gives them: no trailing NUL
       * within reach, so an over-read shows under AddressSanitizer. */
      g_autofree guint8 *copy = g_memdup2 (data, size);
      LLVMFuzzerTestOneInput (copy, size);
      printf ("ok %u - %s\n", i + 1, path);
      fflush (stdout);
    }
  return 0;
}
