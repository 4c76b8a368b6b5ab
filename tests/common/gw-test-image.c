/* gw-test-image.c — renders to PNG and reads pixels back, for UI tests */

#include <math.h>

#include "gw-test-image.h"

GwTestImage *
gw_test_image_render (GskRenderer   *renderer,
                      GskRenderNode *node,
                      int            width,
                      int            height,
                      const char    *name)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  const char *outdir = g_getenv ("GW_TEST_OUTDIR");
  GwTestImage *image;

  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (outdir ? outdir : ".", name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("render saved to %s", path);

  image = g_new0 (GwTestImage, 1);
  image->width = gdk_texture_get_width (texture);
  image->height = gdk_texture_get_height (texture);
  image->stride = image->width * 4;
  image->pixels = g_malloc (image->stride * image->height);
  gdk_texture_download (texture, image->pixels, image->stride);
  return image;
}

void
gw_test_image_free (GwTestImage *image)
{
  g_free (image->pixels);
  g_free (image);
}

void
gw_test_image_pixel (const GwTestImage *image,
                     double             x,
                     double             y,
                     GdkRGBA           *out)
{
  int ix = CLAMP ((int) floor (x), 0, image->width - 1);
  int iy = CLAMP ((int) floor (y), 0, image->height - 1);
  const guchar *p = image->pixels + iy * image->stride + ix * 4;

  out->blue = p[0] / 255.0;
  out->green = p[1] / 255.0;
  out->red = p[2] / 255.0;
  out->alpha = p[3] / 255.0;
}

gboolean
gw_test_image_color_near (const GwTestImage *image,
                          double             x,
                          double             y,
                          const GdkRGBA     *want,
                          double             tolerance)
{
  GdkRGBA got;

  gw_test_image_pixel (image, x, y, &got);
  return fabs (got.red - want->red) <= tolerance && fabs (got.green - want->green) <= tolerance &&
         fabs (got.blue - want->blue) <= tolerance;
}

void
gw_test_image_assert_color (const GwTestImage *image,
                            double             x,
                            double             y,
                            const GdkRGBA     *want,
                            double             tolerance)
{
  GdkRGBA got;

  if (gw_test_image_color_near (image, x, y, want, tolerance))
    return;
  gw_test_image_pixel (image, x, y, &got);
  g_error ("pixel at %.0f,%.0f is %.3f,%.3f,%.3f; expected %.3f,%.3f,%.3f",
           x, y, got.red, got.green, got.blue, want->red, want->green, want->blue);
}
