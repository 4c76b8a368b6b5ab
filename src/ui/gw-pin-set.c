/* gw-pin-set.c — the incident layer's data: pins, statuses, index, cluster levels */
#include "config.h"

#include <math.h>
#include <string.h>

#include "gw-basemap.h"
#include "gw-pin-set.h"

GwPinSet *
gw_pin_set_new (void)
{
  GwPinSet *self = g_new0 (GwPinSet, 1);

  self->pins = g_array_new (FALSE, TRUE, sizeof (GwPin));
  self->status = g_byte_array_new ();
  self->free_slots = g_array_new (FALSE, FALSE, sizeof (guint));
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->index = gw_point_index_new ();
  self->glyph_by_class = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->glyphs = g_ptr_array_new_with_free_func (g_free);
  return self;
}

static void
drop_levels (GwPinSet *self)
{
  for (guint l = 0; l <= GW_POINT_INDEX_BITS; l++)
    g_clear_pointer (&self->levels[l], g_array_unref);
}

void
gw_pin_set_free (GwPinSet *self)
{
  if (self == NULL)
    return;
  gw_pin_set_clear (self);
  g_array_unref (self->pins);
  g_byte_array_unref (self->status);
  g_array_unref (self->free_slots);
  g_hash_table_unref (self->by_id);
  gw_point_index_free (self->index);
  g_hash_table_unref (self->glyph_by_class);
  g_ptr_array_unref (self->glyphs);
  g_free (self);
}

static guint
glyph_for_class (GwPinSet *self, const char *class_code)
{
  if (class_code == NULL)
    return 0;
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->glyph_by_class, class_code));
}

guint
gw_pin_set_upsert (GwPinSet *self, GwIncident *incident, GwPinStatus status, gboolean *added)
{
  gpointer value = g_hash_table_lookup (self->by_id, incident->id);
  double x, y;
  guint slot;
  GwPin *pin;

  gw_tile_coordinates_project (self->coordinates, incident->lon, incident->lat, &x, &y);

  if (value != NULL)
    {
      slot = GPOINTER_TO_UINT (value) - 1;
      pin = gw_pin_set_pin (self, slot);
      if (pin->x != x || pin->y != y)
        {
          gw_point_index_remove (self->index, slot);
          gw_point_index_insert (self->index, slot, x, y);
        }
      /* The key string belongs to the old version: replace key and value. */
      gw_incident_ref (incident);
      g_hash_table_replace (self->by_id, incident->id, GUINT_TO_POINTER (slot + 1));
      gw_incident_unref (pin->incident);
      pin->incident = incident;
      *added = FALSE;
    }
  else
    {
      if (self->free_slots->len > 0)
        {
          slot = g_array_index (self->free_slots, guint, self->free_slots->len - 1);
          g_array_set_size (self->free_slots, self->free_slots->len - 1);
        }
      else
        {
          slot = self->pins->len;
          g_array_set_size (self->pins, slot + 1);
          g_byte_array_set_size (self->status, slot + 1);
        }
      pin = gw_pin_set_pin (self, slot);
      memset (pin, 0, sizeof *pin);
      pin->incident = gw_incident_ref (incident);
      g_hash_table_insert (self->by_id, incident->id, GUINT_TO_POINTER (slot + 1));
      gw_point_index_insert (self->index, slot, x, y);
      *added = TRUE;
    }

  pin->x = x;
  pin->y = y;
  pin->priority = MIN (incident->priority, GW_N_PRIORITIES - 1);
  pin->glyph = glyph_for_class (self, incident->class_code);
  self->status->data[slot] = status;
  return slot;
}

