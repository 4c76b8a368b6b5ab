/* gw-open311.c — Open311 GeoReport v2 documents mapped to the Gridwatch model
 *
 * Both formats go through one mapping: XML is first turned into the same JsonNode shape
 * a JSON server sends (leaf elements → strings, list containers → arrays), and every
 * field reader accepts a number or a string, which is what real servers mix anyway.
 */
#include "gw-open311.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "gw-codec.h"
#include "gw-workflow.h"

G_DEFINE_QUARK (gw-open311-error-quark, gw_open311_error)

#define MAX_WARNINGS      16
#define XML_MAX_DEPTH     64
#define ID_MAX            64
#define DEPT_DISPATCH_MIN 60   /* no Open311 server says; an hour to get there */

/* ---- result ---------------------------------------------------------------- */

static GwOpen311Result *
result_new (void)
{
  GwOpen311Result *r = g_new0 (GwOpen311Result, 1);
  r->incidents = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_unref);
  r->classes = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_incident_class_unref);
  r->departments = g_ptr_array_new_with_free_func ((GDestroyNotify) gw_department_unref);
  r->warnings = g_ptr_array_new_with_free_func (g_free);
  return r;
}

void
gw_open311_result_free (GwOpen311Result *result)
{
  if (result == NULL)
    return;
  g_ptr_array_unref (result->incidents);
  g_ptr_array_unref (result->classes);
  g_ptr_array_unref (result->departments);
  g_ptr_array_unref (result->warnings);
  g_free (result);
}

/* One parse: the result being filled and the lookups that keep its lists unique. */
typedef struct {
  GwOpen311Result  *result;
  GwOpen311Options  options;
  GHashTable       *departments;  /* id → GwDepartment* (owned by result) */
  GHashTable       *classes;      /* code → GwIncidentClass* (owned by result) */
} Parse;

static void
parse_init (Parse *p, const GwOpen311Options *options)
{
  p->result = result_new ();
  if (options != NULL)
    p->options = *options;
  if (p->options.deadline_hours <= 0)
    p->options.deadline_hours = GW_OPEN311_DEFAULT_DEADLINE_HOURS;
  p->departments = g_hash_table_new (g_str_hash, g_str_equal);
  p->classes = g_hash_table_new (g_str_hash, g_str_equal);
}

static GwOpen311Result *
parse_finish (Parse *p)
{
  g_hash_table_unref (p->departments);
  g_hash_table_unref (p->classes);
  return p->result;
}

static void skip_record (Parse *p, guint index, const char *format, ...) G_GNUC_PRINTF (3, 4);

static void
skip_record (Parse *p, guint index, const char *format, ...)
{
  p->result->n_skipped++;
  if (p->result->warnings->len >= MAX_WARNINGS)
    return;
  va_list args;
  va_start (args, format);
  g_autofree char *why = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (p->result->warnings, g_strdup_printf ("record %u skipped: %s", index, why));
}

/* ---- text ------------------------------------------------------------------ */

/* Line breaks as "\n", surrounding white space gone; NULL when nothing is left. */
static char *
clean_text (const char *text)
{
  if (text == NULL)
    return NULL;
  GString *s = g_string_sized_new (strlen (text));
  for (const char *c = text; *c != '\0'; c++)
    {
      if (*c == '\r')
        {
          g_string_append_c (s, '\n');
          if (c[1] == '\n')
            c++;
        }
      else
        g_string_append_c (s, *c);
    }
  g_strstrip (s->str);
  s->len = strlen (s->str);
  if (s->len == 0)
    {
      g_string_free (s, TRUE);
      return NULL;
    }
  return g_string_free (s, FALSE);
}

/* For titles, names and addresses: every run of white space becomes one space. */
static char *
one_line (const char *text)
{
  g_autofree char *clean = clean_text (text);
  if (clean == NULL)
    return NULL;
  GString *s = g_string_sized_new (strlen (clean));
  gboolean space = FALSE;
  for (const char *c = clean; *c != '\0'; c++)
    {
      if (g_ascii_isspace (*c))
        space = TRUE;
      else
        {
          if (space)
            g_string_append_c (s, ' ');
          space = FALSE;
          g_string_append_c (s, *c);
        }
    }
  return g_string_free (s, FALSE);
}

