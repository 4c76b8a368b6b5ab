/* gw-json-reader.c — strict JSON syntax check and a strict object reader */
#include "gw-json-reader.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "gw-codec.h"

/* ---- syntax ---------------------------------------------------------------- */

typedef struct {
  const char *start, *p, *end;
  GError    **error;
} Scan;

static gboolean
scan_fail (Scan *s, const char *what)
{
  g_set_error (s->error, GW_CODEC_ERROR, GW_CODEC_ERROR_MALFORMED,
               "(root): not valid JSON at byte %" G_GSIZE_FORMAT ": %s",
               (gsize) (s->p - s->start), what);
  return FALSE;
}

static void
skip_ws (Scan *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static gboolean scan_value (Scan *s, int depth);

/* The value of the four hex digits after the 'u' at s->p, or -1. */
static int
read_hex4 (Scan *s)
{
  int v = 0;
  if (s->end - s->p < 5)
    return -1;
  for (int i = 1; i <= 4; i++)
    {
      if (!g_ascii_isxdigit (s->p[i]))
        return -1;
      v = v * 16 + g_ascii_xdigit_value (s->p[i]);
    }
  return v;
}

static gboolean
scan_string (Scan *s)
{
  s->p++; /* opening quote */
  while (s->p < s->end)
    {
      unsigned char c = (unsigned char) *s->p;
      if (c == '"')
        {
          s->p++;
          return TRUE;
        }
      if (c < 0x20)
        return scan_fail (s, "control character in a string");
      if (c != '\\')
        {
          s->p++;
          continue;
        }
      if (++s->p >= s->end)
        break;
      if (*s->p == 'u')
        {
          int unit = read_hex4 (s);
          if (unit < 0)
            return scan_fail (s, "bad \\u escape");
          /* C strings cannot carry U+0000; json-glib would silently cut the string. */
          if (unit == 0)
            return scan_fail (s, "\\u0000 in a string");
          /* json-glib turns a lone surrogate into invalid UTF-8; only pairs may pass. */
          if (unit >= 0xDC00 && unit <= 0xDFFF)
            return scan_fail (s, "lone surrogate in a string");
          s->p += 5;
          if (unit >= 0xD800 && unit <= 0xDBFF)
            {
              int low = -1;
              if (s->end - s->p >= 2 && s->p[0] == '\\' && s->p[1] == 'u')
                {
                  s->p++;
                  low = read_hex4 (s);
                }
              if (low < 0xDC00 || low > 0xDFFF)
                return scan_fail (s, "lone surrogate in a string");
              s->p += 5;
            }
        }
      else if (strchr ("\"\\/bfnrt", *s->p) != NULL && *s->p != '\0')
        s->p++;
      else
        return scan_fail (s, "bad escape in a string");
    }
  return scan_fail (s, "unterminated string");
}

static gboolean
scan_digits (Scan *s)
{
  const char *from = s->p;
  while (s->p < s->end && g_ascii_isdigit (*s->p))
    s->p++;
  return s->p > from;
}

static gboolean
scan_number (Scan *s)
{
  const char *from = s->p;
  gboolean integral = TRUE;

  if (*s->p == '-')
    s->p++;
  if (s->p < s->end && *s->p == '0')
    s->p++;
  else if (!scan_digits (s))
    return scan_fail (s, "bad number");
  if (s->p < s->end && *s->p == '.')
    {
      s->p++;
      integral = FALSE;
      if (!scan_digits (s))
        return scan_fail (s, "bad number");
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      s->p++;
      integral = FALSE;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (!scan_digits (s))
        return scan_fail (s, "bad number");
    }

  /* json-glib wraps integers past 64 bits and turns huge doubles into inf. */
  g_autofree char *text = g_strndup (from, s->p - from);
  gboolean in_range;
  if (integral)
    {
      errno = 0;
      g_ascii_strtoll (text, NULL, 10);
      in_range = errno != ERANGE;
    }
  else /* underflow to zero or a denormal is fine */
    in_range = isfinite (g_ascii_strtod (text, NULL));
  if (!in_range)
    {
      s->p = from;
      return scan_fail (s, "number out of range");
    }
  return TRUE;
}

static gboolean
scan_literal (Scan *s, const char *word)
{
  size_t n = strlen (word);
  if ((size_t) (s->end - s->p) < n || memcmp (s->p, word, n) != 0)
    return scan_fail (s, "unexpected character");
  s->p += n;
  return TRUE;
}

static gboolean
scan_object (Scan *s, int depth)
{
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  s->p++;
  skip_ws (s);
  if (s->p < s->end && *s->p == '}')
    {
      s->p++;
      return TRUE;
    }
  for (;;)
    {
      skip_ws (s);
      if (s->p >= s->end || *s->p != '"')
        return scan_fail (s, "expected a member name");
      const char *key = s->p;
      if (!scan_string (s))
        return FALSE;
      /* Raw comparison: keys differing only in escapes are not caught, which is fine. */
      if (!g_hash_table_add (keys, g_strndup (key, s->p - key)))
        {
          s->p = key;
          return scan_fail (s, "duplicate member name");
        }
      skip_ws (s);
      if (s->p >= s->end || *s->p != ':')
        return scan_fail (s, "expected ':'");
      s->p++;
      if (!scan_value (s, depth + 1))
        return FALSE;
      skip_ws (s);
      if (s->p < s->end && *s->p == ',')
        {
          s->p++;
          continue;
        }
      if (s->p < s->end && *s->p == '}')
        {
          s->p++;
          return TRUE;
        }
      return scan_fail (s, "expected ',' or '}'");
    }
}

static gboolean
scan_array (Scan *s, int depth)
{
  s->p++;
  skip_ws (s);
  if (s->p < s->end && *s->p == ']')
    {
      s->p++;
      return TRUE;
    }
  for (;;)
    {
      if (!scan_value (s, depth + 1))
        return FALSE;
      skip_ws (s);
      if (s->p < s->end && *s->p == ',')
        {
          s->p++;
          continue;
        }
      if (s->p < s->end && *s->p == ']')
        {
          s->p++;
          return TRUE;
        }
      return scan_fail (s, "expected ',' or ']'");
    }
}

static gboolean
scan_value (Scan *s, int depth)
{
  skip_ws (s);
  if (s->p >= s->end)
    return scan_fail (s, "unexpected end");
  switch (*s->p)
    {
    case '{':
    case '[':
      if (depth >= GW_JSON_MAX_DEPTH)
        return scan_fail (s, "nested too deeply");
      return *s->p == '{' ? scan_object (s, depth) : scan_array (s, depth);
    case '"':
      return scan_string (s);
    case 't':
      return scan_literal (s, "true");
    case 'f':
      return scan_literal (s, "false");
    case 'n':
      return scan_literal (s, "null");
    default:
      if (*s->p == '-' || g_ascii_isdigit (*s->p))
        return scan_number (s);
      return scan_fail (s, "unexpected character");
    }
}

gboolean
gw_json_check_syntax (const char *data, gsize length, GError **error)
{
  Scan s = { data, data, data + length, error };
  const char *bad;

  if (!g_utf8_validate_len (data, length, &bad))
    {
      s.p = bad;
      return scan_fail (&s, "not UTF-8 (or a NUL byte)");
    }
  if (!scan_value (&s, 0))
    return FALSE;
  skip_ws (&s);
  if (s.p != s.end)
    return scan_fail (&s, "trailing data");
  return TRUE;
}

/* ---- paths and errors ------------------------------------------------------ */

void
gw_json_set_error (GError **error, int code, const char *path, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, GW_CODEC_ERROR, code, "%s: %s",
               path != NULL && *path != '\0' ? path : "(root)", msg);
}

