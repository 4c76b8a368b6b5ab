/* basemap-main.c — gridwatch-basemap: writes the demo street's offline basemap
 *
 * Run at build time: `gridwatch-basemap OUTPUT.mbtiles [MIN_ZOOM MAX_ZOOM]`, or with
 * `--png Z X Y FILE` to look at one tile.
 */
#include "config.h"

#include <gio/gio.h>
#include <stdlib.h>

#include "gw-basemap-render.h"

int
main (int argc, char **argv)
{
  g_autoptr(GwBasemapRender) render = NULL;
  g_autoptr(GError) error = NULL;
  int min_zoom = 12, max_zoom = 17;
  guint n_tiles = 0;

  if (argc == 6 && g_str_equal (argv[1], "--png"))
    {
      g_autoptr(GBytes) png = NULL;

      render = gw_basemap_render_new ();
      png = gw_basemap_render_tile_png (render, atoi (argv[2]), atoi (argv[3]), atoi (argv[4]));
      if (!g_file_set_contents (argv[5], g_bytes_get_data (png, NULL), g_bytes_get_size (png), &error))
        {
          g_printerr ("gridwatch-basemap: %s\n", error->message);
          return EXIT_FAILURE;
        }
      return EXIT_SUCCESS;
    }
  if (argc != 2 && argc != 4)
    {
      g_printerr ("Usage: gridwatch-basemap OUTPUT.mbtiles [MIN_ZOOM MAX_ZOOM]\n"
                  "       gridwatch-basemap --png Z X Y OUTPUT.png\n");
      return EXIT_FAILURE;
    }
  if (argc == 4)
    {
      min_zoom = CLAMP (atoi (argv[2]), 0, 20);
      max_zoom = CLAMP (atoi (argv[3]), min_zoom, 20);
    }

  render = gw_basemap_render_new ();
  if (!gw_basemap_render_write_mbtiles (render, argv[1], min_zoom, max_zoom, &n_tiles, &error))
    {
      g_printerr ("gridwatch-basemap: %s\n", error->message);
      return EXIT_FAILURE;
    }
  return EXIT_SUCCESS;
}