char *
gw_open311_sanitize_code (const char *text, gboolean hash_suffix)
{
  if (text == NULL || *text == '\0')
    return g_strdup ("unknown");

  gsize len = strlen (text);
  gboolean utf8 = g_utf8_validate (text, (gssize) len, NULL);
  gboolean changed = FALSE;
  GString *s = g_string_sized_new (MIN (len, ID_MAX));

  for (const char *c = text; *c != '\0';)
    {
      if (s->len == ID_MAX)
        {
          changed = TRUE;
          break;
        }
      if (g_ascii_isalnum (*c) || *c == '.' || *c == '_' || *c == '-')
        {
          g_string_append_c (s, *c);
          c++;
          continue;
        }
      /* One '_' per character, not per byte, so "Töölö" stays readable. */
      g_string_append_c (s, '_');
      changed = TRUE;
      c = utf8 ? g_utf8_next_char (c) : c + 1;
    }
  if (changed && hash_suffix)
    {
      g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, (gssize) len);
      g_string_truncate (s, MIN (s->len, ID_MAX - 17));
      g_string_append_c (s, '-');
      g_string_append_len (s, sum, 16);
    }
  return g_string_free (s, FALSE);
}

/* ---- times ----------------------------------------------------------------- */

static gboolean
all_digits (const char *s, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

gboolean
gw_open311_parse_time (const char *text, int offset_sec, GwTime *out)
{
  GwTime t;

  if (text == NULL)
    return FALSE;
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  g_autoptr(GString) s = g_string_new (trimmed);

  if (s->len == 10)
    g_string_append (s, "T00:00:00");
  /* Zones the RFC does not allow but servers send: +hhmm, +hh, " UTC". */
  if (s->len > 19)
    {
      gsize p = 19;
      if (s->str[p] == '.')
        for (p++; p < s->len && g_ascii_isdigit (s->str[p]); p++)
          ;
      const char *zone = s->str + p;
      gsize zone_len = s->len - p;
      if ((zone[0] == '+' || zone[0] == '-') && zone_len == 5 && all_digits (zone + 1, 4))
        g_string_insert_c (s, (gssize) p + 3, ':');
      else if ((zone[0] == '+' || zone[0] == '-') && zone_len == 3 && all_digits (zone + 1, 2))
        g_string_append (s, ":00");
      else if (g_strcmp0 (zone, " UTC") == 0 || g_strcmp0 (zone, " GMT") == 0 ||
               g_strcmp0 (zone, "UTC") == 0)
        {
          g_string_truncate (s, p);
          g_string_append_c (s, 'Z');
        }
    }
  if (!gw_time_parse_lenient (s->str, offset_sec, &t) || t <= 0)
    return FALSE;
  if (out != NULL)
    *out = t;
  return TRUE;
}

/* ---- reading fields (JSON values or XML strings) ---------------------------- */

/* The member, or NULL when absent or null. */
static JsonNode *
member (JsonObject *o, const char *name)
{
  if (o == NULL)
    return NULL;
  JsonNode *n = json_object_get_member (o, name);
  return n != NULL && !JSON_NODE_HOLDS_NULL (n) ? n : NULL;
}

/* A scalar as text: service_code is a number on some servers and a string on others. */
static char *
node_text (JsonNode *n)
{
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return NULL;
  switch (json_node_get_value_type (n))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (n));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (n));
    case G_TYPE_DOUBLE:
      {
        double d = json_node_get_double (n);
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        if (d == floor (d) && fabs (d) < 1e15)
          return g_strdup_printf ("%.0f", d);
        return g_strdup (g_ascii_dtostr (buf, sizeof buf, d));
      }
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (n) ? "true" : "false");
    default:
      return NULL;
    }
}

static char *
get_raw (JsonObject *o, const char *name)
{
  return node_text (member (o, name));
}

static char *
get_text (JsonObject *o, const char *name)
{
  g_autofree char *raw = get_raw (o, name);
  return clean_text (raw);
}

