/* pdfsig.c — verdict names, reason table, byte-range check, verdict combination. */
#include "core/pdfsig.h"

#include <string.h>

static const char *const verdict_names[PDFSIG_VERDICT_COUNT] = {
    "signed_valid", "signed_untrusted", "signed_invalid", "signed_partial",
    "unsigned",     "encrypted",        "not_pdf",
};

static const char *const verdict_labels[PDFSIG_VERDICT_COUNT] = {
    "Chữ ký số hợp lệ",
    "Chữ ký số đúng nhưng không xác minh được người ký (chứng thư không tin cậy, hết hạn hoặc bị thu hồi)",
    "Chữ ký số không hợp lệ",
    "Tệp đã bị thay đổi sau khi ký, hoặc chữ ký không bao trùm toàn bộ tệp",
    "Tệp chưa được ký số",
    "Tệp PDF được mã hóa, không kiểm tra được chữ ký",
    "Không phải tệp PDF hợp lệ (hỏng hoặc bị cắt cụt)",
};

const char *pdfsig_verdict_label(enum pdfsig_verdict v)
{
    return (unsigned)v < PDFSIG_VERDICT_COUNT ? verdict_labels[v] : verdict_labels[PDFSIG_NOT_PDF];
}

/* What a finding does to a signature's verdict. */
enum cls { C_FILE, C_INVALID, C_PARTIAL, C_UNTRUSTED, C_INFO };

static const struct {
    const char *name, *text;
    enum cls cls;
} reasons[PDFSIG_R_COUNT] = {
    [PDFSIG_R_NOT_PDF] = {"not_pdf", "Không phải tệp PDF, hoặc tệp hỏng/bị cắt cụt", C_FILE},
    [PDFSIG_R_ENCRYPTED] = {"encrypted", "Tệp PDF được mã hóa, không kiểm tra được chữ ký", C_FILE},
    [PDFSIG_R_NO_SIGNATURE] = {"no_signature", "Tệp không có chữ ký số", C_FILE},
    [PDFSIG_R_BYTE_RANGE_MALFORMED] = {"byte_range_malformed",
                                       "Vùng ký (/ByteRange) không hợp lệ", C_INVALID},
    [PDFSIG_R_CONTENTS_NOT_IN_GAP] = {"contents_not_in_gap",
                                      "Vùng ký không khớp với chữ ký (/Contents)", C_INVALID},
    [PDFSIG_R_GAP_WIDER] = {"gap_wider_than_contents",
                            "Vùng ký bỏ ra ngoài nhiều hơn phần chữ ký: có nội dung không được ký",
                            C_PARTIAL},
    /* invalid, never valid: nothing was checked (legacy SHA-1 formats, unknown ones); the text
     * says so rather than calling the signature wrong */
    [PDFSIG_R_UNSUPPORTED_FILTER] = {"unsupported_subfilter",
                                     "Định dạng chữ ký cũ hoặc không được hỗ trợ (như adbe.pkcs7.sha1, "
                                     "adbe.x509.rsa_sha1): hệ thống không kiểm tra được chữ ký này",
                                     C_INVALID},
    [PDFSIG_R_CMS_MALFORMED] = {"cms_malformed", "Dữ liệu chữ ký (CMS) hỏng", C_INVALID},
    [PDFSIG_R_DIGEST_MISMATCH] = {"digest_mismatch",
                                  "Nội dung đã bị thay đổi sau khi ký (sai giá trị băm)", C_INVALID},
    [PDFSIG_R_CHANGED_AFTER] = {"changed_after_signing",
                                "Các trang đã bị sửa đổi sau khi ký (cập nhật bổ sung)", C_PARTIAL},
    [PDFSIG_R_NOT_WHOLE_FILE] = {"not_whole_file",
                                 "Chữ ký cuối cùng không bao trùm toàn bộ tệp", C_PARTIAL},
    [PDFSIG_R_CHAIN_UNTRUSTED] = {"chain_untrusted",
                                  "Chứng thư số không thuộc tổ chức chứng thực tin cậy", C_UNTRUSTED},
    [PDFSIG_R_SELF_SIGNED] = {"self_signed", "Chứng thư số tự ký", C_UNTRUSTED},
    [PDFSIG_R_CERT_EXPIRED] = {"cert_expired_at_signing",
                               "Chứng thư số hết hạn hoặc chưa có hiệu lực tại thời điểm ký",
                               C_UNTRUSTED},
    [PDFSIG_R_CERT_REVOKED] = {"cert_revoked", "Chứng thư số đã bị thu hồi tại thời điểm ký",
                               C_UNTRUSTED},
    [PDFSIG_R_NO_SIGNING_TIME] = {"no_signing_time",
                                  "Chữ ký không ghi thời điểm ký: kiểm tra theo thời điểm hiện tại",
                                  C_INFO},
    [PDFSIG_R_REVOKED_LATER] = {"revoked_after_signing",
                                "Chứng thư số bị thu hồi sau thời điểm ký", C_INFO},
    [PDFSIG_R_TSA_NOT_TIMESTAMPING] = {"tsa_not_timestamping",
                                       "Chứng thư của đơn vị cấp dấu thời gian không dùng để cấp dấu thời gian",
                                       C_UNTRUSTED},
    [PDFSIG_R_SIG_TIMESTAMP_INVALID] = {"signature_timestamp_invalid",
                                        "Dấu thời gian kèm chữ ký không hợp lệ: dùng thời điểm ký do người ký ghi",
                                        C_INFO},
    /* RFC 5280 §4.2.1.3: a key whose keyUsage names neither bit is not for signatures (an
     * encryption certificate); pdfsig (NSS) refuses it too. */
    [PDFSIG_R_CERT_NOT_FOR_SIGNING] = {"cert_not_for_signing",
                                       "Chứng thư số không dùng để ký (mục đích sử dụng khóa không cho phép ký)",
                                       C_UNTRUSTED},
};

