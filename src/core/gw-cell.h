/* gw-cell.h — a grid cell (单元网格, GB/T 30428.1)
 *
 * A plain ref-counted record: the store holds thousands and worker threads share them.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define GW_TYPE_CELL (gw_cell_get_type ())

typedef struct {
  /*< private >*/
  gatomicrefcount ref_count;
  /*< public >*/
  char    *code;           /* 14 or 15 digits */
  char    *name;
  char    *community;      /* community name */
  char    *worker_name;    /* 网格员 */
  char    *worker_phone;
  char    *party_branch;   /* 党支部 */
  double  *ring;           /* outer ring: lon,lat pairs, closed (first == last) */
  guint    n_points;       /* number of pairs in @ring */
} GwCell;

GType    gw_cell_get_type         (void) G_GNUC_CONST;
GwCell  *gw_cell_new              (void);
GwCell  *gw_cell_ref              (GwCell       *self);
void     gw_cell_unref            (GwCell       *self);

/* Takes @lonlat (2 * @n_points doubles) and closes the ring if it is open. */
void     gw_cell_set_ring         (GwCell       *self,
                                   const double *lonlat,
                                   guint         n_points);

/* 14 or 15 ASCII digits. */
gboolean gw_cell_code_is_valid    (const char   *code);
/* The first 9 digits (county + street) and 12 digits (… + community), newly allocated. */
char    *gw_cell_code_street      (const char   *code);
char    *gw_cell_code_community   (const char   *code);

gboolean gw_cell_contains         (const GwCell *self,
                                   double        lon,
                                   double        lat);
void     gw_cell_get_bounds       (const GwCell *self,
                                   double       *min_lon,
                                   double       *min_lat,
                                   double       *max_lon,
                                   double       *max_lat);
void     gw_cell_get_centroid     (const GwCell *self,
                                   double       *lon,
                                   double       *lat);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GwCell, gw_cell_unref)

G_END_DECLS