static char *
get_line (JsonObject *o, const char *name)
{
  g_autofree char *raw = get_raw (o, name);
  return one_line (raw);
}

static gboolean
get_double (JsonObject *o, const char *name, double *out)
{
  JsonNode *n = member (o, name);
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return FALSE;
  GType type = json_node_get_value_type (n);
  if (type == G_TYPE_DOUBLE || type == G_TYPE_INT64)
    {
      *out = json_node_get_double (n);
      return isfinite (*out);
    }
  if (type != G_TYPE_STRING)
    return FALSE;
  g_autofree char *s = g_strstrip (g_strdup (json_node_get_string (n)));
  char *end = NULL;
  if (*s == '\0')
    return FALSE;
  *out = g_ascii_strtod (s, &end);
  return end != NULL && *end == '\0' && isfinite (*out);
}

typedef enum { TIME_ABSENT, TIME_OK, TIME_BAD } TimeRead;

static TimeRead
get_time (Parse *p, JsonObject *o, const char *name, GwTime *out)
{
  g_autofree char *s = get_text (o, name);
  *out = GW_TIME_NONE;
  if (s == NULL)
    return TIME_ABSENT;
  return gw_open311_parse_time (s, p->options.offset_sec, out) ? TIME_OK : TIME_BAD;
}

/* The first of @names that is present, as text. */
static char *
get_text_any (JsonObject *o, const char *const *names)
{
  for (; *names != NULL; names++)
    {
      char *s = get_text (o, *names);
      if (s != NULL)
        return s;
    }
  return NULL;
}

/* ---- reference data -------------------------------------------------------- */

static GwDepartment *
ensure_department (Parse *p, const char *name)
{
  GwDepartment *dep = g_hash_table_lookup (p->departments, name);
  if (dep != NULL)
    return dep;
  dep = gw_department_new ();
  dep->id = g_strdup (name);
  dep->name = g_strdup (name);
  dep->dispatch_minutes = DEPT_DISPATCH_MIN;
  dep->handle_hours = p->options.deadline_hours;
  g_ptr_array_add (p->result->departments, dep);
  g_hash_table_insert (p->departments, dep->id, dep);
  return dep;
}

static GwIncidentClass *
ensure_class (Parse *p, const char *code, const char *name, const char *group)
{
  GwIncidentClass *klass = g_hash_table_lookup (p->classes, code);
  if (klass != NULL)
    return klass;
  klass = gw_incident_class_new ();
  klass->code = g_strdup (code);
  klass->name = g_strdup (name != NULL ? name : code);
  klass->category = g_strdup (group != NULL ? group : "");
  klass->kind = GW_CLASS_KIND_EVENT;
  klass->department = NULL;
  klass->deadline_hours = p->options.deadline_hours;
  klass->priority = GW_PRIORITY_NORMAL;
  g_ptr_array_add (p->result->classes, klass);
  g_hash_table_insert (p->classes, klass->code, klass);
  return klass;
}

/* ---- documents ------------------------------------------------------------- */

/* XML is read into a small element tree first, then shaped like the JSON form. */
typedef struct _XmlElem XmlElem;
struct _XmlElem {
  char      *name;
  GString   *text;
  GPtrArray *children;  /* XmlElem* */
};

static void
xml_elem_free (XmlElem *e)
{
  g_free (e->name);
  g_string_free (e->text, TRUE);
  g_ptr_array_unref (e->children);
  g_free (e);
}

static XmlElem *
xml_elem_new (const char *name)
{
  XmlElem *e = g_new0 (XmlElem, 1);
  e->name = g_strdup (name);
  e->text = g_string_new (NULL);
  e->children = g_ptr_array_new_with_free_func ((GDestroyNotify) xml_elem_free);
  return e;
}

typedef struct {
  XmlElem   *root;
  GPtrArray *stack;  /* XmlElem*, borrowed */
} XmlBuild;