char *
gw_json_path_member (const char *path, const char *member)
{
  return *path != '\0' ? g_strconcat (path, ".", member, NULL) : g_strdup (member);
}

char *
gw_json_path_index (const char *path, guint index)
{
  return g_strdup_printf ("%s[%u]", path, index);
}

char *
gw_json_quote (const char *value)
{
  g_autofree char *cut = g_strndup (value, 40);
  g_autofree char *escaped = g_strescape (cut, NULL);
  return g_strdup_printf ("'%s'%s", escaped, strlen (value) > 40 ? "..." : "");
}

/* ---- the object reader ----------------------------------------------------- */

static gboolean
in_list (const char *const *list, const char *name)
{
  for (; list != NULL && *list != NULL; list++)
    if (strcmp (*list, name) == 0)
      return TRUE;
  return FALSE;
}

static const char *
node_kind (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "an object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "an array";
  if (JSON_NODE_HOLDS_NULL (node))
    return "null";
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "a string";
    case G_TYPE_BOOLEAN:
      return "a boolean";
    default:
      return "a number";
    }
}

gboolean
gw_json_reader_init (GwJsonReader *self, JsonNode *node, const char *path,
                     const char *const *known, const char *const *server_set, GError **error)
{
  JsonObjectIter iter;
  const char *name;

  self->object = NULL;
  self->path = g_strdup (path);
  self->known = known;
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      gw_json_set_error (error, GW_CODEC_ERROR_WRONG_TYPE, path, "expected an object, not %s",
                         node != NULL ? node_kind (node) : "nothing");
      return FALSE;
    }
  self->object = json_node_get_object (node);

  /* Ordered, so the first stray member in the document is the one reported. */
  json_object_iter_init_ordered (&iter, self->object);
  while (json_object_iter_next_ordered (&iter, &name, NULL))
    if (!in_list (known, name))
      {
        gboolean by_server = in_list (server_set, name);
        g_autofree char *cut = g_strndup (name, 40);
        g_autofree char *safe = g_strescape (cut, NULL);
        g_autofree char *member = gw_json_path_member (path, safe);
        gw_json_set_error (error, GW_CODEC_ERROR_UNKNOWN_FIELD, member,
                           by_server ? "set by the server" : "unknown field");
        return FALSE;
      }
  return TRUE;
}

