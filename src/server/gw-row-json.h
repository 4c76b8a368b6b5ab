/* gw-row-json.h — an incident's JSON written straight into a buffer
 *
 * The same bytes as gw_json_to_string (gw_incident_to_json (incident, with_personal))
 * without building, generating and freeing a JsonNode tree, which is most of what
 * storing a row costs (a back-fill stores hundreds of thousands). It covers the plain
 * cases only and says so: strings with control characters and numbers whose JSON-GLib
 * rendering differs between versions are left to the codec.
 */
#pragma once

#include <glib.h>

#include "gw-incident.h"

G_BEGIN_DECLS

/* Appends @incident's JSON to @out. Returns FALSE, with @out holding a partial
 * document, when it cannot promise the codec's bytes; the caller then uses the codec. */
gboolean gw_row_json_incident (GString          *out,
                               const GwIncident *incident,
                               gboolean          with_personal);

G_END_DECLS
