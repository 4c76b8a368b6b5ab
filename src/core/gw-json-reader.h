/* gw-json-reader.h — strict JSON helpers for the codecs
 *
 * gw_json_check_syntax() holds input to RFC 8259 before json-glib sees it (json-glib
 * accepts comments, single quotes, duplicate keys, integers that overflow, and recurses
 * without limit). GwJsonReader reads one object: it refuses members the schema does
 * not list, and its typed getters report errors by field path.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "gw-time.h"

G_BEGIN_DECLS

#define GW_JSON_MAX_DEPTH 64

/* GW_CODEC_ERROR_MALFORMED unless @data (@length bytes) is strict JSON. */
gboolean gw_json_check_syntax (const char  *data,
                               gsize        length,
                               GError     **error);

/* Sets a GW_CODEC_ERROR whose message is "<path>: <message>" ("(root)" for ""). */
void     gw_json_set_error    (GError     **error,
                               int          code,
                               const char  *path,
                               const char  *format,
                               ...) G_GNUC_PRINTF (4, 5);
char    *gw_json_path_member  (const char  *path,
                               const char  *member);
char    *gw_json_path_index   (const char  *path,
                               guint        index);
/* A value quoted for a message: escaped and cut short. */
char    *gw_json_quote        (const char  *value);

typedef struct {
  JsonObject        *object;  /* NULL for an optional object that was absent or null */
  char              *path;
  const char *const *known;
} GwJsonReader;

/* Fails unless @node is an object whose members are all in @known (NULL-terminated).
 * Members in @server_set (may be NULL) are refused as "set by the server". */
gboolean gw_json_reader_init   (GwJsonReader       *self,
                                JsonNode           *node,
                                const char         *path,
                                const char *const  *known,
                                const char *const  *server_set,
                                GError            **error);
void     gw_json_reader_clear  (GwJsonReader       *self);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (GwJsonReader, gw_json_reader_clear)

/* Sets an error for @member of this object. */
void     gw_json_reader_error  (GwJsonReader       *self,
                                const char         *member,
                                int                 code,
                                GError            **error,
                                const char         *format,
                                ...) G_GNUC_PRINTF (5, 6);

/* Getters: a required member that is absent or null is GW_CODEC_ERROR_MISSING; an
 * optional one leaves NULL / GW_TIME_NONE. */
gboolean gw_json_reader_string (GwJsonReader       *self,
                                const char         *member,
                                gboolean            required,
                                char              **out,
                                GError            **error);
gboolean gw_json_reader_int    (GwJsonReader       *self,
                                const char         *member,
                                gint64             *out,
                                GError            **error);
gboolean gw_json_reader_double (GwJsonReader       *self,
                                const char         *member,
                                double             *out,
                                GError            **error);
gboolean gw_json_reader_bool   (GwJsonReader       *self,
                                const char         *member,
                                gboolean           *out,
                                GError            **error);
/* RFC 3339 with a zone, later than 1970 (GwTime 0 means "none"). */
gboolean gw_json_reader_time   (GwJsonReader       *self,
                                const char         *member,
                                gboolean            required,
                                GwTime             *out,
                                GError            **error);
/* @child is initialised even when an optional object is absent (child->object NULL). */
gboolean gw_json_reader_object (GwJsonReader       *self,
                                const char         *member,
                                gboolean            required,
                                const char *const  *known,
                                GwJsonReader       *child,
                                GError            **error);
gboolean gw_json_reader_array  (GwJsonReader       *self,
                                const char         *member,
                                JsonArray         **out,
                                GError            **error);

G_END_DECLS
