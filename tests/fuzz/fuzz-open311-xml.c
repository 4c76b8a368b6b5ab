/* fuzz-open311-xml.c — libFuzzer target for the Open311 XML readers (GMarkupParser)
 *
 * The same checks as the JSON target, on services.xml / requests.xml documents.
 */
#define FUZZ_OPEN311_FORMAT GW_OPEN311_FORMAT_XML
#include "fuzz-open311-json.c"
