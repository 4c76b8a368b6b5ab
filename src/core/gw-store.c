/* gw-store.c — the single in-memory source of truth the views read */

#include "gw-store.h"

#include <stdlib.h>
#include <string.h>

#include "gw-codec.h"

struct _GwStoreBatch {
  GPtrArray *upserts;   /* GwIncident* */
  GPtrArray *removals;  /* char* */
  gboolean   snapshot;
  gboolean   loading;
  gboolean   loaded;
  gint64     seq;
};

struct _GwStore {
  GObject     parent_instance;

  /* Each case has one Entry; the indexes are lists of entries, and each entry knows its
   * position in every list, so it leaves one by a swap in O(1). A change that keeps a
   * key (most do: a stage moves on, the cell stays) only swaps the incident inside its
   * entry. */
  GHashTable *by_id;             /* id → Entry* (owned) */
  GHashTable *by_cell;           /* cell code → GPtrArray of Entry* */
  GHashTable *by_department;     /* department id → GPtrArray of Entry* */
  GPtrArray  *by_stage[GW_N_STAGES];
  GHashTable *by_deadline_hour;  /* hour since epoch → GPtrArray of open Entry* with a deadline */
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
gw_store_batch_set_loading (GwStoreBatch *batch,
                            gboolean      last)
{
  batch->loading = TRUE;
  batch->loaded = last;
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

enum { LIST_CELL, LIST_DEPARTMENT, LIST_STAGE, LIST_DEADLINE, N_LISTS };

typedef struct {
  GwIncident *incident;
  char       *id;             /* the by_id key: outlives each version of the incident */
  guint       pos[N_LISTS];   /* index in each list the entry is in */
} Entry;

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_clear_pointer (&entry->incident, gw_incident_unref);
  g_free (entry->id);
  g_free (entry);
}

static void
list_add (GPtrArray *list,
          Entry     *entry,
          guint      which)
{
  entry->pos[which] = list->len;
  g_ptr_array_add (list, entry);
}

static void
list_remove (GPtrArray *list,
             Entry     *entry,
             guint      which)
{
  Entry *last = g_ptr_array_index (list, list->len - 1);

  last->pos[which] = entry->pos[which];
  g_ptr_array_remove_index_fast (list, entry->pos[which]);
}

/* Keyed lists: @key_copy owns a new key in @index, if not NULL. */
static void
keyed_add (GHashTable  *index,
           gpointer     key,
           Entry       *entry,
           guint        which,
           gpointer   (*key_copy) (gconstpointer))
{
  GPtrArray *list = g_hash_table_lookup (index, key);

  if (list == NULL)
    {
      list = g_ptr_array_new ();
      g_hash_table_insert (index, key_copy ? key_copy (key) : key, list);
    }
  list_add (list, entry, which);
}

static void
keyed_remove (GHashTable *index,
              gpointer    key,
              Entry      *entry,
              guint       which)
{
  GPtrArray *list = g_hash_table_lookup (index, key);

  list_remove (list, entry, which);
  if (list->len == 0)
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

/* Files @entry under @incident's keys (@entry->incident is not yet set). */
static void
index_entry (GwStore    *self,
             Entry      *entry,
             GwIncident *incident)
{
  if (incident->cell_code != NULL)
    keyed_add (self->by_cell, incident->cell_code, entry, LIST_CELL, (gpointer) g_strdup);
  if (incident->department != NULL)
    keyed_add (self->by_department, incident->department, entry, LIST_DEPARTMENT,
               (gpointer) g_strdup);
  list_add (self->by_stage[incident->stage], entry, LIST_STAGE);
  if (has_deadline_index (incident))
    keyed_add (self->by_deadline_hour, deadline_hour (incident), entry, LIST_DEADLINE, NULL);
  self->n_open += gw_incident_is_open (incident);
}

/* Takes @entry out of the lists its current incident is filed under. */
static void
unindex_entry (GwStore *self,
               Entry   *entry)
{
  GwIncident *incident = entry->incident;

  if (incident->cell_code != NULL)
    keyed_remove (self->by_cell, incident->cell_code, entry, LIST_CELL);
  if (incident->department != NULL)
    keyed_remove (self->by_department, incident->department, entry, LIST_DEPARTMENT);
  list_remove (self->by_stage[incident->stage], entry, LIST_STAGE);
  if (has_deadline_index (incident))
    keyed_remove (self->by_deadline_hour, deadline_hour (incident), entry, LIST_DEADLINE);
  self->n_open -= gw_incident_is_open (incident);
}

/* Moves @entry to @incident's keys; lists whose key is unchanged are left alone. */
static void
reindex_entry (GwStore    *self,
               Entry      *entry,
               GwIncident *incident)
{
  GwIncident *old = entry->incident;
  gboolean old_dl = has_deadline_index (old), new_dl = has_deadline_index (incident);

  if (g_strcmp0 (old->cell_code, incident->cell_code) != 0)
    {
      if (old->cell_code != NULL)
        keyed_remove (self->by_cell, old->cell_code, entry, LIST_CELL);
      if (incident->cell_code != NULL)
        keyed_add (self->by_cell, incident->cell_code, entry, LIST_CELL, (gpointer) g_strdup);
    }
  if (g_strcmp0 (old->department, incident->department) != 0)
    {
      if (old->department != NULL)
        keyed_remove (self->by_department, old->department, entry, LIST_DEPARTMENT);
      if (incident->department != NULL)
        keyed_add (self->by_department, incident->department, entry, LIST_DEPARTMENT,
                   (gpointer) g_strdup);
    }
  if (old->stage != incident->stage)
    {
      list_remove (self->by_stage[old->stage], entry, LIST_STAGE);
      list_add (self->by_stage[incident->stage], entry, LIST_STAGE);
    }
  if (old_dl != new_dl || (new_dl && deadline_hour (old) != deadline_hour (incident)))
    {
      if (old_dl)
        keyed_remove (self->by_deadline_hour, deadline_hour (old), entry, LIST_DEADLINE);
      if (new_dl)
        keyed_add (self->by_deadline_hour, deadline_hour (incident), entry, LIST_DEADLINE, NULL);
    }
  self->n_open += (gint) gw_incident_is_open (incident) - (gint) gw_incident_is_open (old);
}

/* Removes @id; returns the removed incident (a reference) or NULL. */
static GwIncident *
take (GwStore    *self,
      const char *id)
{
  Entry *entry = g_hash_table_lookup (self->by_id, id);
  GwIncident *incident;

  if (entry == NULL)
    return NULL;
  unindex_entry (self, entry);
  incident = g_steal_pointer (&entry->incident);
  g_hash_table_remove (self->by_id, id);
  return incident;
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
  change.loading = batch->loading;
  change.loaded = batch->loaded;
  if (batch->snapshot)
    kept = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < batch->upserts->len; i++)
    {
      GwIncident *incident = g_ptr_array_index (batch->upserts, i);
      Entry *entry = g_hash_table_lookup (self->by_id, incident->id);
      GwIncident *old = entry ? entry->incident : NULL;

      if (kept != NULL)
        g_hash_table_add (kept, incident->id);
      /* A replayed or stale version must not undo a newer one. */
      if (old != NULL && (old->seq > incident->seq ||
                          (old->seq == incident->seq && gw_incident_equal (old, incident))))
        continue;

      if (entry != NULL)
        {
          reindex_entry (self, entry, incident);
          g_ptr_array_add (retired, old);
          g_ptr_array_add (change.changed, gw_incident_ref (incident));
        }
      else
        {
          entry = g_new0 (Entry, 1);
          entry->id = g_strdup (incident->id);
          index_entry (self, entry, incident);
          g_hash_table_insert (self->by_id, entry->id, entry);
          g_ptr_array_add (change.added, gw_incident_ref (incident));
        }
      entry->incident = gw_incident_ref (incident);
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
      change.reset || change.loaded)
    g_signal_emit (self, signals[CHANGED], 0, &change);

  g_ptr_array_unref (change.added);
  g_ptr_array_unref (change.changed);
  retire (retired);
  retire (change.removed);
}

gboolean
gw_store_apply_part (GwStore   *self,
                     GPtrArray *incidents,
                     guint     *pos)
{
  GwStoreBatch *batch = gw_store_batch_new ();
  guint end = MIN (*pos + GW_STORE_PART_SIZE, incidents->len);

  g_return_val_if_fail (GW_IS_STORE (self), TRUE);

  for (; *pos < end; (*pos)++)
    gw_store_batch_upsert (batch, g_ptr_array_index (incidents, *pos));
  gw_store_batch_set_loading (batch, FALSE);
  gw_store_apply (self, batch);
  return *pos >= incidents->len;
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
  Entry *entry = g_hash_table_lookup (self->by_id, id);
  return entry ? entry->incident : NULL;
}

gint64
gw_store_get_seq (GwStore *self)
{
  return self->seq;
}

static GPtrArray *
list_incidents (GPtrArray *list)
{
  GPtrArray *out = g_ptr_array_new_full (list ? list->len : 0,
                                         (GDestroyNotify) gw_incident_unref);

  for (guint i = 0; list != NULL && i < list->len; i++)
    g_ptr_array_add (out, gw_incident_ref (((Entry *) g_ptr_array_index (list, i))->incident));
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
    func (((Entry *) value)->incident, user_data);
}

GPtrArray *
gw_store_list (GwStore *self)
{
  GPtrArray *out = g_ptr_array_new_full (g_hash_table_size (self->by_id),
                                         (GDestroyNotify) gw_incident_unref);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->by_id);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (out, gw_incident_ref (((Entry *) value)->incident));
  return out;
}

