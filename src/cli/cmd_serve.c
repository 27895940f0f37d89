/* cmd_serve.c — `dti serve`: open the database, migrate, load shipped index sets, serve HTTP
 * until SIGTERM/SIGINT, then stop gracefully (finish requests in flight, close the pool). */
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/blobstore.h"
#include "app/evidence_sig.h"
#include "app/frameworks_store.h"
#include "app/password.h"
#include "app/schema.h"
#include "cli/cli.h"
#include "cli/cli_db.h"
#include "cli/cli_finddir.h"
#include "http/server.h"

static void usage(FILE *f)
{
    fprintf(f,
            "Cách dùng: dti serve [tuỳ chọn]\n"
            "Chạy máy chủ web và API của nền tảng DTI.\n\n"
            "Tuỳ chọn:\n"
            "  --db URL              cơ sở dữ liệu (mặc định %s; hoặc postgresql://...)\n"
            "  --listen HOST:CỔNG    địa chỉ lắng nghe (mặc định 127.0.0.1:8080)\n"
            "  --web THƯ_MỤC         thư mục giao diện web đã xây dựng; nếu không chỉ định:\n"
            "                        biến môi trường DTI_WEB_DIR, rồi ./build/web, rồi\n"
            "                        <thư mục của dti>/web\n"
            "  --threads N           số luồng xử lý (mặc định: 2 × số lõi CPU)\n"
            "  --max-hashing N       số lần băm/kiểm tra mật khẩu chạy cùng lúc (mỗi lần 64 MiB;\n"
            "                        yêu cầu vượt quá sẽ chờ lượt; mặc định: số lõi CPU)\n"
            "  --secure-cookies      gắn thuộc tính Secure cho cookie (khi chạy sau HTTPS)\n"
            "  --conn-timeout GIÂY   ngắt kết nối không hoạt động sau GIÂY giây (mặc định 15)\n"
            "  --max-connections N   số kết nối đồng thời tối đa (mặc định 1000)\n"
            "  --max-conn-per-address N\n"
            "                        số kết nối đồng thời tối đa từ một địa chỉ IP (mặc định\n"
            "                        128; 0 = không giới hạn, khi chạy sau reverse proxy); kết\n"
            "                        nối vượt quá bị đóng ngay khi nhận, không có phản hồi\n"
            "  --header-timeout GIÂY\n"
            "                        phải nhận đủ phần đầu yêu cầu (dòng yêu cầu và header)\n"
            "                        trong GIÂY giây kể từ khi kết nối hoặc từ khi yêu cầu trước\n"
            "                        xong, dù máy khách gửi nhỏ giọt; quá hạn thì ngắt kết nối\n"
            "                        (mặc định 10)\n"
            "  --frameworks THƯ_MỤC  thư mục các bộ chỉ số đi kèm, nạp khi khởi động; nếu không\n"
            "                        chỉ định: biến môi trường DTI_FRAMEWORKS_DIR, rồi\n"
            "                        ./frameworks, rồi <thư mục của dti>/../frameworks\n"
            "  --max-upload-mb N     dung lượng tối đa của một tệp minh chứng, MB (mặc định 20)\n"
            "  --data-dir THƯ_MỤC    nơi lưu tệp minh chứng (THƯ_MỤC/blobs); mặc định: thư mục\n"
            "                        chứa tệp SQLite, với PostgreSQL: var/data (tương đối với\n"
            "                        thư mục làm việc)\n"
            "  --trust PEM_HOẶC_THƯ_MỤC  chứng thư gốc tin cậy để kiểm tra chữ ký số của minh\n"
            "                        chứng PDF (tệp PEM hoặc thư mục các tệp .pem/.crt/.cer; lặp\n"
            "                        lại được); không có: mọi chữ ký là signed_untrusted\n"
            "  --crl TỆP             danh sách thu hồi chứng thư (CRL, PEM hoặc DER; lặp lại được)\n"
            "  --no-access-log       không ghi nhật ký truy cập ra stderr\n"
            "  -h, --help            hiện hướng dẫn này\n",
            DTI_DEFAULT_DB);
}

static bool parse_uint(const char *s, unsigned min, unsigned max, unsigned *out)
{
    char *end;
    if (!s || !*s)
        return false;
    unsigned long v = strtoul(s, &end, 10);
    if (*end || v < min || v > max)
        return false;
    *out = (unsigned)v;
    return true;
}

/* "HOST:PORT" or "[v6]:PORT" into host (buffer) and port. */
static bool parse_listen(const char *s, char *host, size_t cap, unsigned *port)
{
    const char *colon = strrchr(s, ':');
    if (!colon || colon == s)
        return false;
    size_t n = (size_t)(colon - s);
    const char *h = s;
    if (h[0] == '[') {
        if (n < 3 || h[n - 1] != ']')
            return false;
        h++;
        n -= 2;
    }
    if (n >= cap)
        return false;
    memcpy(host, h, n);
    host[n] = '\0';
    return parse_uint(colon + 1, 0, 65535, port);
}