static void
xml_start_cb (GMarkupParseContext *context, const char *name, const char **attr_names,
              const char **attr_values, gpointer user_data, GError **error)
{
  XmlBuild *b = user_data;

  if (b->stack->len >= XML_MAX_DEPTH)
    {
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                   "elements nested more than %d deep", XML_MAX_DEPTH);
      return;
    }
  if (b->stack->len == 0 && b->root != NULL)
    {
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                   "more than one root element");
      return;
    }
  XmlElem *e = xml_elem_new (name);
  if (b->stack->len == 0)
    b->root = e;
  else
    g_ptr_array_add (((XmlElem *) g_ptr_array_index (b->stack, b->stack->len - 1))->children, e);
  g_ptr_array_add (b->stack, e);
}

static void
xml_end_cb (GMarkupParseContext *context, const char *name, gpointer user_data, GError **error)
{
  XmlBuild *b = user_data;
  g_ptr_array_set_size (b->stack, b->stack->len - 1);
}

static void
xml_text_cb (GMarkupParseContext *context, const char *text, gsize len, gpointer user_data,
             GError **error)
{
  XmlBuild *b = user_data;
  if (b->stack->len > 0)
    g_string_append_len (((XmlElem *) g_ptr_array_index (b->stack, b->stack->len - 1))->text,
                         text, (gssize) len);
}

static gboolean
is_list_name (const char *name)
{
  static const char *const lists[] = {
    "service_requests", "requests", "services", "notes", "tasks", "errors", "attributes",
    "values", NULL
  };
  return g_strv_contains (lists, name);
}

static JsonNode *
xml_to_json (XmlElem *e)
{
  GPtrArray *kids = e->children;

  if (kids->len == 0 && is_list_name (e->name))
    {
      JsonNode *empty = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (empty, json_array_new ());
      return empty;
    }
  if (kids->len == 0)
    {
      g_autofree char *text = g_strdup (e->text->str);
      if (*g_strstrip (text) == '\0')
        return json_node_new (JSON_NODE_NULL);
      return json_node_init_string (json_node_alloc (), e->text->str);
    }

  gboolean same = kids->len > 1;
  for (guint i = 1; same && i < kids->len; i++)
    same = strcmp (((XmlElem *) kids->pdata[i])->name, ((XmlElem *) kids->pdata[0])->name) == 0;

  if (same || is_list_name (e->name))
    {
      JsonArray *array = json_array_sized_new (kids->len);
      for (guint i = 0; i < kids->len; i++)
        json_array_add_element (array, xml_to_json (kids->pdata[i]));
      JsonNode *node = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (node, array);
      return node;
    }

  JsonObject *object = json_object_new ();
  for (guint i = 0; i < kids->len; i++)
    {
      XmlElem *kid = kids->pdata[i];
      /* A repeated field keeps its first value. */
      if (!json_object_has_member (object, kid->name))
        json_object_set_member (object, kid->name, xml_to_json (kid));
    }
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

static JsonNode *
parse_xml (const char *data, gsize length, GError **error)
{
  static const GMarkupParser parser = { xml_start_cb, xml_end_cb, xml_text_cb, NULL, NULL };
  XmlBuild b = { NULL, g_ptr_array_new () };
  g_autoptr(GError) local = NULL;
  GMarkupParseContext *context;
  JsonNode *root = NULL;

  context = g_markup_parse_context_new (&parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &b, NULL);
  if (g_markup_parse_context_parse (context, data, (gssize) length, &local) &&
      g_markup_parse_context_end_parse (context, &local))
    {
      if (b.root == NULL)
        g_set_error (error, GW_OPEN311_ERROR, GW_OPEN311_ERROR_MALFORMED,
                     "not Open311 XML: the document is empty");
      else
        root = xml_to_json (b.root);
    }
  else
    g_set_error (error, GW_OPEN311_ERROR, GW_OPEN311_ERROR_MALFORMED,
                 "not Open311 XML: %s", local->message);
  g_markup_parse_context_free (context);
  g_clear_pointer (&b.root, xml_elem_free);
  g_ptr_array_unref (b.stack);
  return root;
}

static JsonNode *
parse_document (const char *data, gsize length, GwOpen311Format format, GError **error)
{
  g_autoptr(GError) local = NULL;

  if (data == NULL)
    {
      data = "";
      length = 0;
    }
  /* Some servers start with a byte order mark. */
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }
  if (format == GW_OPEN311_FORMAT_XML)
    return parse_xml (data, length, error);

  /* The strict reader bounds nesting and checks UTF-8 before json-glib sees the data. */
  JsonNode *root = gw_json_parse (data, (gssize) length, &local);
  if (root == NULL)
    {
      /* The codec names a field path; for a whole document that is noise. */
      const char *why = local->message;
      if (g_str_has_prefix (why, "(root): "))
        why += strlen ("(root): ");
      g_set_error (error, GW_OPEN311_ERROR, GW_OPEN311_ERROR_MALFORMED,
                   "not Open311 JSON: %s", why);
    }
  return root;
}