GPtrArray *
gw_store_list_by_cell (GwStore    *self,
                       const char *cell_code)
{
  return list_incidents (g_hash_table_lookup (self->by_cell, cell_code));
}

GPtrArray *
gw_store_list_by_department (GwStore    *self,
                             const char *department_id)
{
  return list_incidents (g_hash_table_lookup (self->by_department, department_id));
}

GPtrArray *
gw_store_list_by_stage (GwStore *self,
                        GwStage  stage)
{
  g_return_val_if_fail (stage < GW_N_STAGES, NULL);
  return list_incidents (self->by_stage[stage]);
}

GPtrArray *
gw_store_list_late (GwStore *self,
                    GwTime   now)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_unref);
  gsize now_hour = (gsize) (now / GW_USEC_PER_HOUR);
  GHashTableIter buckets;
  gpointer hour, list;

  /* Buckets of past hours are late whole; only the current hour needs a look. */
  g_hash_table_iter_init (&buckets, self->by_deadline_hour);
  while (g_hash_table_iter_next (&buckets, &hour, &list))
    {
      if (GPOINTER_TO_SIZE (hour) > now_hour)
        continue;
      for (guint i = 0; i < ((GPtrArray *) list)->len; i++)
        {
          GwIncident *incident = ((Entry *) g_ptr_array_index ((GPtrArray *) list, i))->incident;
          if (incident->deadline < now)
            g_ptr_array_add (out, gw_incident_ref (incident));
        }
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
      GwIncident *incident = gw_store_lookup (self, ids[i]);
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
    g_clear_pointer (&self->by_stage[i], g_ptr_array_unref);
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
  self->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, entry_free);
  self->by_cell = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
  self->by_department = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < GW_N_STAGES; i++)
    self->by_stage[i] = g_ptr_array_new ();
  self->by_deadline_hour = g_hash_table_new_full (g_direct_hash, NULL, NULL,
                                                  (GDestroyNotify) g_ptr_array_unref);
  self->cells = g_ptr_array_new ();
  self->departments = g_ptr_array_new ();
  self->classes = g_ptr_array_new ();
  self->cell_by_code = g_hash_table_new (g_str_hash, g_str_equal);
  self->department_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->class_by_code = g_hash_table_new (g_str_hash, g_str_equal);
}
