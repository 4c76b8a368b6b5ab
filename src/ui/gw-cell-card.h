/* gw-cell-card.h — the card a grid cell opens on the map
 *
 * A popover with the cell's code, community, grid worker, party branch and its case
 * counts. The map view points it at the cell's centroid.
 */
#pragma once

#include <gtk/gtk.h>

#include "gw-cell.h"
#include "gw-cell-layer.h"

G_BEGIN_DECLS

#define GW_TYPE_CELL_CARD (gw_cell_card_get_type ())
G_DECLARE_FINAL_TYPE (GwCellCard, gw_cell_card, GW, CELL_CARD, GtkPopover)

GtkWidget *gw_cell_card_new      (void);

void       gw_cell_card_set_cell (GwCellCard        *self,
                                  GwCell            *cell,
                                  const GwCellStats *stats);

G_END_DECLS