/* An Open311 error answer: [{"code": 403, "description": "..."}]. */
static gboolean
check_error_list (JsonArray *list, const char *key_field, GError **error)
{
  if (json_array_get_length (list) == 0)
    return TRUE;
  JsonNode *first = json_array_get_element (list, 0);
  if (!JSON_NODE_HOLDS_OBJECT (first))
    return TRUE;
  JsonObject *o = json_node_get_object (first);
  if (member (o, key_field) != NULL || member (o, "description") == NULL ||
      member (o, "code") == NULL)
    return TRUE;
  g_autofree char *code = get_line (o, "code");
  g_autofree char *description = get_line (o, "description");
  g_set_error (error, GW_OPEN311_ERROR, GW_OPEN311_ERROR_SERVER,
               "the server reported an error: %s (code %s)",
               description ? description : "no description", code ? code : "none");
  return FALSE;
}

/* The list of records in @root: a bare list, or one wrapped under a known name. */
static JsonArray *
get_list (JsonNode *root, GwOpen311Format format, const char *what,
          const char *const *wrappers, const char *key_field, GError **error)
{
  const char *fmt = format == GW_OPEN311_FORMAT_XML ? "XML" : "JSON";
  JsonArray *list = NULL;

  if (JSON_NODE_HOLDS_ARRAY (root))
    list = json_node_get_array (root);
  else if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *o = json_node_get_object (root);
      for (; list == NULL && *wrappers != NULL; wrappers++)
        {
          JsonNode *m = member (o, *wrappers);
          if (m != NULL && JSON_NODE_HOLDS_ARRAY (m))
            list = json_node_get_array (m);
        }
      /* An XML error document is a single <error> in some servers. */
      if (list == NULL && member (o, "code") != NULL && member (o, "description") != NULL &&
          member (o, key_field) == NULL)
        {
          g_autoptr(JsonArray) one = json_array_new ();
          json_array_add_element (one, json_node_copy (root));
          check_error_list (one, key_field, error);
          return NULL;
        }
    }

  if (list == NULL)
    {
      const char *got = JSON_NODE_HOLDS_OBJECT (root) ? (format == GW_OPEN311_FORMAT_XML
                                                         ? "a single element"
                                                         : "an object")
                        : "a single value";
      g_set_error (error, GW_OPEN311_ERROR, GW_OPEN311_ERROR_NOT_A_LIST,
                   "not Open311 %s: expected a list of %s, got %s", fmt, what, got);
      return NULL;
    }
  if (!check_error_list (list, key_field, error))
    return NULL;
  return list;
}

