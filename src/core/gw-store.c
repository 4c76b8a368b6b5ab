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

  /* Index sets hold borrowed GwIncident pointers: hashing a pointer is far cheaper
   * than hashing an id string, and a change is several set operations. */
  GHashTable *by_id;          /* id → GwIncident* (owned) */
  GHashTable *by_cell;        /* cell code → set of GwIncident* */
  GHashTable *by_department;  /* department id → set of GwIncident* */
  GHashTable *by_stage[GW_N_STAGES];
  GHashTable *by_deadline_hour;  /* hour since epoch → set of open GwIncident* with a deadline */
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

static GHashTable *
new_set (void)
{
  return g_hash_table_new (g_direct_hash, NULL);
}

/* @index maps a key to a set of incidents; @key_copy owns a new key, if not NULL. */
static void
index_add (GHashTable     *index,
           gpointer        key,
           GwIncident     *incident,
           gpointer      (*key_copy) (gconstpointer))
{
  GHashTable *set;

  if (!(set = g_hash_table_lookup (index, key)))
    {
      set = new_set ();
      g_hash_table_insert (index, key_copy ? key_copy (key) : key, set);
    }
  g_hash_table_add (set, incident);
}

static void
index_remove (GHashTable *index,
              gpointer    key,
              GwIncident *incident)
{
  GHashTable *set = g_hash_table_lookup (index, key);

  if (set == NULL)
    return;
  g_hash_table_remove (set, incident);
  if (g_hash_table_size (set) == 0)
    g_hash_table_remove (index, key);
}

static gpointer
deadline_hour (const GwIncident *incident)
{
  return GSIZE_TO_POINTER ((gsize) (incident->deadline / GW_USEC_PER_HOUR));
}

static gboolean
has_deadline_index (const GwIncident *incident)
{
  return incident->deadline > 0 && gw_incident_is_open (incident);
}

static void
unindex_incident (GwStore    *self,
                  GwIncident *incident)
{
  if (incident->cell_code != NULL)
    index_remove (self->by_cell, incident->cell_code, incident);
  if (incident->department != NULL)
    index_remove (self->by_department, incident->department, incident);
  g_hash_table_remove (self->by_stage[incident->stage], incident);
  if (has_deadline_index (incident))
    index_remove (self->by_deadline_hour, deadline_hour (incident), incident);
  if (gw_incident_is_open (incident))
    self->n_open--;
}

static void
index_incident (GwStore    *self,
                GwIncident *incident)
{
  if (incident->cell_code != NULL)
    index_add (self->by_cell, incident->cell_code, incident, (gpointer) g_strdup);
  if (incident->department != NULL)
    index_add (self->by_department, incident->department, incident, (gpointer) g_strdup);
  g_hash_table_add (self->by_stage[incident->stage], incident);
  if (has_deadline_index (incident))
    index_add (self->by_deadline_hour, deadline_hour (incident), incident, NULL);
  if (gw_incident_is_open (incident))
    self->n_open++;
}

/* Moves @old's entry in @index to @incident: one set lookup when the key is unchanged,
 * which is the common case (a stage moves on; the cell and department stay). */
static void
index_move (GHashTable  *index,
            gpointer     old_key,
            gpointer     new_key,
            gboolean     same_key,
            GwIncident  *old,
            GwIncident  *incident,
            gpointer   (*key_copy) (gconstpointer))
{
  GHashTable *set;

  if (same_key && new_key != NULL && (set = g_hash_table_lookup (index, new_key)))
    {
      g_hash_table_remove (set, old);
      g_hash_table_add (set, incident);
      return;
    }
  if (old_key != NULL)
    index_remove (index, old_key, old);
  if (new_key != NULL)
    index_add (index, new_key, incident, key_copy);
}