/* The options that take a value: one of them last on the line lacks it; any other word is an
 * unknown option (it used to be called "missing a value" when it came last). */
static bool takes_value(const char *a)
{
    static const char *const with_value[] = {
        "--db",      "--listen",  "--web",           "--data-dir",     "--trust",
        "--crl",     "--frameworks", "--max-upload-mb", "--threads",   "--max-hashing",
        "--conn-timeout", "--max-connections", "--max-conn-per-address", "--header-timeout",
    };
    for (size_t i = 0; i < sizeof with_value / sizeof *with_value; i++)
        if (!strcmp(a, with_value[i]))
            return true;
    return false;
}

int cmd_serve(int argc, char **argv)
{
    const char *url = DTI_DEFAULT_DB, *listen = "127.0.0.1:8080", *web = NULL;
    const char *fwopt = NULL, *data_dir = NULL;
    unsigned max_upload_mb = 20;
    const char *trust[64], *crl[64]; /* part: pdfsig */
    size_t ntrust = 0, ncrl = 0;
    unsigned max_hashing = 0; /* 0: the number of cores (password.c) */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    struct http_server_opts o = {
        .threads = (unsigned)(cores > 0 ? 2 * cores : 2),
        .conn_timeout = 15,
        .max_connections = 1000,
        .max_conn_per_address = 128,
        .header_timeout = 10,
        .access_log = true,
        .routes = dti_routes,
    };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--secure-cookies")) {
            o.secure_cookies = true;
        } else if (!strcmp(a, "--no-access-log")) {
            o.access_log = false;
        } else if (!v && takes_value(a)) {
            fprintf(stderr, "dti serve: thiếu giá trị cho %s\n", a);
            usage(stderr);
            return 2;
        } else if (!strcmp(a, "--db")) {
            url = v, i++;
        } else if (!strcmp(a, "--listen")) {
            listen = v, i++;
        } else if (!strcmp(a, "--web")) {
            web = v, i++;
        } else if (!strcmp(a, "--data-dir")) {
            data_dir = v, i++;
        } else if (!strcmp(a, "--trust") || !strcmp(a, "--crl")) { /* part: pdfsig */
            bool is_trust = a[2] == 't';
            if ((is_trust ? ntrust : ncrl) == 64) {
                fprintf(stderr, "dti serve: tối đa 64 lần %s\n", a);
                return 2;
            }
            *(is_trust ? &trust[ntrust++] : &crl[ncrl++]) = v, i++;
        } else if (!strcmp(a, "--max-upload-mb")) {
            if (!parse_uint(v, 1, 4096, &max_upload_mb)) {
                fprintf(stderr, "dti serve: --max-upload-mb phải là số nguyên từ 1 đến 4096\n");
                return 2;
            }
            i++;
        } else if (!strcmp(a, "--frameworks")) {
            fwopt = v, i++;
        } else if (!strcmp(a, "--threads")) {
            if (!parse_uint(v, 1, 256, &o.threads)) {
                fprintf(stderr, "dti serve: --threads phải là số nguyên từ 1 đến 256\n");
                return 2;
            }
            i++;
        } else if (!strcmp(a, "--max-hashing")) {
            if (!parse_uint(v, 1, 256, &max_hashing)) {
                fprintf(stderr, "dti serve: --max-hashing phải là số nguyên từ 1 đến 256\n");
                return 2;
            }
            i++;
        } else if (!strcmp(a, "--conn-timeout")) {
            if (!parse_uint(v, 1, 3600, &o.conn_timeout)) {
                fprintf(stderr, "dti serve: --conn-timeout phải là số giây từ 1 đến 3600\n");
                return 2;
            }
            i++;
        } else if (!strcmp(a, "--max-connections")) {
            if (!parse_uint(v, 1, 100000, &o.max_connections)) {
                fprintf(stderr, "dti serve: --max-connections phải là số từ 1 đến 100000\n");
                return 2;
            }
            i++;
        } else if (!strcmp(a, "--max-conn-per-address")) {
            if (!parse_uint(v, 0, 100000, &o.max_conn_per_address)) {
                fprintf(stderr, "dti serve: --max-conn-per-address phải là số từ 0 đến 100000 "
                                "(0 = không giới hạn)\n");
                return 2;
            }
            i++;
        } else if (!strcmp(a, "--header-timeout")) {
            if (!parse_uint(v, 1, 3600, &o.header_timeout)) {
                fprintf(stderr, "dti serve: --header-timeout phải là số giây từ 1 đến 3600\n");
                return 2;
            }
            i++;
        } else {
            fprintf(stderr, "dti serve: tuỳ chọn không hợp lệ: %s\n", a);
            usage(stderr);
            return 2;
        }
    }
    char host[256];
    if (!parse_listen(listen, host, sizeof host, &o.port)) {
        fprintf(stderr, "dti serve: --listen phải có dạng HOST:CỔNG, ví dụ 127.0.0.1:8080\n");
        return 2;
    }
    o.host = host;
    password_set_max_concurrent(max_hashing);
    /* part: pdfsig — trust roots and CRLs for PDF evidence signatures (docs/signatures.md) */
    char terr[700];
    struct pdf_trust *pt = pdf_trust_load(trust, ntrust, crl, ncrl, terr, sizeof terr);
    if (!pt) {
        fprintf(stderr, "dti serve: %s\n", terr);
        return 2;
    }
    evidence_sig_set_trust(pt);
    char fwdir[4096], tried[2048], webdir[4096], webtried[2048];
    int found = cli_find_frameworks(fwopt, fwdir, sizeof fwdir, tried, sizeof tried);
    if (found < 0) {
        fprintf(stderr, "dti serve: %s\n", tried);
        return 1;
    }
    int webfound = cli_find_web(web, webdir, sizeof webdir, webtried, sizeof webtried);
    if (webfound < 0) {
        fprintf(stderr, "dti serve: %s\n", webtried);
        return 1;
    }
    if (!webfound) /* the API still works; "/" explains that the UI is not built */
        fprintf(stderr, "dti serve: cảnh báo: không tìm thấy giao diện web đã xây dựng (đã tìm: %s); "
                "chạy make build, hoặc chỉ định bằng --web THƯ_MỤC hoặc DTI_WEB_DIR\n", webtried);
    o.web_dir = webfound ? webdir : NULL;

    /* Signals are taken by sigwait() in this thread only; the server threads inherit the mask. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    char err[512] = "";
    db *pool = cli_open_existing("serve", url, (int)o.threads + 2);
    if (!pool)
        return 1;
    if (db_migrate(pool, dti_migrations, dti_migrations_count, err, sizeof err) != DB_OK) {
        fprintf(stderr, "dti serve: nâng cấp lược đồ dữ liệu thất bại: %s\n", err);
        db_close(pool);
        return 1;
    }
    db_conn *c = db_acquire(pool);
    if (!c) {
        fprintf(stderr, "dti serve: không lấy được kết nối cơ sở dữ liệu\n");
        db_close(pool);
        return 1;
    }
    int installed = found ? frameworks_sync_dir(c, fwdir, err, sizeof err) : 0;
    db_release(c);
    if (installed < 0) {
        fprintf(stderr, "dti serve: bộ chỉ số đi kèm không hợp lệ: %s\n", err);
        db_close(pool);
        return 1;
    }
    if (installed > 0)
        fprintf(stderr, "dti serve: đã nạp %d bộ chỉ số mới từ %s\n", installed, fwdir);
    else if (!found) /* the stored sets are still served */
        fprintf(stderr, "dti serve: cảnh báo: không tìm thấy thư mục các bộ chỉ số đi kèm (đã tìm: "
                "%s); chỉ định bằng --frameworks THƯ_MỤC hoặc DTI_FRAMEWORKS_DIR\n", tried);

    /* Evidence files: next to the SQLite database by default; PostgreSQL has no file of
     * its own, so var/data under the working directory unless --data-dir says otherwise
     * (docs/evidence.md). */
    char ddir[4096];
    cli_data_dir(url, data_dir, ddir, sizeof ddir);
    struct blobstore *blobs = blobstore_fs_open(ddir, err, sizeof err);
    if (!blobs) {
        fprintf(stderr, "dti serve: %s\n", err);
        db_close(pool);
        return 1;
    }
    int cleaned = blobs->ops->clean_temps(blobs);
    if (cleaned > 0)
        fprintf(stderr, "dti serve: đã xoá %d tệp tải lên dở dang (lần chạy trước bị dừng)\n",
                cleaned);
    o.blobs = blobs;
    o.max_upload = (size_t)max_upload_mb << 20;

    o.pool = pool;
    http_server *srv = http_server_start(&o, err, sizeof err);
    if (!srv) {
        fprintf(stderr, "dti serve: %s\n", err);
        blobs->ops->close(blobs);
        db_close(pool);
        return 1;
    }
    bool v6 = strchr(host, ':') != NULL;
    char hostshown[270];
    snprintf(hostshown, sizeof hostshown, "%s%s%s", v6 ? "[" : "", host, v6 ? "]" : "");
    printf("Máy chủ DTI đang chạy tại http://%s:%u\n", hostshown, http_server_port(srv));
    fflush(stdout);

    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, "dti serve: nhận tín hiệu %s, đang dừng...\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    http_server_stop(srv, 10000);
    blobs->ops->close(blobs);
    db_close(pool);
    evidence_sig_set_trust(NULL);
    pdf_trust_free(pt);
    return 0;
}
