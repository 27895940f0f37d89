/* file_kind.h — what an upload that is not a .xlsx workbook is, so its refusal tells the user
 * what to do (pure, bounded: looks at the first bytes, and scans a CFB container's bytes for
 * its stream names).
 *
 * Users rename files and pick the wrong one: an .xls (Excel 97-2003) or .ods (LibreOffice)
 * saved from the template, a CSV export, a PDF of the report, a page saved from the browser.
 * "Not a workbook" says none of that; each kind here names itself and the way back to .xlsx. */
#ifndef DTI_CORE_FILE_KIND_H
#define DTI_CORE_FILE_KIND_H

#include <stddef.h>

enum file_kind {
    FK_UNKNOWN = 0, /* maybe a .xlsx: let the reader decide */
    FK_ENCRYPTED,   /* CFB with EncryptionInfo: a password-protected Office file */
    FK_XLS,         /* CFB with a Workbook / Book stream: Excel 97-2003 (or 5.0) */
    FK_XLS_PASSWORD, /* that, and its first record after BOF is FILEPASS: a password */
    FK_CFB_OTHER,   /* another CFB (.doc, .msg…): or a password we cannot see */
    FK_ODS,         /* OpenDocument spreadsheet (zip, mimetype first) */
    FK_ODF_OTHER,   /* another OpenDocument file (.odt…) */
    FK_PDF,
    FK_HTML,        /* a web page, or "Save as Web Page" from Excel */
    FK_RTF,
    FK_TEXT,        /* CSV / TXT: readable text */
};

enum file_kind file_kind_sniff(const void *data, size_t len);

/* The Vietnamese refusal for a kind (never NULL; FK_UNKNOWN: the general "not a workbook"). */
const char *file_kind_message(enum file_kind k);

#endif
