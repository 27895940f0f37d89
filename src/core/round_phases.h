/* round_phases.h — the rules a round's dated phases obey (docs/rounds-api.md): each window
 * starts before it ends, the windows follow the order of the phase table and never overlap.
 * Pure: the caller has already turned the API's local dates into unix seconds. */
#ifndef DTI_CORE_ROUND_PHASES_H
#define DTI_CORE_ROUND_PHASES_H

#include <stddef.h>

#include "core/phase.h"

/* PH_NONE when the set windows of w obey the rules; else the phase at fault (the later of two
 * windows out of order or overlapping) with a Vietnamese reason in msg. */
int round_phases_check(const struct phase_window w[PH_COUNT], char *msg, size_t cap);

#endif
