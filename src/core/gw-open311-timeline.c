/* gw-open311-timeline.c — a request's stage timeline from what Open311 tells of it
 *
 * Candidates come from the request itself (received; closed when its status says so),
 * from Helsinki's department tasks (extended_attributes.tasks[]) and from notes[]. They
 * are applied in time order through the workflow; a stage the workflow refuses gets the
 * shortest chain of inferred stages in between, or is dropped, and the request is kept.
 */
#include "gw-open311-private.h"

#include <string.h>

#include "gw-workflow.h"

typedef struct {
  GwStage  stage;
  GwTime   time;
  guint    order;       /* position in the source, breaks ties between equal times */
  char    *id;
  char    *department;
  char    *note;
  gboolean from_status; /* the request's own status=closed */
} Cand;

static void
cand_free (Cand *c)
{
  g_free (c->id);
  g_free (c->department);
  g_free (c->note);
  g_free (c);
}

static Cand *
cand_add (GPtrArray *cands, GwStage stage, GwTime time, char *id, const char *department,
          const char *note)
{
  Cand *c = g_new0 (Cand, 1);
  c->stage = stage;
  c->time = time;
  c->order = cands->len;
  c->id = id;
  c->department = g_strdup (department);
  c->note = g_strdup (note);
  g_ptr_array_add (cands, c);
  return c;
}

