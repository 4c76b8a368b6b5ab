/* gw-incident-card.h — the card an incident pin opens on the map
 *
 * A popover with the case's class, address, cell, department, stage, priority, elapsed
 * time, deadline and its latest stage events. The map view points it at the pin.
 */
#pragma once

#include <gtk/gtk.h>

#include "gw-store.h"

G_BEGIN_DECLS

#define GW_TYPE_INCIDENT_CARD (gw_incident_card_get_type ())
G_DECLARE_FINAL_TYPE (GwIncidentCard, gw_incident_card, GW, INCIDENT_CARD, GtkPopover)

GtkWidget *gw_incident_card_new          (void);

/* Fills the card for @incident; @store (may be NULL) names its class, cell and
 * departments. */
void       gw_incident_card_set_incident (GwIncidentCard *self,
                                          GwIncident     *incident,
                                          GwStore        *store);

G_END_DECLS
