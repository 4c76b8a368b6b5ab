/* gw-metrics.c — performance figures of cases, grouped, over a time range
 *
 * Two phases. (1) Extraction, split over worker threads: each case in range becomes one
 * fixed-size record (group, flags, stage, five durations) and its group key is looked
 * up in a per-worker table of borrowed strings, so the hot loop allocates nothing.
 * (2) Aggregation: flag bits are counted per group in one pass; each duration's values
 * are laid out group by group in one array and the median and p90 taken by selection
 * (nearest rank, exact), then the total row by one more selection over the whole array.
 * The records stay in the result: they are what gw_metrics_cases_for() reads.
 *
 * What one case counts for is gw-metrics-case.c's; the column vocabulary is in
 * gw-metrics-columns.c and the result's accessors in gw-metrics-result.c.
 */
#include "gw-metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gw-cell.h"
#include "gw-department.h"
#include "gw-incident-class.h"
#include "gw-metrics-private.h"

#define MAX_THREADS 8
#define CHUNK       65536  /* cases between cancellation checks */

/* ---- group keys: strings borrowed from the incidents ----------------------------- */

typedef struct {
  const char *str;   /* NULL: empty slot */
  guint32     len;
  guint32     hash;
  guint32     index;
} Slot;

typedef struct {
  Slot   *slots;
  guint   mask;
  guint   n;
  GArray *keys;   /* Slot, by index */
} KeyTable;

static void
key_table_init (KeyTable *t)
{
  t->mask = 63;
  t->slots = g_new0 (Slot, t->mask + 1);
  t->n = 0;
  t->keys = g_array_new (FALSE, FALSE, sizeof (Slot));
}

static void
key_table_clear (KeyTable *t)
{
  g_free (t->slots);
  g_array_unref (t->keys);
}

static inline guint32
hash_bytes (const char *s, guint32 len)
{
  guint32 h = 2166136261u;  /* FNV-1a */
  for (guint32 i = 0; i < len; i++)
    h = (h ^ (guchar) s[i]) * 16777619u;
  return h;
}

static void
key_table_grow (KeyTable *t)
{
  guint mask = t->mask * 2 + 1;
  Slot *slots = g_new0 (Slot, mask + 1);
  for (guint i = 0; i <= t->mask; i++)
    if (t->slots[i].str != NULL)
      {
        guint j = t->slots[i].hash & mask;
        while (slots[j].str != NULL)
          j = (j + 1) & mask;
        slots[j] = t->slots[i];
      }
  g_free (t->slots);
  t->slots = slots;
  t->mask = mask;
}

static guint32
key_table_lookup (KeyTable *t, const char *str, guint32 len)
{
  guint32 h = hash_bytes (str, len);
  guint j = h & t->mask;

  for (; t->slots[j].str != NULL; j = (j + 1) & t->mask)
    if (t->slots[j].hash == h && t->slots[j].len == len && memcmp (t->slots[j].str, str, len) == 0)
      return t->slots[j].index;
  Slot s = { str, len, h, t->n++ };
  t->slots[j] = s;
  g_array_append_val (t->keys, s);
  if (t->n * 2 > t->mask)
    key_table_grow (t);
  return s.index;
}

/* ---- the computation ------------------------------------------------------------- */

typedef struct {
  GwTime              from, to;
  GwMetricsGroupBy    by;
  GwMetricsCaseRules  rules;
  GPtrArray          *incidents;
  GCancellable       *cancellable;
} Ctx;

/* Per-group tallies: one count per flag, cases, stages and durations, in one row of 64. */
enum {
  C_CASES = GW_METRICS_N_FLAGS,
  C_STAGE = GW_METRICS_N_FLAGS + 1,
  C_DUR = C_STAGE + GW_N_STAGES,
  N_TALLY = 64
};
G_STATIC_ASSERT (C_DUR + GW_METRICS_N_DURATIONS <= N_TALLY);

typedef struct {
  guint64 c[N_TALLY];
  double  sum[GW_METRICS_N_DURATIONS];  /* µs */
} Tally;

