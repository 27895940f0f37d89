/* fw_json.h — JSON views of a loaded index set for the CLI and the API (totals per node).
 * Both return NULL when memory runs out, never a view with a member or a list entry missing. */
#ifndef DTI_CORE_FW_JSON_H
#define DTI_CORE_FW_JSON_H

#include <jansson.h>

#include "core/framework.h"

/* FrameworkSummary: {"id","version","title","level","year","status","max_points","criteria_count"} */
json_t *fw_summary_json(const struct framework *fw);
/* Summary plus "pillars": [{"key","code","title","max_points","criteria_count","groups": [{"key",
 * "code","title","max_points","criteria_count","criteria": [{"key","code","title","max_points",
 * "rule_type","rule_text"}]}]}]. */
json_t *fw_totals_json(const struct framework *fw);

#endif
