/* h_openapi — GET /api/v1/openapi.json: the OpenAPI 3.1 document of /api/v1 (docs/openapi.json),
 * compiled into the binary (scripts/embed_file.sh) so that a server always describes the interface
 * it was built with. Public: it holds no data. A strong ETag (the file's SHA-256) lets a client
 * revalidate with If-None-Match and get 304 without the body. The API tests check the document
 * against the router's table and against every answer they receive (tests/api/openapi_check.mjs). */
#include <stdlib.h>
#include <string.h>

#include "http/handlers.h"
#include "http/openapi_json.h"

int api_openapi_get(struct request *req, struct reply *rep)
{
  rep->etag = OPENAPI_JSON_ETAG;
  const char *match = request_header(req, "If-None-Match");
  if (match && strcmp(match, OPENAPI_JSON_ETAG) == 0) {
    rep->status = 304;
    return 0;
  }
  rep->raw = malloc(OPENAPI_JSON_LEN);
  if (!rep->raw) return reply_internal(rep);
  memcpy(rep->raw, OPENAPI_JSON, OPENAPI_JSON_LEN);
  rep->raw_len = OPENAPI_JSON_LEN;
  rep->content_type = "application/json";
  rep->status = 200;
  return 0;
}