static int
cand_compare (gconstpointer a, gconstpointer b)
{
  const Cand *x = *(const Cand *const *) a, *y = *(const Cand *const *) b;
  if (x->time != y->time)
    return x->time < y->time ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

/* Status words of notes[] (and of unknown task types) by what they mean. */
static gboolean
stage_for_word (const char *word, GwStage *out)
{
  static const struct { const char *needle; GwStage stage; } words[] = {
    { "reopen", GW_N_STAGES },
    { "close", GW_STAGE_CLOSED },
    { "complete", GW_STAGE_REPORTED_DONE },
    { "resolve", GW_STAGE_REPORTED_DONE },
    { "fixed", GW_STAGE_REPORTED_DONE },
    { "done", GW_STAGE_REPORTED_DONE },
    { "finish", GW_STAGE_REPORTED_DONE },
    { "wait", GW_STAGE_PARKED },
    { "hold", GW_STAGE_PARKED },
    { "pending", GW_STAGE_PARKED },
    { "defer", GW_STAGE_PARKED },
    { "schedul", GW_STAGE_PARKED },
    { "transferred_out", GW_STAGE_RETURNED },
    { "return", GW_STAGE_RETURNED },
    { "reject", GW_STAGE_RETURNED },
    { "progress", GW_STAGE_ON_SITE },
    { "activity", GW_STAGE_ON_SITE },
    { "work", GW_STAGE_ON_SITE },
    { "start", GW_STAGE_ON_SITE },
    { "inspect", GW_STAGE_ON_SITE },
    { "investigat", GW_STAGE_ON_SITE },
    { "on_site", GW_STAGE_ON_SITE },
    { "assign", GW_STAGE_DISPATCHED },
    { "dispatch", GW_STAGE_DISPATCHED },
    { "forward", GW_STAGE_DISPATCHED },
    { "transfer", GW_STAGE_DISPATCHED },
    { "acknowledg", GW_STAGE_DISPATCHED },
    { "accept", GW_STAGE_DISPATCHED },
    { "open", GW_STAGE_RECEIVED },
    { "new", GW_STAGE_RECEIVED },
    { "receive", GW_STAGE_RECEIVED },
    { "submit", GW_STAGE_RECEIVED },
    { "creat", GW_STAGE_RECEIVED },
  };
  if (word == NULL)
    return FALSE;
  g_autofree char *lower = g_ascii_strdown (word, -1);
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (strstr (lower, words[i].needle) != NULL)
      {
        if (words[i].stage == GW_N_STAGES)
          return FALSE;
        *out = words[i].stage;
        return TRUE;
      }
  return FALSE;
}

/* Helsinki's department tasks (extended_attributes.tasks[]): what the task's creation
 * and its end mean. wait_for_answer is the department preparing its answer (handling);
 * wait_for_comment waits on a third party (parked); "informed" is a copy for
 * information and no stage; transferred_out sends the case out of the city (returned). */
static void
task_stages (const char *type, const char *state, gboolean *has_start, GwStage *start,
             gboolean *has_end, GwStage *end)
{
  gboolean ended = g_strcmp0 (state, "completed") == 0 || g_strcmp0 (state, "closed") == 0;

  *has_start = TRUE;
  *has_end = FALSE;
  if (g_strcmp0 (type, "assigned") == 0)
    *start = GW_STAGE_DISPATCHED;
  else if (g_strcmp0 (type, "wait_for_answer") == 0 ||
           g_strcmp0 (type, "moved_to_other_system") == 0)
    {
      *start = GW_STAGE_ON_SITE;
      *has_end = ended;
      *end = GW_STAGE_REPORTED_DONE;
    }
  else if (g_strcmp0 (type, "wait_for_comment") == 0)
    *start = GW_STAGE_PARKED;
  else if (g_strcmp0 (type, "informed") == 0)
    *has_start = FALSE;
  else if (g_strcmp0 (type, "transferred_out") == 0)
    *start = GW_STAGE_RETURNED;
  else
    *has_start = stage_for_word (type, start) || stage_for_word (state, start);
}

static void
collect_tasks (GwOpen311Parse *p, JsonObject *request, GwTime floor_time, GPtrArray *cands)
{
  JsonNode *ext = gw_open311_member (request, "extended_attributes");
  if (ext == NULL || !JSON_NODE_HOLDS_OBJECT (ext))
    return;
  JsonNode *tasks = gw_open311_member (json_node_get_object (ext), "tasks");
  if (tasks == NULL || !JSON_NODE_HOLDS_ARRAY (tasks))
    return;

  JsonArray *list = json_node_get_array (tasks);
  guint n = json_array_get_length (list);
  g_autofree GwTime *starts = g_new0 (GwTime, n);  /* GW_TIME_NONE: no start event */
  g_autofree GwTime *ends = g_new0 (GwTime, n);
  g_autofree guint *kinds = g_new0 (guint, n);     /* start stage | end stage << 8 | flags */

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      JsonObject *task = json_node_get_object (node);
      g_autofree char *type = gw_open311_get_line (task, "task_type");
      g_autofree char *state = gw_open311_get_line (task, "task_state");
      g_autofree char *owner = gw_open311_get_line (task, "owner_name");
      GwTime created, modified;
      gboolean has_start, has_end;
      GwStage start, end;

      if (owner != NULL)
        gw_open311_ensure_department (p, owner);
      task_stages (type, state, &has_start, &start, &has_end, &end);
      if (!has_start && !has_end)
        continue;
      if (gw_open311_get_time (p, task, "task_created", &created) != GW_OPEN311_TIME_OK)
        created = GW_TIME_NONE;
      if (gw_open311_get_time (p, task, "task_modified", &modified) != GW_OPEN311_TIME_OK)
        modified = GW_TIME_NONE;
      if (created == GW_TIME_NONE)
        created = modified;
      if (modified == GW_TIME_NONE)
        modified = created;
      if (created == GW_TIME_NONE)
        {
          /* A task with no usable time cannot be placed. */
          p->result->n_events += has_start + has_end;
          p->result->n_dropped += has_start + has_end;
          continue;
        }
      starts[i] = has_start ? MAX (created, floor_time) : GW_TIME_NONE;
      ends[i] = has_end ? MAX (MAX (modified, created), floor_time) : GW_TIME_NONE;
      kinds[i] = start | end << 8;
    }

  for (guint i = 0; i < n; i++)
    {
      if (starts[i] == GW_TIME_NONE && ends[i] == GW_TIME_NONE)
        continue;
      JsonObject *task = json_node_get_object (json_array_get_element (list, i));
      g_autofree char *type = gw_open311_get_line (task, "task_type");
      g_autofree char *state = gw_open311_get_line (task, "task_state");
      g_autofree char *owner = gw_open311_get_line (task, "owner_name");
      g_autofree char *note = g_strdup_printf ("task %s (%s)", type ? type : "?",
                                               state ? state : "?");
      if (starts[i] != GW_TIME_NONE)
        cand_add (cands, kinds[i] & 0xff, starts[i], g_strdup_printf ("task-%u", i), owner, note);
      /* A completed answer is the department's report only when no task starts after
       * it; otherwise the case went on (re-assigned, answered again) and calling each
       * interim answer "reported done" would turn every hand-over into a rework. */
      gboolean superseded = FALSE;
      for (guint j = 0; !superseded && ends[i] != GW_TIME_NONE && j < n; j++)
        superseded = j != i && starts[j] != GW_TIME_NONE && starts[j] >= ends[i];
      if (ends[i] != GW_TIME_NONE && !superseded)
        cand_add (cands, kinds[i] >> 8, ends[i], g_strdup_printf ("task-%u-end", i), owner, note);
    }
}

/* notes[] of extensions=true: {datetime, description|summary, type|status}. */
static void
collect_notes (GwOpen311Parse *p, JsonObject *request, GwTime floor_time, const char *department,
               GPtrArray *cands)
{
  static const char *const time_names[] = { "datetime", "updated_datetime", "date", "created", NULL };
  static const char *const kind_names[] = { "type", "status", NULL };
  static const char *const text_names[] = { "description", "summary", "note", "text", NULL };

  JsonNode *notes = gw_open311_member (request, "notes");
  if (notes == NULL || !JSON_NODE_HOLDS_ARRAY (notes))
    return;

  JsonArray *list = json_node_get_array (notes);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      JsonObject *note = json_node_get_object (node);
      g_autofree char *kind = gw_open311_get_text_any (note, kind_names);
      g_autofree char *text = gw_open311_get_text_any (note, text_names);
      g_autofree char *when = gw_open311_get_text_any (note, time_names);
      GwStage stage;
      GwTime t;

      /* An unknown kind (a comment, "activity" with no stage meaning) is no stage. */
      if (!stage_for_word (kind, &stage))
        continue;
      if (!gw_open311_parse_time (when, p->options.offset_sec, &t))
        {
          p->result->n_events++;
          p->result->n_dropped++;
          continue;
        }
      cand_add (cands, stage, MAX (t, floor_time), g_strdup_printf ("note-%u", i), department,
                text);
    }
}

