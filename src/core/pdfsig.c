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
    [PDFSIG_R_UNSUPPORTED_FILTER] = {"unsupported_subfilter", "Định dạng chữ ký không được hỗ trợ",
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