typedef struct {
  const Ctx    *ctx;
  guint         start, end;  /* the slice of the input */
  KeyTable      keys;
  guint32       unassigned;  /* local index of the no-key group, G_MAXUINT32 until seen */
  GwMetricsRec *out;         /* records written from here (the shared array at start) */
  guint         n_out;
  GArray       *tally;       /* Tally, by local group */
  gboolean      cancelled;
  /* the fill pass */
  guint32      *gmap;        /* local group → row */
  gint64      **fill;        /* [duration][row]: next position in that duration's values */
  gint64       *values[GW_METRICS_N_DURATIONS];
} Worker;

static inline gboolean
group_key (const Ctx *ctx, const GwIncident *inc, const char **str, guint32 *len)
{
  const char *s = NULL;

  switch (ctx->by)
    {
    case GW_METRICS_BY_DEPARTMENT:
      s = inc->department;
      break;
    case GW_METRICS_BY_CELL:
      s = inc->cell_code;
      break;
    case GW_METRICS_BY_CLASS:
      s = inc->class_code;
      break;
    case GW_METRICS_BY_COMMUNITY:
      if (!gw_cell_code_is_valid (inc->cell_code))
        return FALSE;
      *str = inc->cell_code;
      *len = 12;
      return TRUE;
    case GW_METRICS_BY_NONE:
    case GW_N_METRICS_BY:
    default:
      return FALSE;
    }
  if (s == NULL || *s == '\0')
    return FALSE;
  *str = s;
  *len = (guint32) strlen (s);
  return TRUE;
}


/* The hot loop is bound by memory latency, not work: every case is an incident, its
 * timeline array, the array's storage and one allocation per event, scattered over the
 * heap. Fetching the chain a few cases ahead, one link per distance, keeps many misses
 * in flight instead of one. */
#define AHEAD 4

static inline void
prefetch_ahead (GwIncident **incs, guint i, guint end)
{
  if (i + 4 * AHEAD < end)
    __builtin_prefetch (incs[i + 4 * AHEAD]);
  if (i + 3 * AHEAD < end)
    __builtin_prefetch (incs[i + 3 * AHEAD]->timeline);
  if (i + 2 * AHEAD < end)
    {
      const GwIncident *n = incs[i + 2 * AHEAD];
      __builtin_prefetch (n->timeline->pdata);
      __builtin_prefetch (n->department);
    }
  if (i + AHEAD < end)
    {
      const GPtrArray *tl = incs[i + AHEAD]->timeline;
      for (guint k = 0; k < tl->len; k++)
        {
          const char *ev = tl->pdata[k];
          __builtin_prefetch (ev);
          __builtin_prefetch (ev + sizeof (GwStageEvent) - 1);
        }
    }
}

static inline Tally *
local_tally (Worker *w, guint32 group)
{
  if (group >= w->tally->len)
    g_array_set_size (w->tally, group + 1);  /* zeroed */
  return &g_array_index (w->tally, Tally, group);
}

static gpointer
worker_run (gpointer data)
{
  Worker *w = data;
  const Ctx *ctx = w->ctx;
  GwIncident **incs = (GwIncident **) ctx->incidents->pdata;

  for (guint start = w->start; start < w->end; start += CHUNK)
    {
      guint end = MIN (w->end, start + CHUNK);
      if (g_cancellable_is_cancelled (ctx->cancellable))
        {
          w->cancelled = TRUE;
          return NULL;
        }
      for (guint i = start; i < end; i++)
        {
          const GwIncident *inc = incs[i];
          const char *key;
          guint32 len;
          GwMetricsRec *r;

          prefetch_ahead (incs, i, w->end);
          if ((ctx->from != GW_TIME_NONE && inc->received_at < ctx->from) ||
              (ctx->to != GW_TIME_NONE && inc->received_at >= ctx->to))
            continue;
          r = &w->out[w->n_out++];
          r->index = i;
          if (group_key (ctx, inc, &key, &len))
            r->group = key_table_lookup (&w->keys, key, len);
          else
            {
              if (w->unassigned == G_MAXUINT32)
                {
                  Slot s = { NULL, 0, 0, w->keys.n++ };
                  g_array_append_val (w->keys.keys, s);
                  w->unassigned = s.index;
                }
              r->group = w->unassigned;
            }
          gw_metrics_case_evaluate (&ctx->rules, inc, r);

          Tally *t = local_tally (w, r->group);
          for (guint32 f = r->flags; f != 0; f &= f - 1)
            t->c[__builtin_ctz (f)]++;
          t->c[C_CASES]++;
          t->c[C_STAGE + r->stage]++;
          for (guint d = 0; d < GW_METRICS_N_DURATIONS; d++)
            if (r->dur[d] >= 0)
              {
                t->c[C_DUR + d]++;
                t->sum[d] += (double) r->dur[d];
              }
        }
    }
  return NULL;
}