static void
reindex_incident (GwStore    *self,
                  GwIncident *old,
                  GwIncident *incident)
{
  gboolean old_dl = has_deadline_index (old), new_dl = has_deadline_index (incident);

  index_move (self->by_cell, old->cell_code, incident->cell_code,
              g_strcmp0 (old->cell_code, incident->cell_code) == 0, old, incident,
              (gpointer) g_strdup);
  index_move (self->by_department, old->department, incident->department,
              g_strcmp0 (old->department, incident->department) == 0, old, incident,
              (gpointer) g_strdup);
  g_hash_table_remove (self->by_stage[old->stage], old);
  g_hash_table_add (self->by_stage[incident->stage], incident);
  index_move (self->by_deadline_hour, old_dl ? deadline_hour (old) : NULL,
              new_dl ? deadline_hour (incident) : NULL,
              old_dl && new_dl && deadline_hour (old) == deadline_hour (incident),
              old, incident, NULL);
  self->n_open += (gint) gw_incident_is_open (incident) - (gint) gw_incident_is_open (old);
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

static void
free_retired_cb (gpointer data,
                 gpointer user_data)
{
  g_ptr_array_unref (data);
}

/* Freeing thousands of replaced incidents (each a dozen allocations) is work the
 * main thread need not wait for; views have already dropped their references. */
static void
retire (GPtrArray *incidents)
{
  static GThreadPool *pool;

  if (incidents->len < 64)
    {
      g_ptr_array_unref (incidents);
      return;
    }
  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, g_thread_pool_new (free_retired_cb, NULL, 1, FALSE, NULL));
  g_thread_pool_push (pool, incidents, NULL);
}

void
gw_store_apply (GwStore      *self,
                GwStoreBatch *batch)
{
  GwStoreChange change = { 0 };
  g_autoptr(GHashTable) kept = NULL;
  GPtrArray *retired = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_unref);

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
          /* The table's key is the old version's id string: steal it out first. */
          g_hash_table_steal (self->by_id, old->id);
          reindex_incident (self, old, incident);
          g_ptr_array_add (retired, old);
          g_ptr_array_add (change.changed, gw_incident_ref (incident));
        }
      else
        {
          index_incident (self, incident);
          g_ptr_array_add (change.added, gw_incident_ref (incident));
        }
      g_hash_table_insert (self->by_id, incident->id, gw_incident_ref (incident));
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
  retire (retired);
  retire (change.removed);
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

static int
compare_deadline (gconstpointer a,
                  gconstpointer b)
{
  const GwIncident *x = *(GwIncident **) a, *y = *(GwIncident **) b;

  if (x->deadline != y->deadline)
    return x->deadline < y->deadline ? -1 : 1;
  return strcmp (x->id, y->id);
}

void
gw_store_foreach (GwStore  *self,
                  GFunc     func,
                  gpointer  user_data)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->by_id);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    func (value, user_data);
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
  gsize now_hour = (gsize) (now / GW_USEC_PER_HOUR);
  GHashTableIter buckets;
  gpointer hour, set;

  /* Buckets of past hours are late whole; only the current hour needs a look. */
  g_hash_table_iter_init (&buckets, self->by_deadline_hour);
  while (g_hash_table_iter_next (&buckets, &hour, &set))
    {
      GHashTableIter iter;
      gpointer incident;

      if (GPOINTER_TO_SIZE (hour) > now_hour)
        continue;
      g_hash_table_iter_init (&iter, set);
      while (g_hash_table_iter_next (&iter, &incident, NULL))
        if (((GwIncident *) incident)->deadline < now)
          g_ptr_array_add (out, gw_incident_ref (incident));
    }
  g_ptr_array_sort (out, compare_deadline);
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

  g_clear_pointer (&self->by_deadline_hour, g_hash_table_unref);
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
    self->by_stage[i] = new_set ();
  self->by_deadline_hour = g_hash_table_new_full (g_direct_hash, NULL, NULL,
                                                  (GDestroyNotify) g_hash_table_unref);
  self->cells = g_ptr_array_new ();
  self->departments = g_ptr_array_new ();
  self->classes = g_ptr_array_new ();
  self->cell_by_code = g_hash_table_new (g_str_hash, g_str_equal);
  self->department_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->class_by_code = g_hash_table_new (g_str_hash, g_str_equal);
}
