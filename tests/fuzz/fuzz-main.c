/* fuzz-main.c — replays a corpus through LLVMFuzzerTestOneInput without libFuzzer
 *
 * Usage: fuzz-codec-replay DIR-OR-FILE...  Runs every regular file (directories one
 * level deep); a crash or failed assertion aborts, as under libFuzzer.
 */
#include <stdint.h>
#include <stdio.h>

#include <glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static int
compare_paths (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static gboolean
run_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }
  LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
  return TRUE;
}

int
main (int argc, char **argv)
{
  guint n = 0;
  gboolean ok = TRUE;

  if (argc < 2)
    {
      g_printerr ("usage: %s CORPUS-DIR-OR-FILE...\n", argv[0]);
      return 2;
    }
  for (int i = 1; i < argc; i++)
    {
      if (!g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          ok &= run_file (argv[i]);
          n++;
          continue;
        }
      g_autoptr(GError) error = NULL;
      g_autoptr(GDir) dir = g_dir_open (argv[i], 0, &error);
      if (dir == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      /* Sorted, so a failure is reproducible in the same order. */
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;
      while ((name = g_dir_read_name (dir)) != NULL)
        g_ptr_array_add (names, g_build_filename (argv[i], name, NULL));
      g_ptr_array_sort (names, compare_paths);
      for (guint k = 0; k < names->len; k++)
        if (g_file_test (names->pdata[k], G_FILE_TEST_IS_REGULAR))
          {
            ok &= run_file (names->pdata[k]);
            n++;
          }
    }
  printf ("ran %u input(s)\n", n);
  return ok && n > 0 ? 0 : 1;
}