/* Second pass over a worker's records: their final row, and their durations laid out
 * row by row in each duration's array (each worker owns its own positions). */
static gpointer
fill_run (gpointer data)
{
  Worker *w = data;
  for (guint i = 0; i < w->n_out; i++)
    {
      GwMetricsRec *r = &w->out[i];
      guint32 row = w->gmap[r->group];
      r->group = row;
      for (guint d = 0; d < GW_METRICS_N_DURATIONS; d++)
        if (r->dur[d] >= 0)
          w->values[d][w->fill[d][row]++] = r->dur[d];
    }
  return NULL;
}

/* ---- selection ------------------------------------------------------------------- */

static int
cmp_i64 (const void *a, const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

/* Rearranges v[0..n) so that v[k] is the value of rank k+1 and nothing before it is
 * larger (nth_element). Median-of-three quickselect; falls back to sorting after too
 * many rounds, so the worst case stays O(n log n). */
static void
select_k (gint64 *v, gsize n, gsize k)
{
  gsize lo = 0, hi = n;  /* v[k] lies in [lo, hi) */
  guint rounds = 0;

  while (hi - lo > 16)
    {
      if (++rounds > 64)
        {
          qsort (v + lo, hi - lo, sizeof *v, cmp_i64);
          return;
        }
      gsize mid = lo + (hi - lo) / 2;
      gint64 a = v[lo], b = v[mid], c = v[hi - 1];
      gint64 pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
      /* Three-way partition: [lo, lt) < pivot, [lt, gt) == pivot, [gt, hi) > pivot. */
      gsize lt = lo, i = lo, gt = hi;
      while (i < gt)
        {
          if (v[i] < pivot)
            {
              gint64 t = v[lt]; v[lt] = v[i]; v[i] = t;
              lt++, i++;
            }
          else if (v[i] > pivot)
            {
              gt--;
              gint64 t = v[gt]; v[gt] = v[i]; v[i] = t;
            }
          else
            i++;
        }
      if (k < lt)
        hi = lt;
      else if (k >= gt)
        lo = gt;
      else
        return;
    }
  /* Insertion sort of the small rest. */
  for (gsize i = lo + 1; i < hi; i++)
    {
      gint64 x = v[i];
      gsize j = i;
      for (; j > lo && v[j - 1] > x; j--)
        v[j] = v[j - 1];
      v[j] = x;
    }
}

/* Nearest rank: the value of rank ⌈p·n/100⌉, for p = 50 and 90. */
static inline gsize
rank_index (gsize n, guint p)
{
  return (p * n + 99) / 100 - 1;
}

/* Median and p90 of v[0..n), n > 0; v is permuted. */
static void
median_p90 (gint64 *v, gsize n, gint64 *median, gint64 *p90)
{
  gsize k90 = rank_index (n, 90), k50 = rank_index (n, 50);
  select_k (v, n, k90);
  *p90 = v[k90];
  /* Everything before k90 is ≤ v[k90], and k50 ≤ k90. */
  if (k50 < k90)
    select_k (v, k90, k50);
  *median = v[k50];
}

/* ---- rows ------------------------------------------------------------------------ */

typedef struct {
  char   *key;      /* NULL: unassigned */
  guint32 index;    /* global index before sorting */
} GroupKey;

static int
cmp_group_key (const void *a, const void *b)
{
  const GroupKey *x = a, *y = b;
  if (x->key == NULL || y->key == NULL)
    return (x->key == NULL) - (y->key == NULL);
  return strcmp (x->key, y->key);
}

static char *
label_for (const GwMetricsQuery *q, const char *key)
{
  if (key == NULL)
    return g_strdup (GW_METRICS_UNASSIGNED);
  switch (q->by)
    {
    case GW_METRICS_BY_DEPARTMENT:
      for (guint i = 0; q->departments && i < q->departments->len; i++)
        {
          const GwDepartment *d = g_ptr_array_index (q->departments, i);
          if (g_strcmp0 (d->id, key) == 0 && d->name != NULL)
            return g_strdup (d->name);
        }
      break;
    case GW_METRICS_BY_CELL:
      for (guint i = 0; q->cells && i < q->cells->len; i++)
        {
          const GwCell *c = g_ptr_array_index (q->cells, i);
          if (g_strcmp0 (c->code, key) == 0 && c->name != NULL)
            return g_strdup (c->name);
        }
      break;
    case GW_METRICS_BY_COMMUNITY:
      for (guint i = 0; q->cells && i < q->cells->len; i++)
        {
          const GwCell *c = g_ptr_array_index (q->cells, i);
          if (c->code != NULL && c->community != NULL && strncmp (c->code, key, 12) == 0 &&
              strlen (c->code) >= 12)
            return g_strdup (c->community);
        }
      break;
    case GW_METRICS_BY_CLASS:
      for (guint i = 0; q->classes && i < q->classes->len; i++)
        {
          const GwIncidentClass *k = g_ptr_array_index (q->classes, i);
          if (g_strcmp0 (k->code, key) == 0 && k->name != NULL)
            return g_strdup (k->name);
        }
      break;
    case GW_METRICS_BY_NONE:
    case GW_N_METRICS_BY:
    default:
      break;
    }
  return g_strdup (key);
}

static inline double
ratio (double num, double den)
{
  return den > 0 ? num / den : NAN;
}

/* The derived figures of one row from its counts. */
static void
finish_row (const GwMetricsQuery *q, double *v)
{
  v[GW_METRICS_COL_CLOSURE_RATE] = ratio (v[GW_METRICS_COL_CLOSED], v[GW_METRICS_COL_DUE_TO_CLOSE]);
  v[GW_METRICS_COL_ON_TIME_CLOSURE_RATE] =
    ratio (v[GW_METRICS_COL_CLOSED_ON_TIME], v[GW_METRICS_COL_DUE_TO_CLOSE]);
  v[GW_METRICS_COL_ON_TIME_HANDLING_RATE] =
    ratio (v[GW_METRICS_COL_HANDLED_ON_TIME], v[GW_METRICS_COL_DUE_TO_HANDLE]);
  v[GW_METRICS_COL_REWORK_RATE] = ratio (v[GW_METRICS_COL_REWORKED], v[GW_METRICS_COL_DUE_TO_CLOSE]);
  v[GW_METRICS_COL_EXTENSION_RATE] = ratio (v[GW_METRICS_COL_EXTENDED], v[GW_METRICS_COL_CASES]);
  double visited = v[GW_METRICS_COL_VISITED];
  v[GW_METRICS_COL_RESPONSE_RATE] = ratio (v[GW_METRICS_COL_CONTACTED], visited);
  v[GW_METRICS_COL_RESOLUTION_RATE] = ratio (v[GW_METRICS_COL_RESOLVED], visited);
  v[GW_METRICS_COL_SATISFACTION_RATE] =
    ratio (v[GW_METRICS_COL_SATISFIED] + 0.9 * v[GW_METRICS_COL_BASIC_SATISFIED], visited);

  const GwMetricsHotlineWeights *hw = &q->hotline_weights;
  double hsum = hw->response + hw->resolution + hw->satisfaction;
  v[GW_METRICS_COL_HOTLINE_SCORE] =
    visited > 0 && hsum > 0
    ? 100.0 * (hw->response * v[GW_METRICS_COL_RESPONSE_RATE] +
               hw->resolution * v[GW_METRICS_COL_RESOLUTION_RATE] +
               hw->satisfaction * v[GW_METRICS_COL_SATISFACTION_RATE]) / hsum
    : NAN;

  const GwMetricsScoreWeights *sw = &q->score_weights;
  const struct { double w, x; } parts[] = {
    { sw->on_time_closure, v[GW_METRICS_COL_ON_TIME_CLOSURE_RATE] },
    { sw->closure, v[GW_METRICS_COL_CLOSURE_RATE] },
    { sw->not_reworked, 1.0 - v[GW_METRICS_COL_REWORK_RATE] },
    { sw->on_time_handling, v[GW_METRICS_COL_ON_TIME_HANDLING_RATE] },
    { sw->not_extended, 1.0 - v[GW_METRICS_COL_EXTENSION_RATE] },
    { sw->hotline, v[GW_METRICS_COL_HOTLINE_SCORE] / 100.0 },
  };
  double wsum = 0, acc = 0;
  gboolean defined = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      if (parts[i].w == 0)
        continue;
      if (isnan (parts[i].x))
        defined = FALSE;
      wsum += parts[i].w;
      acc += parts[i].w * parts[i].x;
    }
  v[GW_METRICS_COL_SCORE] = defined && wsum > 0 ? 100.0 * acc / wsum : NAN;
}

