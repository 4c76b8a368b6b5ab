/* gw-street.h — the demo street's reference data
 *
 * A street modelled on 郑州市中原区绿东村街道 (real coordinates around 113.61 E, 34.75 N):
 * irregular grid cells grouped into communities, departments with their deadlines, and
 * incident classes after GB/T 30428.2. Everything is generated deterministically.
 */
#pragma once

#include <glib.h>

#include "gw-cell.h"
#include "gw-department.h"
#include "gw-incident-class.h"

G_BEGIN_DECLS

/* Arrays of GwCell*, GwDepartment*, GwIncidentClass* (new references each call). */
GPtrArray *gw_street_cells       (void);
GPtrArray *gw_street_departments (void);
GPtrArray *gw_street_classes     (void);

/* Street name and its bounding box in WGS-84, for fitting a map to it. */
const char *gw_street_name       (void);
void        gw_street_bounds     (double *min_lon,
                                  double *min_lat,
                                  double *max_lon,
                                  double *max_lat);

/* The residential compounds of @community (NULL-terminated), or NULL if it is not one
 * of the street's communities. */
const char * const *gw_street_compounds (const char *community);
/* A plausible address for a point of the street: a house number on the nearest road,
 * an intersection, or a building of a compound of @community (may be NULL). @pick
 * chooses the variant deterministically. Newly allocated. */
char       *gw_street_address    (double      lon,
                                  double      lat,
                                  const char *community,
                                  guint64     pick);

/* Map features for the bundled basemap (WGS-84). Main road @i (FALSE past the last):
 * its name and the longitude (north-south roads) or latitude it runs along. */
gboolean    gw_street_road       (guint        i,
                                  const char **name,
                                  gboolean    *north_south,
                                  double      *at);
/* The river's centre line and the park pond's outline: lon,lat pairs, static. */
const double *gw_street_river    (guint       *n_points);
const double *gw_street_pond     (guint       *n_points);

G_END_DECLS