/* The shortest chain of stages that may be assumed to have happened in between. */
static guint
find_path (GwStage from, GwStage to, GwStage path[4])
{
  static const GwStage inferable[] = {
    GW_STAGE_REGISTERED, GW_STAGE_DISPATCHED, GW_STAGE_ON_SITE, GW_STAGE_REPORTED_DONE,
    GW_STAGE_RETURNED, GW_STAGE_REWORK,
  };
  int prev[GW_N_STAGES];
  GwStage queue[GW_N_STAGES];
  guint head = 0, tail = 0;

  for (guint i = 0; i < GW_N_STAGES; i++)
    prev[i] = -2;
  prev[from] = -1;
  queue[tail++] = from;
  while (head < tail)
    {
      GwStage s = queue[head++];
      if (s != from && gw_workflow_can_follow (s, to))
        {
          guint n = 0;
          for (int k = (int) s; k != -1 && (GwStage) k != from; k = prev[k])
            n++;
          if (n > 4)
            return 0;
          guint i = n;
          for (int k = (int) s; k != -1 && (GwStage) k != from; k = prev[k])
            path[--i] = (GwStage) k;
          return n;
        }
      for (guint i = 0; i < G_N_ELEMENTS (inferable); i++)
        {
          GwStage next = inferable[i];
          if (prev[next] == -2 && gw_workflow_can_follow (s, next))
            {
              prev[next] = (int) s;
              queue[tail++] = next;
            }
        }
    }
  return 0;
}

static gboolean
apply (GwIncident *inc, const Cand *c, GwStage stage, const char *id)
{
  g_autoptr(GwStageEvent) ev = gw_stage_event_new ();
  ev->id = g_strdup (id);
  ev->stage = stage;
  ev->time = c->time;
  ev->department = g_strdup (stage == GW_STAGE_DISPATCHED && c->department == NULL
                             ? inc->department : c->department);
  ev->note = g_strdup (stage == c->stage ? c->note : "inferred: not in the source data");
  ev->deadline = GW_TIME_NONE;
  return gw_incident_apply_event (inc, ev, NULL);
}

static void
apply_candidates (GwOpen311Parse *p, GwIncident *inc, GPtrArray *cands, gboolean closed)
{
  GwOpen311Result *r = p->result;

  g_ptr_array_sort (cands, cand_compare);
  for (guint i = 0; i < cands->len; i++)
    {
      const Cand *c = g_ptr_array_index (cands, i);

      r->n_events++;
      /* A closure the request's status denies is stale history. */
      if (c->stage == GW_STAGE_CLOSED && !c->from_status && !closed)
        {
          r->n_dropped++;
          continue;
        }
      if (inc->timeline->len > 0 && c->stage == inc->stage &&
          !gw_workflow_can_follow (c->stage, c->stage))
        {
          r->n_merged++;
          continue;
        }
      if (apply (inc, c, c->stage, c->id))
        continue;

      GwStage path[4];
      guint n = inc->timeline->len > 0 ? find_path (inc->stage, c->stage, path) : 0;
      gboolean ok = n > 0;
      for (guint k = 0; ok && k < n; k++)
        {
          g_autofree char *id = g_strdup_printf ("%s.via-%s", c->id, gw_stage_to_string (path[k]));
          ok = apply (inc, c, path[k], id);
          if (ok)
            r->n_inferred++;
        }
      if (!ok || !apply (inc, c, c->stage, c->id))
        r->n_dropped++;
    }
}

void
gw_open311_build_timeline (GwOpen311Parse *p,
                           GwIncident     *inc,
                           JsonObject     *request,
                           GwTime          requested,
                           GwTime          updated,
                           const char     *agency,
                           gboolean        closed)
{
  g_autoptr(GPtrArray) cands = g_ptr_array_new_with_free_func ((GDestroyNotify) cand_free);
  cand_add (cands, GW_STAGE_RECEIVED, requested, g_strdup ("received"), NULL, NULL);
  collect_tasks (p, request, requested, cands);
  collect_notes (p, request, requested, agency, cands);
  if (closed)
    {
      g_autofree char *notes = gw_open311_get_text (request, "status_notes");
      GwTime last = updated;
      for (guint i = 0; i < cands->len; i++)
        last = MAX (last, ((Cand *) cands->pdata[i])->time);
      Cand *c = cand_add (cands, GW_STAGE_CLOSED, last, g_strdup ("closed"), NULL, notes);
      c->from_status = TRUE;
      c->order = G_MAXUINT;  /* after everything at the same time */
    }
  apply_candidates (p, inc, cands, closed);
}