gint
gw_pin_set_remove (GwPinSet *self, const GwIncident *incident)
{
  gpointer value = g_hash_table_lookup (self->by_id, incident->id);
  guint slot;
  GwPin *pin;

  if (value == NULL)
    return -1;
  slot = GPOINTER_TO_UINT (value) - 1;
  pin = gw_pin_set_pin (self, slot);
  g_hash_table_remove (self->by_id, incident->id);
  gw_point_index_remove (self->index, slot);
  g_clear_pointer (&pin->incident, gw_incident_unref);
  pin->animating = FALSE;
  self->status->data[slot] = GW_PIN_STATUS_CLOSED;
  g_array_append_val (self->free_slots, slot);
  return (gint) slot;
}

void
gw_pin_set_clear (GwPinSet *self)
{
  g_hash_table_remove_all (self->by_id);
  for (guint slot = 0; slot < self->pins->len; slot++)
    g_clear_pointer (&gw_pin_set_pin (self, slot)->incident, gw_incident_unref);
  g_array_set_size (self->pins, 0);
  g_byte_array_set_size (self->status, 0);
  g_array_set_size (self->free_slots, 0);
  gw_point_index_clear (self->index);
  drop_levels (self);
  self->status_serial++;
}

void
gw_pin_set_set_coordinates (GwPinSet *self, int coordinates)
{
  if (self->coordinates == coordinates)
    return;
  self->coordinates = coordinates;
  /* Moving the points in the index bumps its serial: the clusters follow. */
  for (guint slot = 0; slot < self->pins->len; slot++)
    {
      GwPin *pin = gw_pin_set_pin (self, slot);

      if (pin->incident == NULL)
        continue;
      gw_tile_coordinates_project (coordinates, pin->incident->lon, pin->incident->lat,
                                   &pin->x, &pin->y);
      gw_point_index_remove (self->index, slot);
      gw_point_index_insert (self->index, slot, pin->x, pin->y);
    }
  drop_levels (self);
}

gint
gw_pin_set_lookup (GwPinSet *self, const char *incident_id)
{
  gpointer value = incident_id ? g_hash_table_lookup (self->by_id, incident_id) : NULL;

  return value ? (gint) GPOINTER_TO_UINT (value) - 1 : -1;
}

void
gw_pin_set_set_classes (GwPinSet *self, GPtrArray *classes)
{
  g_autoptr(GHashTable) by_category = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_remove_all (self->glyph_by_class);
  g_ptr_array_set_size (self->glyphs, 0);

  for (guint i = 0; classes != NULL && i < classes->len; i++)
    {
      const GwIncidentClass *klass = g_ptr_array_index (classes, i);
      const char *category = klass->category ? klass->category : klass->name;
      guint glyph;

      if (klass->code == NULL || category == NULL || *category == '\0' ||
          !g_utf8_validate (category, -1, NULL))
        continue;

      glyph = GPOINTER_TO_UINT (g_hash_table_lookup (by_category, category));
      if (glyph == 0 && self->glyphs->len < GW_PIN_ATLAS_MAX_GLYPHS)
        {
          const char *next = g_utf8_next_char (category);
          g_ptr_array_add (self->glyphs, g_strndup (category, next - category));
          glyph = self->glyphs->len;
          g_hash_table_insert (by_category, (gpointer) category, GUINT_TO_POINTER (glyph));
        }
      if (glyph > 0)
        g_hash_table_insert (self->glyph_by_class, g_strdup (klass->code), GUINT_TO_POINTER (glyph));
    }

  for (guint slot = 0; slot < self->pins->len; slot++)
    {
      GwPin *pin = gw_pin_set_pin (self, slot);
      if (pin->incident != NULL)
        pin->glyph = glyph_for_class (self, pin->incident->class_code);
    }
}

static gboolean
levels_current (GwPinSet *self)
{
  return self->levels_serial == gw_point_index_get_serial (self->index) &&
         self->levels_status_serial == self->status_serial;
}

gboolean
gw_pin_set_has_clusters (GwPinSet *self, guint level)
{
  return levels_current (self) && self->levels[MIN (level, GW_POINT_INDEX_BITS)] != NULL;
}

