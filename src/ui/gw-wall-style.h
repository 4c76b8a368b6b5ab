/* gw-wall-style.h — what makes a window a wall: type scaled to the output, no pointer
 *
 * A wall is read from 3 to 8 metres, on 1080p or 4K screens. gw_wall_style_attach() gives
 * a window the "wall" style class and its own CSS provider whose font sizes, paddings and
 * minimum sizes are multiplied by a scale taken from the window's height (1080 px → 1.0,
 * 2160 px → 2.0), so a 4K wall shows the same picture as a 1080p one, only sharper. The
 * provider follows the surface's size. The pointer hides after GW_WALL_POINTER_IDLE_SECONDS
 * without motion and comes back on the next motion.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define GW_WALL_POINTER_IDLE_SECONDS 3
#define GW_WALL_REFERENCE_HEIGHT     1080

/* height / 1080, clamped to [0.5, 4]; 1.0 for a height <= 0. */
double gw_wall_scale_for_height       (int        height);
/* The scaled CSS for windows with style class @scope (new string). */
char  *gw_wall_style_css              (const char *scope,
                                       double      scale);

void   gw_wall_style_attach           (GtkWindow *window);
void   gw_wall_style_detach           (GtkWindow *window);
gboolean gw_wall_style_is_attached    (GtkWindow *window);
/* The scale in force (1.0 when not attached). */
double gw_wall_style_get_scale        (GtkWindow *window);
/* Applies the scale for @height at once (what a resize does). */
void   gw_wall_style_set_height       (GtkWindow *window,
                                       int        height);

/* What the idle timer and a motion do; for tests. */
void     gw_wall_style_pointer_idle   (GtkWindow *window);
void     gw_wall_style_pointer_moved  (GtkWindow *window);
gboolean gw_wall_style_get_pointer_hidden (GtkWindow *window);

G_END_DECLS