/* Median and p90 of one duration, for every row: each row's values are a segment of
 * @v (in row order); the total row's are all of @v, so it comes last. */
typedef struct {
  GwMetricsResult *r;
  guint            n_groups;
  gint64          *values[GW_METRICS_N_DURATIONS];
  gsize           *offset[GW_METRICS_N_DURATIONS];  /* [row], n_groups + 1 entries */
  guint            first, step;
} DurJob;

static gpointer
duration_run (gpointer data)
{
  DurJob *job = data;
  GwMetricsResult *r = job->r;

  for (guint d = job->first; d < GW_METRICS_N_DURATIONS; d += job->step)
    {
      GwMetricsColumn col_n = gw_metrics_duration_column (d, GW_METRICS_DUR_N);
      for (guint g = 0; g <= job->n_groups; g++)
        {
          double *row = r->values + (gsize) g * GW_METRICS_N_COLUMNS;
          gsize n = (gsize) row[col_n];
          gint64 *seg = job->values[d] + (g < job->n_groups ? job->offset[d][g] : 0);
          gint64 med, p90;

          if (n == 0)
            {
              row[col_n + GW_METRICS_DUR_MEDIAN] = NAN;
              row[col_n + GW_METRICS_DUR_P90] = NAN;
              continue;
            }
          median_p90 (seg, n, &med, &p90);
          row[col_n + GW_METRICS_DUR_MEDIAN] = (double) med / 1e6;
          row[col_n + GW_METRICS_DUR_P90] = (double) p90 / 1e6;
        }
    }
  return NULL;
}