GArray *
gw_pin_set_get_clusters (GwPinSet *self, guint level)
{
  level = MIN (level, GW_POINT_INDEX_BITS);

  if (!levels_current (self))
    {
      drop_levels (self);
      self->levels_serial = gw_point_index_get_serial (self->index);
      self->levels_status_serial = self->status_serial;
    }

  if (self->levels[level] == NULL)
    {
      /* Merging a finer level's clusters costs a fraction of a pass over the points. */
      for (guint fine = level + 1; fine <= GW_POINT_INDEX_BITS; fine++)
        if (self->levels[fine] != NULL)
          {
            self->levels[level] = gw_clusters_coarsen (self->levels[fine], fine, level);
            return self->levels[level];
          }
      self->levels[level] = gw_point_index_cluster (self->index, level,
                                                    self->status->data, GW_N_PIN_STATUSES);
    }
  return self->levels[level];
}

gboolean
gw_pin_set_refresh (GwPinSet *self, GwTime now, GArray *turned_late, GwTime *next_late_at)
{
  gboolean changed = FALSE;

  *next_late_at = GW_TIME_NONE;
  for (guint slot = 0; slot < self->pins->len; slot++)
    {
      const GwPin *pin = gw_pin_set_pin (self, slot);
      const GwIncident *incident = pin->incident;
      GwPinStatus status;

      if (incident == NULL)
        continue;
      status = gw_pin_status_for_incident (incident, now);
      if (status != self->status->data[slot])
        {
          if (turned_late != NULL && status == GW_PIN_STATUS_LATE)
            g_array_append_val (turned_late, slot);
          self->status->data[slot] = status;
          changed = TRUE;
        }
      if (status != GW_PIN_STATUS_LATE && status != GW_PIN_STATUS_CLOSED &&
          incident->deadline != GW_TIME_NONE &&
          (*next_late_at == GW_TIME_NONE || incident->deadline < *next_late_at))
        *next_late_at = incident->deadline;
    }

  if (changed)
    self->status_serial++;
  return changed;
}

gint
gw_pin_set_pick (GwPinSet *self, GArray *clusters, guint level,
                 double px, double py, double scale, double slack_px)
{
  double best = G_MAXDOUBLE;
  gint best_index = -1;

  /* An item is drawn at the mean of its cell's members, so its centre lies inside its
   * cell: only the cells within the largest item radius of the click can hold a hit. */
  double reach = (gw_pin_atlas_cluster_radius (G_MAXUINT) + slack_px) / scale;
  double cell = exp2 (-(double) level);
  gint64 gx0 = (gint64) floor ((px - reach) / cell), gx1 = (gint64) floor ((px + reach) / cell);
  gint64 gy0 = (gint64) floor ((py - reach) / cell), gy1 = (gint64) floor ((py + reach) / cell);

  for (gint64 gy = gy0; gy <= gy1; gy++)
    for (gint64 gx = gx0; gx <= gx1; gx++)
      {
        double cx = (gx + 0.5) * cell, cy = (gy + 0.5) * cell;
        gint k;

        if (cx < 0 || cy < 0 || cx > 1 || cy > 1)
          continue;
        k = gw_clusters_find_cell (clusters, gw_cluster_cell_at (cx, cy, level));
        if (k < 0)
          continue;

        const GwCluster *c = &g_array_index (clusters, GwCluster, k);
        double radius;
        if (c->count == 1)
          {
            const GwPin *pin = gw_pin_set_pin (self, gw_point_index_get_id (self->index, c->start));
            radius = gw_pin_atlas_pin_radius (pin->priority) + 3.5;
          }
        else
          radius = gw_pin_atlas_cluster_radius (c->count);

        double d = hypot (c->x - px, c->y - py) * scale;
        /* Prefer the closest item relative to its size (late ones are on top). */
        double score = d / (radius + slack_px) - (c->counts[GW_PIN_STATUS_LATE] > 0 ? 0.05 : 0);
        if (d <= radius + slack_px && score < best)
          {
            best = score;
            best_index = k;
          }
      }

  return best_index;
}
