/* gw-pin-paint.c — drawing the pins and clusters of an area into one render node
 *
 * The visible items are found with a few binary searches over the clusters (the Z
 * order makes every coarser grid cell one run of them), not a scan of all of them.
 */
#include "config.h"

#include "gw-pin-paint.h"

/* One drawn item, collected so late items can be drawn last. */
typedef struct {
  float sx, sy;
  guint cluster;
} Item;

GdkTexture *
gw_pin_paint_pin_sprite (GwPinPaint *paint, guint slot)
{
  const GwPin *pin = gw_pin_set_pin (paint->set, slot);
  GwPinStatus status = paint->set->status->data[slot];

  return gw_pin_atlas_get_pin (paint->atlas, status, pin->priority, pin->glyph,
                               gw_pin_ring_step (pin->incident, status, paint->now));
}

static void
draw_item (GwPinPaint *paint, GtkSnapshot *snapshot, const Item *item)
{
  const GwCluster *c = &g_array_index (paint->clusters, GwCluster, item->cluster);

  if (c->count == 1)
    {
      guint slot = gw_point_index_get_id (paint->set->index, c->start);
      if (gw_pin_set_pin (paint->set, slot)->animating)
        return;
      gw_pin_atlas_append (snapshot, gw_pin_paint_pin_sprite (paint, slot), paint->scale,
                           item->sx, item->sy);
      return;
    }
  gw_pin_atlas_append_cluster (paint->atlas, snapshot, paint->widget, c->counts, c->count,
                               paint->scale, item->sx, item->sy);
}

static void
collect_items (GwPinPaint *paint, const GwLayerView *v, const GwBBox *box)
{
  const GwCluster *c = (const GwCluster *) (gconstpointer) paint->clusters->data;

  g_array_set_size (paint->items, 0);
  g_array_set_size (paint->runs, 0);
  gw_clusters_runs_in_box (paint->clusters, paint->level, box, paint->runs);

  for (guint r = 0; r < paint->runs->len; r += 2)
    {
      guint end = g_array_index (paint->runs, guint, r + 1);
      for (guint i = g_array_index (paint->runs, guint, r); i < end; i++)
        {
          if (c[i].x < box->x0 || c[i].x > box->x1 || c[i].y < box->y0 || c[i].y > box->y1)
            continue;
          Item item = {
            .sx = (float) ((c[i].x - v->cx) * v->scale + v->width / 2),
            .sy = (float) ((c[i].y - v->cy) * v->scale + v->height / 2),
            .cluster = i,
          };
          g_array_append_val (paint->items, item);
        }
    }
}

GskRenderNode *
gw_pin_paint_items (GwPinPaint *paint, const GwLayerView *v, const GwBBox *box)
{
  const GwCluster *c = (const GwCluster *) (gconstpointer) paint->clusters->data;
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  if (paint->items == NULL)
    paint->items = g_array_new (FALSE, FALSE, sizeof (Item));
  collect_items (paint, v, box);

  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < paint->items->len; i++)
      {
        const Item *item = &g_array_index (paint->items, Item, i);
        gboolean late = c[item->cluster].counts[GW_PIN_STATUS_LATE] > 0;
        if (late == (pass == 1))
          draw_item (paint, snapshot, item);
      }
  return gtk_snapshot_free_to_node (snapshot);
}
