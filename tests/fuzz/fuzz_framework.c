/* fuzz_framework.c — the index set loader (validation, example scoring), the rule describer
 * (a formula written with its inputs' labels) and the writer on arbitrary bytes: errors are
 * collected, never a crash; a loaded set survives a write/load round trip. */
#include <stdint.h>
#include <stdlib.h>

#include "core/describe.h"
#include "core/framework.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fw_errors e = {0};
    struct framework *fw = fw_load((const char *)data, size, &e);
    if (fw) {
        char text[1024];
        for (size_t i = 0; i < fw->n_criteria; i++)
            (void)fw_rule_describe(fw->criteria[i], text, sizeof text);
        json_t *j = fw_write(fw);
        struct framework *again = fw_load_json(j, &e);
        if (!again)
            abort(); /* a written set must load */
        fw_free(again);
        json_decref(j);
        fw_free(fw);
    }
    fw_errors_free(&e);
    return 0;
}
