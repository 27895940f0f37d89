/* file_kind.c — see file_kind.h. */
#include "core/file_kind.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#define SAVE_XLSX "chọn Lưu thành (Save As) kiểu «Excel Workbook (.xlsx)» rồi tải lên lại"
#define USE_TEMPLATE "hãy nhập số liệu vào tệp mẫu .xlsx tải từ hệ thống rồi tải tệp đó lên"

static const char *const messages[] = {
    [FK_UNKNOWN] = "Tệp không phải là bảng tính Excel (.xlsx): " USE_TEMPLATE,
    [FK_ENCRYPTED] = "Tệp có mật khẩu: hãy mở tệp, bỏ mật khẩu (Tệp → Thông tin → Bảo vệ Sổ làm "
                     "việc → Mã hóa bằng Mật khẩu, xoá trống), lưu lại rồi tải lên lại",
    [FK_XLS] = "Tệp là bảng tính Excel 97-2003 (.xls), hệ thống chỉ đọc .xlsx: hãy mở tệp bằng "
               "Excel hoặc LibreOffice, " SAVE_XLSX,
    [FK_XLS_PASSWORD] = "Tệp là bảng tính Excel 97-2003 (.xls) có mật khẩu, hệ thống chỉ đọc .xlsx "
                        "không mật khẩu: hãy mở tệp, bỏ mật khẩu, " SAVE_XLSX,
    [FK_CFB_OTHER] = "Tệp có mật khẩu hoặc là tệp Office cũ (.xls, .doc), không phải bảng tính "
                     ".xlsx: hãy bỏ mật khẩu, " SAVE_XLSX,
    [FK_ODS] = "Tệp là bảng tính OpenDocument (.ods) của LibreOffice, hệ thống chỉ đọc .xlsx: "
               "hãy mở tệp bằng LibreOffice, chọn Lưu thành (Save As) kiểu «Excel 2007-365 "
               "(.xlsx)» rồi tải lên lại",
    [FK_ODF_OTHER] = "Tệp là văn bản OpenDocument (LibreOffice), không phải bảng tính Excel "
                     "(.xlsx): " USE_TEMPLATE,
    [FK_PDF] = "Tệp là PDF, không phải bảng tính Excel (.xlsx): " USE_TEMPLATE
               " (bản PDF chỉ dùng làm tài liệu kiểm chứng)",
    [FK_HTML] = "Tệp là trang web (HTML), không phải bảng tính Excel (.xlsx): hãy mở tệp bằng "
                "Excel, " SAVE_XLSX,
    [FK_RTF] = "Tệp là văn bản Word (RTF), không phải bảng tính Excel (.xlsx): " USE_TEMPLATE,
    [FK_TEXT] = "Tệp là văn bản (CSV hoặc TXT), không phải bảng tính Excel: lưu dạng CSV làm mất "
                "các trang và dấu nhận dạng của mẫu; " USE_TEMPLATE,
};

const char *file_kind_message(enum file_kind k)
{
    return (unsigned)k < sizeof messages / sizeof *messages && messages[k] ? messages[k]
                                                                             : messages[FK_UNKNOWN];
}

/* A CFB directory entry name (UTF-16LE) anywhere in the bytes. */
static bool has_utf16(const unsigned char *p, size_t len, const char *ascii)
{
    size_t n = strlen(ascii);
    for (size_t i = 0; i + 2 * n <= len; i++) {
        size_t k = 0;
        while (k < n && p[i + 2 * k] == (unsigned char)ascii[k] && p[i + 2 * k + 1] == 0)
            k++;
        if (k == n)
            return true;
    }
    return false;
}

static bool has(const unsigned char *p, size_t len, const char *s)
{
    return memmem(p, len, s, strlen(s)) != NULL;
}

/* Readable text: UTF-8 (or a legacy 8-bit code page) without control characters but tab, CR,
 * LF, in the first bytes; a zip, CFB or image always has some. */
static bool is_text(const unsigned char *p, size_t len)
{
    if (!len)
        return false;
    for (size_t i = 0; i < len; i++)
        if (p[i] < 0x20 && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
            return false;
    return true;
}

/* A BIFF8 workbook stream starts at a sector boundary with the globals' BOF record; an encrypted
 * one has FILEPASS (0x002F) as the very next record (BIFF8 spec: right after BOF). */
static bool xls_has_filepass(const unsigned char *p, size_t len)
{
    static const unsigned char bof[8] = {0x09, 0x08, 0x10, 0x00, 0x00, 0x06, 0x05, 0x00};
    unsigned shift = len > 31 ? (unsigned)(p[30] | p[31] << 8) : 9;
    size_t sector = shift == 12 ? 4096 : 512;
    for (size_t off = sector; off + 24 <= len; off += sector)
        if (!memcmp(p + off, bof, sizeof bof))
            return p[off + 20] == 0x2F && p[off + 21] == 0x00;
    return false;
}

enum file_kind file_kind_sniff(const void *data, size_t len)
{
    static const unsigned char cfb[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    const unsigned char *p = data;
    if (len >= 8 && !memcmp(p, cfb, 8)) {
        if (has_utf16(p, len, "EncryptionInfo") || has_utf16(p, len, "EncryptedPackage"))
            return FK_ENCRYPTED;
        if (has_utf16(p, len, "Workbook") || has_utf16(p, len, "Book"))
            return xls_has_filepass(p, len) ? FK_XLS_PASSWORD : FK_XLS;
        return FK_CFB_OTHER;
    }
    size_t head = len < 4096 ? len : 4096;
    /* OpenDocument: a zip whose first member is "mimetype", stored, holding the type */
    if (len >= 4 && !memcmp(p, "PK\3\4", 4) && head > 38 && !memcmp(p + 30, "mimetype", 8)) {
        if (has(p, head < 200 ? head : 200, "application/vnd.oasis.opendocument.spreadsheet"))
            return FK_ODS;
        if (has(p, head < 200 ? head : 200, "application/vnd.oasis.opendocument"))
            return FK_ODF_OTHER;
    }
    if (len >= 5 && !memcmp(p, "%PDF-", 5))
        return FK_PDF;
    if (len >= 5 && !memcmp(p, "{\\rtf", 5))
        return FK_RTF;
    size_t skip = len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3) ? 3 : 0; /* UTF-8 BOM */
    while (skip < head && (p[skip] == ' ' || p[skip] == '\t' || p[skip] == '\r' || p[skip] == '\n'))
        skip++;
    if (head - skip >= 5 && (!strncasecmp((const char *)p + skip, "<html", 5) ||
                             (head - skip >= 14 &&
                              !strncasecmp((const char *)p + skip, "<!DOCTYPE html", 14))))
        return FK_HTML;
    if (is_text(p + skip, head - skip))
        return FK_TEXT;
    return FK_UNKNOWN;
}
