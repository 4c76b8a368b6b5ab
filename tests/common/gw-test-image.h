/* gw-test-image.h — renders to PNG and reads pixels back, for UI tests */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct {
  int     width;
  int     height;
  int     stride;
  guchar *pixels;   /* cairo byte order: B G R A, premultiplied */
} GwTestImage;

/* Renders @node (@width × @height) with @renderer, saves it as $GW_TEST_OUTDIR/@name
 * (the current folder without it) for people to look at, and returns its pixels. */
GwTestImage *gw_test_image_render       (GskRenderer       *renderer,
                                         GskRenderNode     *node,
                                         int                width,
                                         int                height,
                                         const char        *name);
void         gw_test_image_free         (GwTestImage       *image);
void         gw_test_image_pixel        (const GwTestImage *image,
                                         double             x,
                                         double             y,
                                         GdkRGBA           *out);
gboolean     gw_test_image_color_near   (const GwTestImage *image,
                                         double             x,
                                         double             y,
                                         const GdkRGBA     *want,
                                         double             tolerance);
/* Fails the test, naming both colours, unless the pixel is near @want. */
void         gw_test_image_assert_color (const GwTestImage *image,
                                         double             x,
                                         double             y,
                                         const GdkRGBA     *want,
                                         double             tolerance);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GwTestImage, gw_test_image_free)

G_END_DECLS