const char *pdfsig_verdict_name(enum pdfsig_verdict v)
{
    return (unsigned)v < PDFSIG_VERDICT_COUNT ? verdict_names[v] : "not_pdf";
}

int pdfsig_verdict_from_name(const char *s)
{
    for (int i = 0; i < PDFSIG_VERDICT_COUNT; i++)
        if (s && !strcmp(s, verdict_names[i]))
            return i;
    return -1;
}

const char *pdfsig_reason_name(enum pdfsig_reason r)
{
    return (unsigned)r < PDFSIG_R_COUNT ? reasons[r].name : "";
}

const char *pdfsig_reason_text(enum pdfsig_reason r)
{
    return (unsigned)r < PDFSIG_R_COUNT ? reasons[r].text : "";
}

/* `digits` decimal digits at s[*i] (within n) into *v; false when they are not all there. */
static bool digits(const char *s, size_t n, size_t *i, int count, int *v)
{
    if (*i + (size_t)count > n)
        return false;
    *v = 0;
    for (int k = 0; k < count; k++) {
        char ch = s[*i + (size_t)k];
        if (ch < '0' || ch > '9')
            return false;
        *v = *v * 10 + (ch - '0');
    }
    *i += (size_t)count;
    return true;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

bool pdfsig_parse_date(const char *s, size_t n, int64_t *out)
{
    size_t i = 0;
    if (n >= 2 && s[0] == 'D' && s[1] == ':')
        i = 2;
    int y, f[5] = {1, 1, 0, 0, 0}; /* month, day, hour, minute, second */
    static const int maxv[5] = {12, 31, 23, 59, 59}, minv[5] = {1, 1, 0, 0, 0};
    if (!digits(s, n, &i, 4, &y))
        return false;
    for (int k = 0; k < 5 && i < n && s[i] >= '0' && s[i] <= '9'; k++)
        if (!digits(s, n, &i, 2, &f[k]) || f[k] < minv[k] || f[k] > maxv[k])
            return false;
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (f[1] > mdays[f[0] - 1] ||
        (f[0] == 2 && f[1] == 29 && (y % 4 || (y % 100 == 0 && y % 400))))
        return false;
    int64_t off = 0;
    if (i < n && (s[i] == '+' || s[i] == '-')) {
        int sign = s[i++] == '-' ? -1 : 1, oh = 0, om = 0;
        if (!digits(s, n, &i, 2, &oh) || oh > 23)
            return false;
        if (i < n && s[i] == '\'')
            i++;
        if (i < n && !digits(s, n, &i, 2, &om))
            return false;
        if (om > 59)
            return false;
        if (i < n && s[i] == '\'')
            i++;
        off = sign * (oh * 3600 + om * 60);
    } else if (i < n && s[i] == 'Z') { /* "Z", also written "Z00'00'" by some writers */
        i++;
        while (i < n && (s[i] == '0' || s[i] == '\''))
            i++;
    }
    if (i != n)
        return false;
    *out = days_from_civil(y, f[0], f[1]) * 86400 + f[2] * 3600 + f[3] * 60 + f[4] - off;
    return true;
}

static int hexval(unsigned char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

static bool pdf_space(unsigned char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\f' || ch == 0;
}

/* The hex string starting at buf[at] == '<' and ending before `end`: whether it decodes to
 * contents; *close = offset of its '>'. The PDF rule: white space ignored, an odd final digit
 * is followed by an implied 0. */
static bool hex_matches(const unsigned char *buf, size_t at, size_t end, const unsigned char *contents,
                        size_t clen, size_t *close)
{
    size_t k = 0;
    int hi = -1;
    for (size_t i = at + 1; i < end; i++) {
        unsigned char ch = buf[i];
        if (ch == '>') {
            if (hi >= 0) {
                if (k >= clen || contents[k] != (unsigned char)(hi << 4))
                    return false;
                k++;
            }
            *close = i;
            return k == clen;
        }
        if (pdf_space(ch))
            continue;
        int v = hexval(ch);
        if (v < 0)
            return false;
        if (hi < 0) {
            hi = v;
            continue;
        }
        if (k >= clen || contents[k] != (unsigned char)(hi << 4 | v))
            return false;
        k++;
        hi = -1;
    }
    return false;
}

enum pdfsig_gap pdfsig_gap_check(const unsigned char *buf, size_t len, const int64_t *r, size_t n,
                                 const unsigned char *contents, size_t clen)
{
    if (n != 4 || r[0] != 0 || r[1] <= 0 || r[2] <= r[1] || r[3] < 0)
        return PDFSIG_GAP_MALFORMED;
    if ((uint64_t)r[2] > len || (uint64_t)r[3] > len - (uint64_t)r[2])
        return PDFSIG_GAP_MALFORMED;
    size_t a = (size_t)r[1], b = (size_t)r[2], close = 0;
    if (buf[a] == '<' && hex_matches(buf, a, b, contents, clen, &close))
        return close + 1 == b ? PDFSIG_GAP_EXACT : PDFSIG_GAP_WIDER;
    /* A gap that starts earlier (or ends later): is the /Contents string inside it? */
    for (size_t i = a; i < b; i++)
        if (buf[i] == '<' && hex_matches(buf, i, b, contents, clen, &close))
            return PDFSIG_GAP_WIDER;
    return PDFSIG_GAP_NOT_FOUND;
}

enum pdfsig_verdict pdfsig_signature_verdict(uint32_t rs)
{
    bool inv = false, part = false, untr = false;
    for (int i = 0; i < PDFSIG_R_COUNT; i++) {
        if (!(rs & (1u << i)))
            continue;
        inv |= reasons[i].cls == C_INVALID;
        part |= reasons[i].cls == C_PARTIAL;
        untr |= reasons[i].cls == C_UNTRUSTED;
    }
    return inv ? PDFSIG_SIGNED_INVALID
           : part ? PDFSIG_SIGNED_PARTIAL
           : untr ? PDFSIG_SIGNED_UNTRUSTED
                  : PDFSIG_SIGNED_VALID;
}

enum pdfsig_verdict pdfsig_file_verdict(uint32_t file_reasons, const uint32_t *sig_reasons,
                                        size_t nsig)
{
    if (file_reasons & (1u << PDFSIG_R_NOT_PDF))
        return PDFSIG_NOT_PDF;
    if (file_reasons & (1u << PDFSIG_R_ENCRYPTED))
        return PDFSIG_ENCRYPTED;
    if (nsig == 0 || (file_reasons & (1u << PDFSIG_R_NO_SIGNATURE)))
        return PDFSIG_UNSIGNED;
    /* The worst signature decides, in this order of gravity; file-level findings
     * (not_whole_file) count as the last signature's. */
    static const enum pdfsig_verdict gravity[] = {PDFSIG_SIGNED_INVALID, PDFSIG_SIGNED_PARTIAL,
                                                  PDFSIG_SIGNED_UNTRUSTED};
    bool seen[PDFSIG_VERDICT_COUNT] = {false};
    for (size_t i = 0; i < nsig; i++)
        seen[pdfsig_signature_verdict(sig_reasons[i] | (i + 1 == nsig ? file_reasons : 0))] = true;
    for (size_t g = 0; g < sizeof gravity / sizeof gravity[0]; g++)
        if (seen[gravity[g]])
            return gravity[g];
    return PDFSIG_SIGNED_VALID;
}