void
gw_json_reader_clear (GwJsonReader *self)
{
  g_clear_pointer (&self->path, g_free);
  self->object = NULL;
}

static void
reader_error_valist (GwJsonReader *self, const char *member, int code, GError **error,
                     const char *format, va_list args)
{
  g_autofree char *path = gw_json_path_member (self->path, member);
  g_autofree char *msg = g_strdup_vprintf (format, args);
  gw_json_set_error (error, code, path, "%s", msg);
}

void
gw_json_reader_error (GwJsonReader *self, const char *member, int code, GError **error,
                      const char *format, ...)
{
  va_list args;
  va_start (args, format);
  reader_error_valist (self, member, code, error, format, args);
  va_end (args);
}

/* The member's node, or NULL when absent or null (an error if it was required). */
static JsonNode *
lookup (GwJsonReader *self, const char *member, gboolean required, gboolean *ok, GError **error)
{
  g_assert (in_list (self->known, member));
  JsonNode *node = self->object != NULL ? json_object_get_member (self->object, member) : NULL;
  *ok = TRUE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        {
          gw_json_reader_error (self, member, GW_CODEC_ERROR_MISSING, error,
                                node == NULL ? "required field missing" : "must not be null");
          *ok = FALSE;
        }
      return NULL;
    }
  return node;
}

static gboolean
holds (JsonNode *node, GType type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static gboolean
wrong_type (GwJsonReader *self, const char *member, const char *expected, JsonNode *node,
            GError **error)
{
  gw_json_reader_error (self, member, GW_CODEC_ERROR_WRONG_TYPE, error,
                        "expected %s, not %s", expected, node_kind (node));
  return FALSE;
}

gboolean
gw_json_reader_string (GwJsonReader *self, const char *member, gboolean required,
                       char **out, GError **error)
{
  gboolean ok;
  JsonNode *node = lookup (self, member, required, &ok, error);
  *out = NULL;
  if (node == NULL)
    return ok;
  if (!holds (node, G_TYPE_STRING))
    return wrong_type (self, member, "a string", node, error);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

gboolean
gw_json_reader_int (GwJsonReader *self, const char *member, gint64 *out, GError **error)
{
  gboolean ok;
  JsonNode *node = lookup (self, member, TRUE, &ok, error);
  if (node == NULL)
    return ok;
  /* 5.0 is a double in json-glib; integers are written without a fraction. */
  if (!holds (node, G_TYPE_INT64))
    return wrong_type (self, member, "an integer", node, error);
  *out = json_node_get_int (node);
  return TRUE;
}

gboolean
gw_json_reader_double (GwJsonReader *self, const char *member, double *out, GError **error)
{
  gboolean ok;
  JsonNode *node = lookup (self, member, TRUE, &ok, error);
  if (node == NULL)
    return ok;
  if (!holds (node, G_TYPE_INT64) && !holds (node, G_TYPE_DOUBLE))
    return wrong_type (self, member, "a number", node, error);
  *out = json_node_get_double (node);
  return TRUE;
}

gboolean
gw_json_reader_bool (GwJsonReader *self, const char *member, gboolean *out, GError **error)
{
  gboolean ok;
  JsonNode *node = lookup (self, member, TRUE, &ok, error);
  if (node == NULL)
    return ok;
  if (!holds (node, G_TYPE_BOOLEAN))
    return wrong_type (self, member, "a boolean", node, error);
  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
gw_json_reader_time (GwJsonReader *self, const char *member, gboolean required,
                     GwTime *out, GError **error)
{
  g_autofree char *text = NULL;
  *out = GW_TIME_NONE;
  if (!gw_json_reader_string (self, member, required, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;
  if (!gw_time_parse_rfc3339 (text, out))
    {
      gw_json_reader_error (self, member, GW_CODEC_ERROR_BAD_VALUE, error,
                            "not an RFC 3339 time with a zone");
      return FALSE;
    }
  if (*out <= 0)
    {
      *out = GW_TIME_NONE;
      gw_json_reader_error (self, member, GW_CODEC_ERROR_BAD_VALUE, error,
                            "not later than 1970");
      return FALSE;
    }
  return TRUE;
}

gboolean
gw_json_reader_object (GwJsonReader *self, const char *member, gboolean required,
                       const char *const *known, GwJsonReader *child, GError **error)
{
  gboolean ok;
  JsonNode *node = lookup (self, member, required, &ok, error);
  g_autofree char *path = gw_json_path_member (self->path, member);
  if (node == NULL)
    {
      child->object = NULL;
      child->path = g_steal_pointer (&path);
      child->known = known;
      return ok;
    }
  return gw_json_reader_init (child, node, path, known, NULL, error);
}

gboolean
gw_json_reader_array (GwJsonReader *self, const char *member, JsonArray **out, GError **error)
{
  gboolean ok;
  JsonNode *node = lookup (self, member, TRUE, &ok, error);
  *out = NULL;
  if (node == NULL)
    return ok;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return wrong_type (self, member, "an array", node, error);
  *out = json_node_get_array (node);
  return TRUE;
}