static void
free_workers (Worker *workers, guint n_threads, Ctx *ctx)
{
  for (guint t = 0; t < n_threads; t++)
    {
      key_table_clear (&workers[t].keys);
      g_array_unref (workers[t].tally);
      g_free (workers[t].gmap);
      if (workers[t].fill != NULL)
        for (guint d = 0; d < GW_METRICS_N_DURATIONS; d++)
          g_free (workers[t].fill[d]);
      g_free (workers[t].fill);
    }
  g_clear_pointer (&ctx->rules.class_hours, g_hash_table_unref);
}

/* Runs @func on every worker, the first on this thread. */
static void
run_parallel (Worker *workers, guint n_threads, GThreadFunc func, const char *name)
{
  GThread *threads[MAX_THREADS] = { NULL };
  for (guint t = 1; t < n_threads; t++)
    threads[t] = g_thread_new (name, func, &workers[t]);
  func (&workers[0]);
  for (guint t = 1; t < n_threads; t++)
    g_thread_join (threads[t]);
}

GwMetricsResult *
gw_metrics_compute (GPtrArray            *incidents,
                    const GwMetricsQuery *query,
                    GCancellable         *cancellable,
                    GError              **error)
{
  g_return_val_if_fail (incidents != NULL, NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail ((guint) query->by < GW_N_METRICS_BY, NULL);
  g_return_val_if_fail (incidents->len < G_MAXUINT32, NULL);

  Ctx ctx = {
    .from = query->from,
    .to = query->to,
    .rules.now = query->now != GW_TIME_NONE ? query->now : gw_time_now (),
    .by = query->by,
    .incidents = incidents,
    .cancellable = cancellable,
  };
  ctx.rules.due_limit = ctx.to != GW_TIME_NONE ? MIN (ctx.to, ctx.rules.now) : ctx.rules.now;
  if (query->default_deadline_hours > 0)
    ctx.rules.default_deadline = (GwTime) query->default_deadline_hours * GW_USEC_PER_HOUR;
  if (query->classes != NULL)
    {
      ctx.rules.class_hours = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < query->classes->len; i++)
        {
          const GwIncidentClass *k = g_ptr_array_index (query->classes, i);
          if (k->code != NULL && !g_hash_table_contains (ctx.rules.class_hours, k->code))
            g_hash_table_insert (ctx.rules.class_hours, k->code,
                                 GINT_TO_POINTER (k->deadline_hours));
        }
    }

  gboolean trace = g_getenv ("GW_METRICS_TRACE") != NULL;
  gint64 t_start = trace ? g_get_monotonic_time () : 0, t_phase1 = 0, t_fill = 0;

  /* Phase 1: records and tallies, in parallel over contiguous slices of the input, each
   * worker writing its records into its own part of one array. */
  guint n = incidents->len;
  guint n_threads = query->n_threads ? query->n_threads : g_get_num_processors ();
  n_threads = CLAMP (n_threads, 1, MAX_THREADS);
  if (n < 4 * CHUNK)
    n_threads = 1;
  GwMetricsRec *recs = g_new (GwMetricsRec, MAX (n, 1));
  Worker workers[MAX_THREADS];
  memset (workers, 0, sizeof workers);
  for (guint t = 0; t < n_threads; t++)
    {
      Worker *w = &workers[t];
      w->ctx = &ctx;
      w->start = (guint) ((guint64) n * t / n_threads);
      w->end = (guint) ((guint64) n * (t + 1) / n_threads);
      key_table_init (&w->keys);
      w->unassigned = G_MAXUINT32;
      w->out = recs + w->start;
      w->tally = g_array_new (FALSE, TRUE, sizeof (Tally));
    }
  run_parallel (workers, n_threads, worker_run, "gw-metrics");
  gboolean cancelled = FALSE;
  for (guint t = 0; t < n_threads; t++)
    cancelled |= workers[t].cancelled;
  if (cancelled)
    {
      free_workers (workers, n_threads, &ctx);
      g_free (recs);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Computing metrics was cancelled");
      return NULL;
    }
  if (trace)
    t_phase1 = g_get_monotonic_time ();

  /* Rows: merge the workers' keys, sort them, map every local group to its row. */
  g_autoptr(GHashTable) global = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) groups = g_array_new (FALSE, FALSE, sizeof (GroupKey));
  guint32 *maps[MAX_THREADS] = { NULL };
  guint32 unassigned = G_MAXUINT32;
  for (guint t = 0; t < n_threads; t++)
    {
      GArray *keys = workers[t].keys.keys;
      maps[t] = g_new (guint32, MAX (keys->len, 1));
      for (guint k = 0; k < keys->len; k++)
        {
          const Slot *sl = &g_array_index (keys, Slot, k);
          if (sl->str == NULL)
            {
              if (unassigned == G_MAXUINT32)
                {
                  GroupKey gk = { NULL, groups->len };
                  unassigned = groups->len;
                  g_array_append_val (groups, gk);
                }
              maps[t][k] = unassigned;
              continue;
            }
          char *key = g_strndup (sl->str, sl->len);
          gpointer found;
          if (g_hash_table_lookup_extended (global, key, NULL, &found))
            {
              maps[t][k] = GPOINTER_TO_UINT (found);
              g_free (key);
            }
          else
            {
              GroupKey gk = { key, groups->len };
              g_hash_table_insert (global, key, GUINT_TO_POINTER (groups->len));
              maps[t][k] = groups->len;
              g_array_append_val (groups, gk);
            }
        }
    }
  guint n_groups = groups->len;
  if (ctx.by == GW_METRICS_BY_NONE)
    {
      /* Every case is in the one "(unassigned)" group: that is the total row. */
      g_assert (n_groups <= 1);
      g_array_set_size (groups, 0);
      n_groups = 0;
    }
  /* qsort's array must not be NULL, even when empty. */
  if (n_groups > 0)
    qsort (groups->data, n_groups, sizeof (GroupKey), cmp_group_key);
  g_autofree guint32 *final = g_new0 (guint32, MAX (groups->len, 1));
  for (guint g = 0; g < n_groups; g++)
    final[g_array_index (groups, GroupKey, g).index] = g;  /* by = none: all 0 */
  for (guint t = 0; t < n_threads; t++)
    {
      GArray *keys = workers[t].keys.keys;
      workers[t].gmap = g_new (guint32, MAX (keys->len, 1));
      for (guint k = 0; k < keys->len; k++)
        workers[t].gmap[k] = final[maps[t][k]];
    }

  GwMetricsResult *r = g_new0 (GwMetricsResult, 1);
  g_atomic_ref_count_init (&r->ref_count);
  r->query = *query;
  r->query.now = ctx.rules.now;
  gw_metrics_query_ref_arrays (&r->query);
  r->incidents = g_ptr_array_ref (incidents);
  r->n_rows = n_groups + 1;
  r->keys = g_new0 (char *, r->n_rows);
  r->labels = g_new0 (char *, r->n_rows);
  for (guint g = 0; g < n_groups; g++)
    {
      GroupKey *gk = &g_array_index (groups, GroupKey, g);
      r->labels[g] = label_for (query, gk->key);
      r->keys[g] = gk->key ? gk->key : g_strdup (GW_METRICS_UNASSIGNED);
      gk->key = NULL;  /* owned by r->keys now; the hash table only borrowed it */
    }
  r->keys[n_groups] = g_strdup (GW_METRICS_TOTAL);
  r->labels[n_groups] = g_strdup (GW_METRICS_TOTAL);

  /* Row tallies: the workers' by row, then the total. */
  g_autofree Tally *tally = g_new0 (Tally, r->n_rows);
  for (guint t = 0; t < n_threads; t++)
    for (guint k = 0; k < workers[t].tally->len; k++)
      {
        const Tally *src = &g_array_index (workers[t].tally, Tally, k);
        Tally *dst = &tally[workers[t].gmap[k]];
        for (guint i = 0; i < N_TALLY; i++)
          dst->c[i] += src->c[i];
        for (guint d = 0; d < GW_METRICS_N_DURATIONS; d++)
          dst->sum[d] += src->sum[d];
      }
  for (guint g = 0; g < n_groups; g++)
    {
      for (guint i = 0; i < N_TALLY; i++)
        tally[n_groups].c[i] += tally[g].c[i];
      for (guint d = 0; d < GW_METRICS_N_DURATIONS; d++)
        tally[n_groups].sum[d] += tally[g].sum[d];
    }

  r->values = g_new0 (double, (gsize) r->n_rows * GW_METRICS_N_COLUMNS);
  for (guint g = 0; g < r->n_rows; g++)
    {
      double *v = r->values + (gsize) g * GW_METRICS_N_COLUMNS;
      const Tally *tl = &tally[g];
      for (guint f = 0; f < GW_METRICS_N_FLAGS; f++)
        v[gw_metrics_flag_column[f]] = (double) tl->c[f];
      v[GW_METRICS_COL_CASES] = (double) tl->c[C_CASES];
      for (guint st = 0; st < GW_N_STAGES; st++)
        v[GW_METRICS_COL_STAGE_FIRST + st] = (double) tl->c[C_STAGE + st];
      for (guint d = 0; d < GW_METRICS_N_DURATIONS; d++)
        {
          GwMetricsColumn c = gw_metrics_duration_column (d, GW_METRICS_DUR_N);
          guint64 cnt = tl->c[C_DUR + d];
          v[c] = (double) cnt;
          v[c + GW_METRICS_DUR_MEAN] = cnt ? tl->sum[d] / (double) cnt / 1e6 : NAN;
        }
    }

  /* Durations: each row's values a segment of one array per duration, each worker
   * filling its own positions within each segment; records move to their rows. */
  DurJob job = { r, n_groups, { NULL }, { NULL }, 0, 1 };
  for (guint d = 0; d < GW_METRICS_N_DURATIONS; d++)
    {
      job.values[d] = g_new (gint64, MAX (tally[n_groups].c[C_DUR + d], 1));
      job.offset[d] = g_new0 (gsize, n_groups + 1);
      gsize at = 0;
      for (guint g = 0; g < n_groups; g++)
        {
          job.offset[d][g] = at;
          at += tally[g].c[C_DUR + d];
        }
    }
  for (guint t = 0; t < n_threads; t++)
    {
      Worker *w = &workers[t];
      w->fill = g_new0 (gint64 *, GW_METRICS_N_DURATIONS);
      for (guint d = 0; d < GW_METRICS_N_DURATIONS; d++)
        {
          w->values[d] = job.values[d];
          w->fill[d] = g_new0 (gint64, n_groups + 1);
          for (guint g = 0; g < n_groups; g++)
            w->fill[d][g] = (gint64) job.offset[d][g];
          /* …after what the workers before this one put in each row. */
          for (guint u = 0; u < t; u++)
            for (guint k = 0; k < workers[u].tally->len; k++)
              w->fill[d][workers[u].gmap[k]] +=
                (gint64) g_array_index (workers[u].tally, Tally, k).c[C_DUR + d];
        }
    }
  run_parallel (workers, n_threads, fill_run, "gw-metrics-fill");
  if (trace)
    t_fill = g_get_monotonic_time ();

  /* The records of all workers, contiguous (they are apart when cases were filtered). */
  r->n_recs = 0;
  for (guint t = 0; t < n_threads; t++)
    {
      if (recs + r->n_recs != workers[t].out)
        memmove (recs + r->n_recs, workers[t].out, workers[t].n_out * sizeof (GwMetricsRec));
      r->n_recs += workers[t].n_out;
    }
  r->recs = recs;

  {
    guint dt = MIN (n_threads, (guint) GW_METRICS_N_DURATIONS);
    DurJob jobs[MAX_THREADS];
    GThread *dthreads[MAX_THREADS] = { NULL };
    for (guint t = 0; t < dt; t++)
      {
        jobs[t] = job;
        jobs[t].first = t;
        jobs[t].step = dt;
      }
    for (guint t = 1; t < dt; t++)
      dthreads[t] = g_thread_new ("gw-metrics-dur", duration_run, &jobs[t]);
    duration_run (&jobs[0]);
    for (guint t = 1; t < dt; t++)
      g_thread_join (dthreads[t]);
  }
  for (guint d = 0; d < GW_METRICS_N_DURATIONS; d++)
    {
      g_free (job.values[d]);
      g_free (job.offset[d]);
    }

  for (guint g = 0; g < r->n_rows; g++)
    finish_row (query, r->values + (gsize) g * GW_METRICS_N_COLUMNS);
  if (trace)
    g_printerr ("gw-metrics: %u cases, %u in range, %u rows, %u threads: records %.1f ms, "
                "rows and fill %.1f ms, medians %.1f ms, total %.1f ms\n",
                n, r->n_recs, r->n_rows, n_threads, (t_phase1 - t_start) / 1e3,
                (t_fill - t_phase1) / 1e3, (g_get_monotonic_time () - t_fill) / 1e3,
                (g_get_monotonic_time () - t_start) / 1e3);

  for (guint t = 0; t < n_threads; t++)
    g_free (maps[t]), maps[t] = NULL;
  free_workers (workers, n_threads, &ctx);
  return r;
}