/* ---- timelines ------------------------------------------------------------- */

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
collect_tasks (Parse *p, JsonObject *request, GwTime floor_time, GPtrArray *cands)
{
  JsonNode *ext = member (request, "extended_attributes");
  if (ext == NULL || !JSON_NODE_HOLDS_OBJECT (ext))
    return;
  JsonNode *tasks = member (json_node_get_object (ext), "tasks");
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
      g_autofree char *type = get_line (task, "task_type");
      g_autofree char *state = get_line (task, "task_state");
      g_autofree char *owner = get_line (task, "owner_name");
      GwTime created, modified;
      gboolean has_start, has_end;
      GwStage start, end;

      if (owner != NULL)
        ensure_department (p, owner);
      task_stages (type, state, &has_start, &start, &has_end, &end);
      if (!has_start && !has_end)
        continue;
      if (get_time (p, task, "task_created", &created) != TIME_OK)
        created = GW_TIME_NONE;
      if (get_time (p, task, "task_modified", &modified) != TIME_OK)
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
      g_autofree char *type = get_line (task, "task_type");
      g_autofree char *state = get_line (task, "task_state");
      g_autofree char *owner = get_line (task, "owner_name");
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
collect_notes (Parse *p, JsonObject *request, GwTime floor_time, const char *department,
               GPtrArray *cands)
{
  static const char *const time_names[] = { "datetime", "updated_datetime", "date", "created", NULL };
  static const char *const kind_names[] = { "type", "status", NULL };
  static const char *const text_names[] = { "description", "summary", "note", "text", NULL };

  JsonNode *notes = member (request, "notes");
  if (notes == NULL || !JSON_NODE_HOLDS_ARRAY (notes))
    return;

  JsonArray *list = json_node_get_array (notes);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      JsonObject *note = json_node_get_object (node);
      g_autofree char *kind = get_text_any (note, kind_names);
      g_autofree char *text = get_text_any (note, text_names);
      g_autofree char *when = get_text_any (note, time_names);
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
build_timeline (Parse *p, GwIncident *inc, GPtrArray *cands, gboolean closed)
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

/* ---- requests -------------------------------------------------------------- */

static gboolean
is_closed_status (const char *status)
{
  static const char *const closed[] = { "closed", "resolved", "completed", "done", "archived", NULL };
  g_autofree char *lower = status ? g_ascii_strdown (status, -1) : NULL;
  return lower != NULL && g_strv_contains (closed, lower);
}

static GwIncident *
map_request (Parse *p, JsonNode *node, guint index)
{
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      skip_record (p, index, "not an object");
      return NULL;
    }
  JsonObject *o = json_node_get_object (node);

  g_autofree char *raw_id = get_line (o, "service_request_id");
  if (raw_id == NULL)
    {
      skip_record (p, index, "no service_request_id");
      return NULL;
    }

  GwTime requested, updated, expected;
  TimeRead rq = get_time (p, o, "requested_datetime", &requested);
  TimeRead up = get_time (p, o, "updated_datetime", &updated);
  if (rq != TIME_OK)
    {
      if (up != TIME_OK)
        {
          g_autofree char *raw = get_line (o, "requested_datetime");
          skip_record (p, index, "request %s: requested_datetime %s", raw_id,
                       raw == NULL ? "is missing" : "is not a time");
          return NULL;
        }
      requested = updated;
    }
  if (up != TIME_OK || updated < requested)
    updated = requested;
  if (get_time (p, o, "expected_datetime", &expected) != TIME_OK)
    expected = GW_TIME_NONE;

  g_autofree char *status = get_line (o, "status");
  gboolean closed = is_closed_status (status);
  g_autofree char *raw_code = get_line (o, "service_code");
  g_autofree char *code = raw_code ? gw_open311_sanitize_code (raw_code, TRUE) : g_strdup ("unknown");
  g_autofree char *service_name = get_line (o, "service_name");
  g_autofree char *agency = get_line (o, "agency_responsible");
  g_autofree char *title = get_line (o, "title");

  ensure_class (p, code, service_name ? service_name : raw_code, NULL);
  if (agency != NULL)
    ensure_department (p, agency);

  g_autoptr(GwIncident) inc = gw_incident_new ();
  inc->id = gw_open311_sanitize_code (raw_id, TRUE);
  if (title != NULL)
    inc->title = g_steal_pointer (&title);
  else if (service_name != NULL)
    inc->title = g_strdup (service_name);
  else if (raw_code != NULL)
    inc->title = g_strdup_printf ("Service request (%s)", raw_code);
  else
    inc->title = g_strdup ("Service request");
  inc->description = get_text (o, "description");
  inc->class_code = g_strdup (code);
  inc->source = GW_SOURCE_APP;
  inc->priority = GW_PRIORITY_NORMAL;
  inc->address = get_line (o, "address");
  if (inc->address == NULL)
    inc->address = g_strdup ("");
  inc->received_at = requested;
  inc->updated_at = updated;
  /* Like a class's default department: known before any dispatch. */
  inc->department = g_strdup (agency);

  double lat, lon;
  if ((get_double (o, "lat", &lat) || get_double (o, "latitude", &lat)) &&
      (get_double (o, "long", &lon) || get_double (o, "lon", &lon) ||
       get_double (o, "longitude", &lon)) &&
      lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 && lat != 0 && lon != 0)
    {
      inc->lat = lat;
      inc->lon = lon;
    }
  /* else lon = lat = 0: location unknown. An exact 0 in either coordinate is a
   * placeholder in real data (Helsinki has "lat": 0.0, "long": 0.034451), not a place. */

  g_autoptr(GPtrArray) cands = g_ptr_array_new_with_free_func ((GDestroyNotify) cand_free);
  cand_add (cands, GW_STAGE_RECEIVED, requested, g_strdup ("received"), NULL, NULL);
  collect_tasks (p, o, requested, cands);
  collect_notes (p, o, requested, agency, cands);
  if (closed)
    {
      g_autofree char *notes = get_text (o, "status_notes");
      GwTime last = updated;
      for (guint i = 0; i < cands->len; i++)
        last = MAX (last, ((Cand *) cands->pdata[i])->time);
      Cand *c = cand_add (cands, GW_STAGE_CLOSED, last, g_strdup ("closed"), NULL, notes);
      c->from_status = TRUE;
      c->order = G_MAXUINT;  /* after everything at the same time */
    }
  build_timeline (p, inc, cands, closed);

  if (agency != NULL)
    {
      g_free (inc->department);
      inc->department = g_strdup (agency);
    }
  if (expected != GW_TIME_NONE)
    inc->deadline = expected;
  inc->updated_at = MAX (inc->updated_at, updated);
  /* The store keeps the higher seq: the later update wins. */
  inc->seq = inc->updated_at;
  p->result->max_updated = MAX (p->result->max_updated, inc->updated_at);
  return g_steal_pointer (&inc);
}

GwOpen311Result *
gw_open311_parse_requests (const char             *data,
                           gsize                   length,
                           GwOpen311Format         format,
                           const GwOpen311Options *options,
                           GError                **error)
{
  static const char *const wrappers[] = { "service_requests", "requests", "request", NULL };
  Parse p = { 0 };

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autoptr(JsonNode) root = parse_document (data, length, format, error);
  if (root == NULL)
    return NULL;
  g_autoptr(GError) local = NULL;
  JsonArray *list = get_list (root, format, "requests", wrappers, "service_request_id", &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }

  parse_init (&p, options);
  guint n = json_array_get_length (list);
  p.result->n_records = n;
  for (guint i = 0; i < n; i++)
    {
      GwIncident *inc = map_request (&p, json_array_get_element (list, i), i);
      if (inc != NULL)
        g_ptr_array_add (p.result->incidents, inc);
    }
  return parse_finish (&p);
}

/* ---- services -------------------------------------------------------------- */

GwOpen311Result *
gw_open311_parse_services (const char             *data,
                           gsize                   length,
                           GwOpen311Format         format,
                           const GwOpen311Options *options,
                           GError                **error)
{
  static const char *const wrappers[] = { "services", "service", NULL };
  Parse p = { 0 };

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autoptr(JsonNode) root = parse_document (data, length, format, error);
  if (root == NULL)
    return NULL;
  g_autoptr(GError) local = NULL;
  JsonArray *list = get_list (root, format, "services", wrappers, "service_code", &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }

  parse_init (&p, options);
  guint n = json_array_get_length (list);
  p.result->n_records = n;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          skip_record (&p, i, "not an object");
          continue;
        }
      JsonObject *o = json_node_get_object (node);
      g_autofree char *raw_code = get_line (o, "service_code");
      if (raw_code == NULL)
        {
          skip_record (&p, i, "no service_code");
          continue;
        }
      g_autofree char *code = gw_open311_sanitize_code (raw_code, TRUE);
      g_autofree char *name = get_line (o, "service_name");
      g_autofree char *group = get_line (o, "group");
      ensure_class (&p, code, name ? name : raw_code, group);
    }
  return parse_finish (&p);
}
