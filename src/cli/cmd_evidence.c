/* cmd_evidence.c — `dti evidence verify [--trust PEM_OR_DIR]... [--crl FILE]... [--json] FILE.pdf...`:
 * the digital signatures of PDF files, one line per file ("FILE: verdict — signer, time") or a
 * JSON array. Exit 0 when every file is signed_valid, 1 otherwise, 2 on a usage error.
 * Semantics: docs/signatures.md. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "app/isotime.h"
#include "cli/cli.h"
#include "cli/cli_file.h"
#include "cli/cli_opt.h"
#include "core/json_oom.h"
#include "pdf/pdf_verify.h"

#define VERIFY_FILE_MAX (512u << 20)

static void usage(FILE *f)
{
    fprintf(f, "Cách dùng: dti evidence verify [--trust PEM_HOẶC_THƯ_MỤC]... [--crl TỆP]... [--json] TỆP.pdf...\n"
               "  Kiểm tra chữ ký số của tệp PDF: cấu trúc (vùng ký, sửa đổi sau khi ký), giá trị băm,\n"
               "  chuỗi chứng thư đến các chứng thư gốc tin cậy (--trust, lặp lại được), hiệu lực tại\n"
               "  thời điểm ký, thu hồi theo CRL (--crl). Kết quả: signed_valid, signed_untrusted,\n"
               "  signed_invalid, signed_partial, unsigned, encrypted, not_pdf.\n"
               "  Mã thoát: 0 khi mọi tệp signed_valid, 1 nếu không, 2 khi sai cú pháp lệnh.\n");
}

/* The file mapped read-only (no copy into a fresh buffer: the page cache is read in place);
 * NULL with a message. An empty file maps nothing: *len 0 and a non-NULL dummy. */
static const unsigned char *map_file(const char *path, size_t *len, char *err, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        int e = fd >= 0 ? EISDIR : errno;
        snprintf(err, cap, "không mở được tệp %s: %s", path, cli_errno_vi(e));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    if ((unsigned long long)sb.st_size > VERIFY_FILE_MAX) {
        snprintf(err, cap, "%s: tệp quá lớn (tối đa %u MB)", path, VERIFY_FILE_MAX >> 20);
        close(fd);
        return NULL;
    }
    *len = (size_t)sb.st_size;
    if (*len == 0) {
        close(fd);
        return (const unsigned char *)"";
    }
    void *m = mmap(NULL, *len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED) {
        snprintf(err, cap, "không đọc được tệp %s", path);
        return NULL;
    }
    return m;
}

static int verify(int argc, char **argv)
{
    const char **trust = calloc((size_t)argc, sizeof *trust), **crl = calloc((size_t)argc, sizeof *crl);
    const char **files = calloc((size_t)argc, sizeof *files);
    size_t nt = 0, nc = 0, nf = 0;
    bool as_json = false;
    int rc = 2;
    struct pdf_trust *t = NULL;
    json_t *arr = NULL;
    if (!trust || !crl || !files)
        goto out;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--json"))
            as_json = true;
        else if ((!strcmp(a, "--trust") || !strcmp(a, "--crl")) && i + 1 < argc)
            *(a[2] == 't' ? &trust[nt++] : &crl[nc++]) = argv[++i];
        else if (!strncmp(a, "--trust=", 8) && a[8])
            trust[nt++] = a + 8;
        else if (!strncmp(a, "--crl=", 6) && a[6])
            crl[nc++] = a + 6;
        else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            rc = 0;
            goto out;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "dti evidence verify: tham số không hợp lệ: %s\n", a);
            usage(stderr);
            goto out;
        } else
            files[nf++] = a;
    }
    if (nf == 0) {
        fprintf(stderr, "dti evidence verify: thiếu tệp PDF cần kiểm tra\n");
        usage(stderr);
        goto out;
    }
    char err[600];
    if (!(t = pdf_trust_load(trust, nt, crl, nc, err, sizeof err))) {
        fprintf(stderr, "dti evidence verify: %s\n", err);
        rc = 2;
        goto out;
    }
    rc = 0;
    arr = json_array();
    int64_t now = (int64_t)time(NULL);
    for (size_t i = 0; i < nf; i++) {
        size_t len = 0;
        const unsigned char *buf = map_file(files[i], &len, err, sizeof err);
        if (!buf) {
            fprintf(stderr, "dti evidence verify: %s\n", err);
            rc = 1;
            continue;
        }
        struct pdf_result r;
        pdf_verify(buf, len, t, now, &r);
        if (len)
            munmap((void *)buf, len);
        if (r.verdict != PDFSIG_SIGNED_VALID)
            rc = 1;
        if (as_json) {
            json_t *j = pdf_result_json(&r);
            if (!j || json_object_set_new(j, "file", json_string(files[i])) ||
                json_array_append_new(arr, j)) {
                fprintf(stderr, "dti evidence verify: hết bộ nhớ\n");
                rc = 1;
                goto out;
            }
            continue;
        }
        const struct pdf_signature *s = pdf_result_main(&r);
        printf("%s: %s", files[i], pdfsig_verdict_name(r.verdict));
        if (s) {
            char when[ISOTIME_LEN] = "không rõ thời điểm ký";
            if (s->has_signing_time)
                isotime_format(s->signing_time, when);
            printf(" — %s, %s", s->signer[0] ? s->signer : "(không rõ người ký)", when);
        }
        printf("\n");
    }
    if (as_json) {
        char *txt = json_oom_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (!txt) {
            fprintf(stderr, "dti evidence verify: hết bộ nhớ\n");
            rc = 1;
            goto out;
        }
        printf("%s\n", txt);
        free(txt);
    }
out:
    json_decref(arr);
    pdf_trust_free(t);
    free(trust);
    free(crl);
    free(files);
    return rc;
}

int cmd_evidence(int argc, char **argv)
{
    /* No openssl.cnf: the check needs OpenSSL's built-in algorithms only, and reading and
     * parsing the system configuration (and the providers it names) was start-up time. */
    OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL);
    int sub = cli_subcommand("evidence", argc, argv, "verify", usage);
    return sub >= 0 ? sub : verify(argc, argv);
}
