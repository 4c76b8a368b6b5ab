/* gw-store.c — the single in-memory source of truth the views read */

#include "gw-store.h"

#include <stdlib.h>
#include <string.h>

#include "gw-codec.h"

struct _GwStoreBatch {
  GPtrArray *upserts;   /* GwIncident* */
  GPtrArray *removals;  /* char* */
  gboolean   snapshot;
  gint64     seq;
};

struct _GwStore {
  GObject     parent_instance;

  GHashTable *by_id;          /* id → GwIncident* (owned) */
  GHashTable *by_cell;        /* cell code → GHashTable (id → GwIncident*) */
  GHashTable *by_department;  /* department id → GHashTable (id → GwIncident*) */
  GHashTable *by_stage[GW_N_STAGES];
  GSequence  *open_by_deadline;  /* GwIncident* of open cases with a deadline */
  GHashTable *deadline_iters;    /* id → GSequenceIter* in @open_by_deadline */
  guint       n_open;
  gint64      seq;

  GPtrArray  *cells;
  GPtrArray  *departments;
  GPtrArray  *classes;
  GHashTable *cell_by_code;
  GHashTable *department_by_id;
  GHashTable *class_by_code;
};

G_DEFINE_FINAL_TYPE (GwStore, gw_store, G_TYPE_OBJECT)

enum { CHANGED, REFERENCE_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

GwStoreBatch *
gw_store_batch_new (void)
{
  GwStoreBatch *batch = g_new0 (GwStoreBatch, 1);

  batch->upserts = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_unref);
  batch->removals = g_ptr_array_new_with_free_func (g_free);
  return batch;
}

void
gw_store_batch_free (GwStoreBatch *batch)
{
  g_ptr_array_unref (batch->upserts);
  g_ptr_array_unref (batch->removals);
  g_free (batch);
}

void
gw_store_batch_upsert (GwStoreBatch *batch,
                       GwIncident   *incident)
{
  g_ptr_array_add (batch->upserts, gw_incident_ref (incident));
}

void
gw_store_batch_remove (GwStoreBatch *batch,
                       const char   *id)
{
  g_ptr_array_add (batch->removals, g_strdup (id));
}

void
gw_store_batch_set_snapshot (GwStoreBatch *batch,
                             gboolean      snapshot)
{
  batch->snapshot = snapshot;
}

void
gw_store_batch_set_seq (GwStoreBatch *batch,
                        gint64        seq)
{
  batch->seq = MAX (batch->seq, seq);
}

guint
gw_store_batch_get_size (GwStoreBatch *batch)
{
  return batch->upserts->len + batch->removals->len;
}

static int
compare_deadline (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  const GwIncident *x = a, *y = b;

  if (x->deadline != y->deadline)
    return x->deadline < y->deadline ? -1 : 1;
  return strcmp (x->id, y->id);
}

static void
index_add (GHashTable *index,
           const char *key,
           GwIncident *incident)
{
  GHashTable *set;

  if (key == NULL)
    return;
  if (!(set = g_hash_table_lookup (index, key)))
    {
      set = g_hash_table_new (g_str_hash, g_str_equal);
      g_hash_table_insert (index, g_strdup (key), set);
    }
  g_hash_table_insert (set, incident->id, incident);
}

static void
index_remove (GHashTable *index,
              const char *key,
              GwIncident *incident)
{
  GHashTable *set;

  if (key == NULL || !(set = g_hash_table_lookup (index, key)))
    return;
  g_hash_table_remove (set, incident->id);
  if (g_hash_table_size (set) == 0)
    g_hash_table_remove (index, key);
}

/* Indexes hold borrowed pointers keyed by the incident's own id string. */
static void
unindex_incident (GwStore    *self,
         GwIncident *incident)
{
  GSequenceIter *iter;

  index_remove (self->by_cell, incident->cell_code, incident);
  index_remove (self->by_department, incident->department, incident);
  g_hash_table_remove (self->by_stage[incident->stage], incident->id);
  if ((iter = g_hash_table_lookup (self->deadline_iters, incident->id)))
    {
      g_sequence_remove (iter);
      g_hash_table_remove (self->deadline_iters, incident->id);
    }
  if (gw_incident_is_open (incident))
    self->n_open--;
}

static void
index_incident (GwStore    *self,
       GwIncident *incident)
{
  index_add (self->by_cell, incident->cell_code, incident);
  index_add (self->by_department, incident->department, incident);
  g_hash_table_insert (self->by_stage[incident->stage], incident->id, incident);
  if (gw_incident_is_open (incident))
    {
      self->n_open++;
      if (incident->deadline != GW_TIME_NONE)
        g_hash_table_insert (self->deadline_iters, incident->id,
                             g_sequence_insert_sorted (self->open_by_deadline, incident,
                                                       compare_deadline, NULL));
    }
}