/* ---- async ----------------------------------------------------------------------- */

typedef struct {
  GPtrArray      *incidents;
  GwMetricsQuery  query;
} AsyncData;

static void
async_data_free (AsyncData *a)
{
  g_ptr_array_unref (a->incidents);
  gw_metrics_query_unref_arrays (&a->query);
  g_free (a);
}

static void
compute_thread (GTask        *task,
                gpointer      source_object G_GNUC_UNUSED,
                gpointer      task_data,
                GCancellable *cancellable)
{
  AsyncData *a = task_data;
  GError *error = NULL;
  GwMetricsResult *r = gw_metrics_compute (a->incidents, &a->query, cancellable, &error);

  if (r != NULL)
    g_task_return_pointer (task, r, (GDestroyNotify) gw_metrics_result_unref);
  else
    g_task_return_error (task, error);
}

void
gw_metrics_compute_async (GPtrArray            *incidents,
                          const GwMetricsQuery *query,
                          GCancellable         *cancellable,
                          GAsyncReadyCallback   callback,
                          gpointer              user_data)
{
  g_return_if_fail (incidents != NULL && query != NULL);

  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  AsyncData *a = g_new0 (AsyncData, 1);

  g_task_set_source_tag (task, gw_metrics_compute_async);
  a->incidents = g_ptr_array_ref (incidents);
  a->query = *query;
  if (a->query.now == GW_TIME_NONE)
    a->query.now = gw_time_now ();
  gw_metrics_query_ref_arrays (&a->query);
  g_task_set_task_data (task, a, (GDestroyNotify) async_data_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, compute_thread);
}

GwMetricsResult *
gw_metrics_compute_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gw_metrics_compute_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
