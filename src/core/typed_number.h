/* typed_number.h — a number as a person types it into a spreadsheet's text cell (pure).
 *
 * Text cells reach the Excel import when the cell is formatted as text, when the spreadsheet's
 * locale did not read the number, or when it was pasted from Word or a web page. Such text is
 * first folded (core/vnfold.h: NFKD, so full-width digits ８,５ and every Unicode space — NBSP,
 * thin space, narrow NBSP — become ASCII, tabs and line breaks a space, zero-width characters
 * dropped), then read with these rules (docs/excel.md "What users' inputs mean"):
 *   - a decimal comma or point: "8,5" = "8.5" = 8.5; one leading apostrophe (Excel's "text"
 *     marker typed literally) is ignored; "-3" is negative;
 *   - thousands grouping when it cannot be anything else: the same separator repeated
 *     ("1.234.567", "1,234,567"), spaces between groups of three ("1 234"), or both marks with
 *     the last one the decimal ("1.234,5" = "1,234.5" = 1234.5);
 *   - AMBIGUOUS, refused: one point or comma followed by exactly three digits after a 1–3 digit
 *     integer part that is not 0 ("1.234", "12,500"): 1234 in Vietnamese, 1.234 in English
 *     habits; a wrong guess would be saved silently. "0,125" and "8,50" are plain decimals;
 *   - with `percent`, a trailing "%" (spaces allowed before it) divides by 100.
 * Anything else (letters, "1e5", "8 5", ".5") is a syntax error. */
#ifndef DTI_CORE_TYPED_NUMBER_H
#define DTI_CORE_TYPED_NUMBER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/rational.h"

enum typed_number_rc {
    TN_OK = 0,
    TN_SYNTAX,    /* not a number */
    TN_AMBIGUOUS, /* "1.234": thousands or decimals? */
    TN_OVERFLOW,  /* too many digits for an exact value */
};

/* Parses s[0..len) (UTF-8, at most VNFOLD_MAX_INPUT bytes; longer is TN_SYNTAX). */
enum typed_number_rc typed_number_parse(const char *s, size_t len, bool percent, rat *out);

#endif