/* Removes @id; returns the removed incident (a reference) or NULL. */
static GwIncident *
take (GwStore    *self,
      const char *id)
{
  gpointer key, value;

  if (!g_hash_table_lookup_extended (self->by_id, id, &key, &value))
    return NULL;
  unindex_incident (self, value);
  g_hash_table_steal (self->by_id, id);
  return value;
}

void
gw_store_apply (GwStore      *self,
                GwStoreBatch *batch)
{
  GwStoreChange change = { 0 };
  g_autoptr(GHashTable) kept = NULL;

  g_return_if_fail (GW_IS_STORE (self));

  change.added = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_unref);
  change.changed = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_unref);
  change.removed = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_unref);
  change.reset = batch->snapshot;
  if (batch->snapshot)
    kept = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < batch->upserts->len; i++)
    {
      GwIncident *incident = g_ptr_array_index (batch->upserts, i);
      GwIncident *old = g_hash_table_lookup (self->by_id, incident->id);

      if (kept != NULL)
        g_hash_table_add (kept, incident->id);
      /* A replayed or stale version must not undo a newer one. */
      if (old != NULL && (old->seq > incident->seq ||
                          (old->seq == incident->seq && gw_incident_equal (old, incident))))
        continue;

      if (old != NULL)
        {
          gw_incident_unref (take (self, old->id));
          g_ptr_array_add (change.changed, gw_incident_ref (incident));
        }
      else
        g_ptr_array_add (change.added, gw_incident_ref (incident));
      g_hash_table_insert (self->by_id, incident->id, gw_incident_ref (incident));
      index_incident (self, incident);
    }

  for (guint i = 0; i < batch->removals->len; i++)
    {
      GwIncident *old = take (self, g_ptr_array_index (batch->removals, i));
      if (old != NULL)
        g_ptr_array_add (change.removed, old);
    }

  if (kept != NULL)
    {
      g_autoptr(GPtrArray) gone = g_ptr_array_new ();
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, self->by_id);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (!g_hash_table_contains (kept, key))
          g_ptr_array_add (gone, key);
      for (guint i = 0; i < gone->len; i++)
        g_ptr_array_add (change.removed, take (self, g_ptr_array_index (gone, i)));
    }

  self->seq = MAX (self->seq, batch->seq);
  gw_store_batch_free (batch);

  if (change.added->len > 0 || change.changed->len > 0 || change.removed->len > 0 ||
      change.reset)
    g_signal_emit (self, signals[CHANGED], 0, &change);

  g_ptr_array_unref (change.added);
  g_ptr_array_unref (change.changed);
  g_ptr_array_unref (change.removed);
}

static GHashTable *
lookup_table (GPtrArray  *items,
              gsize       key_offset)
{
  GHashTable *table = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < items->len; i++)
    {
      gpointer item = g_ptr_array_index (items, i);
      g_hash_table_insert (table, G_STRUCT_MEMBER (char *, item, key_offset), item);
    }
  return table;
}

void
gw_store_set_reference (GwStore   *self,
                        GPtrArray *cells,
                        GPtrArray *departments,
                        GPtrArray *classes)
{
  g_return_if_fail (GW_IS_STORE (self));

  g_clear_pointer (&self->cell_by_code, g_hash_table_unref);
  g_clear_pointer (&self->department_by_id, g_hash_table_unref);
  g_clear_pointer (&self->class_by_code, g_hash_table_unref);
  g_clear_pointer (&self->cells, g_ptr_array_unref);
  g_clear_pointer (&self->departments, g_ptr_array_unref);
  g_clear_pointer (&self->classes, g_ptr_array_unref);
  self->cells = g_ptr_array_ref (cells);
  self->departments = g_ptr_array_ref (departments);
  self->classes = g_ptr_array_ref (classes);
  self->cell_by_code = lookup_table (cells, G_STRUCT_OFFSET (GwCell, code));
  self->department_by_id = lookup_table (departments, G_STRUCT_OFFSET (GwDepartment, id));
  self->class_by_code = lookup_table (classes, G_STRUCT_OFFSET (GwIncidentClass, code));
  g_signal_emit (self, signals[REFERENCE_CHANGED], 0);
}

GwStore *
gw_store_new (void)
{
  return g_object_new (GW_TYPE_STORE, NULL);
}

guint
gw_store_get_n_incidents (GwStore *self)
{
  return g_hash_table_size (self->by_id);
}

GwIncident *
gw_store_lookup (GwStore    *self,
                 const char *id)
{
  return g_hash_table_lookup (self->by_id, id);
}

gint64
gw_store_get_seq (GwStore *self)
{
  return self->seq;
}

static GPtrArray *
list_set (GHashTable *set)
{
  GPtrArray *out = g_ptr_array_new_full (set ? g_hash_table_size (set) : 0,
                                         (GDestroyNotify) gw_incident_unref);
  GHashTableIter iter;
  gpointer value;

  if (set == NULL)
    return out;
  g_hash_table_iter_init (&iter, set);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (out, gw_incident_ref (value));
  return out;
}

GPtrArray *
gw_store_list (GwStore *self)
{
  return list_set (self->by_id);
}

GPtrArray *
gw_store_list_by_cell (GwStore    *self,
                       const char *cell_code)
{
  return list_set (g_hash_table_lookup (self->by_cell, cell_code));
}

GPtrArray *
gw_store_list_by_department (GwStore    *self,
                             const char *department_id)
{
  return list_set (g_hash_table_lookup (self->by_department, department_id));
}

GPtrArray *
gw_store_list_by_stage (GwStore *self,
                        GwStage  stage)
{
  g_return_val_if_fail (stage < GW_N_STAGES, NULL);
  return list_set (self->by_stage[stage]);
}

GPtrArray *
gw_store_list_late (GwStore *self,
                    GwTime   now)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_unref);
  GSequenceIter *iter = g_sequence_get_begin_iter (self->open_by_deadline);

  for (; !g_sequence_iter_is_end (iter); iter = g_sequence_iter_next (iter))
    {
      GwIncident *incident = g_sequence_get (iter);
      if (incident->deadline >= now)
        break;
      g_ptr_array_add (out, gw_incident_ref (incident));
    }
  return out;
}

guint
gw_store_count_open (GwStore *self)
{
  return self->n_open;
}

GPtrArray *
gw_store_get_cells (GwStore *self)
{
  return self->cells;
}

GPtrArray *
gw_store_get_departments (GwStore *self)
{
  return self->departments;
}

GPtrArray *
gw_store_get_classes (GwStore *self)
{
  return self->classes;
}

GwCell *
gw_store_lookup_cell (GwStore    *self,
                      const char *code)
{
  return g_hash_table_lookup (self->cell_by_code, code);
}

GwDepartment *
gw_store_lookup_department (GwStore    *self,
                            const char *id)
{
  return g_hash_table_lookup (self->department_by_id, id);
}

GwIncidentClass *
gw_store_lookup_class (GwStore    *self,
                       const char *code)
{
  return g_hash_table_lookup (self->class_by_code, code);
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

char *
gw_store_digest (GwStore *self)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint n = 0;
  g_autofree const char **ids = (const char **) g_hash_table_get_keys_as_array (self->by_id, &n);

  qsort (ids, n, sizeof *ids, compare_strings);
  for (guint i = 0; i < n; i++)
    {
      GwIncident *incident = g_hash_table_lookup (self->by_id, ids[i]);
      g_autoptr(JsonNode) node = gw_incident_to_json (incident, TRUE);
      g_autofree char *json = gw_json_to_string (node);

      g_checksum_update (sum, (const guchar *) json, -1);
      g_checksum_update (sum, (const guchar *) "\n", 1);
    }
  return g_strdup (g_checksum_get_string (sum));
}

static void
gw_store_finalize (GObject *object)
{
  GwStore *self = (GwStore *) object;

  g_clear_pointer (&self->deadline_iters, g_hash_table_unref);
  g_clear_pointer (&self->open_by_deadline, g_sequence_free);
  for (guint i = 0; i < GW_N_STAGES; i++)
    g_clear_pointer (&self->by_stage[i], g_hash_table_unref);
  g_clear_pointer (&self->by_cell, g_hash_table_unref);
  g_clear_pointer (&self->by_department, g_hash_table_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->cell_by_code, g_hash_table_unref);
  g_clear_pointer (&self->department_by_id, g_hash_table_unref);
  g_clear_pointer (&self->class_by_code, g_hash_table_unref);
  g_clear_pointer (&self->cells, g_ptr_array_unref);
  g_clear_pointer (&self->departments, g_ptr_array_unref);
  g_clear_pointer (&self->classes, g_ptr_array_unref);

  G_OBJECT_CLASS (gw_store_parent_class)->finalize (object);
}

static void
gw_store_class_init (GwStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gw_store_finalize;

  /**
   * GwStore::changed:
   * @change: (type gpointer): a GwStoreChange, valid during the emission
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[REFERENCE_CHANGED] = g_signal_new ("reference-changed", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 0);
}

static void
gw_store_init (GwStore *self)
{
  self->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                       (GDestroyNotify) gw_incident_unref);
  self->by_cell = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_hash_table_unref);
  self->by_department = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) g_hash_table_unref);
  for (guint i = 0; i < GW_N_STAGES; i++)
    self->by_stage[i] = g_hash_table_new (g_str_hash, g_str_equal);
  self->open_by_deadline = g_sequence_new (NULL);
  self->deadline_iters = g_hash_table_new (g_str_hash, g_str_equal);
  self->cells = g_ptr_array_new ();
  self->departments = g_ptr_array_new ();
  self->classes = g_ptr_array_new ();
  self->cell_by_code = g_hash_table_new (g_str_hash, g_str_equal);
  self->department_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->class_by_code = g_hash_table_new (g_str_hash, g_str_equal);
}
