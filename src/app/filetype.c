/* filetype.c — content sniffing with libmagic against the evidence allow list (filetype.h).
 *
 * One magic cookie for the process, loaded on first use (the compiled database is mmap'd) and
 * used under a mutex: a magic_t is not thread-safe, and a check costs well under a millisecond
 * next to an upload. libmagic reads at most its bytes limit (1 MiB by default) from the file. */
#include <magic.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app/filetype.h"

static const char *const allowed[] = {
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", /* DOCX */
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",       /* XLSX */
    "application/vnd.oasis.opendocument.text",                                /* ODT */
    "application/vnd.oasis.opendocument.spreadsheet",                         /* ODS */
    "image/png",
    "image/jpeg",
    "application/zip",
    NULL,
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static magic_t cookie;

const char *filetype_allowed_names(void)
{
    return "PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG, ZIP";
}

const char *filetype_allowed(int fd, char *detected, size_t cap)
{
    if (cap)
        detected[0] = '\0';
    /* libmagic reads from the current offset: from the start, on a descriptor of its own
     * (a dup shares the offset, which nobody else uses once the upload is written). */
    int dfd = dup(fd);
    if (dfd < 0 || lseek(dfd, 0, SEEK_SET) != 0) {
        if (dfd >= 0)
            close(dfd);
        return NULL;
    }
    const char *result = NULL;
    pthread_mutex_lock(&lock);
    if (!cookie) {
        cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_ERROR);
        /* libmagic 5.44 reads up to 7 MiB of a file into one buffer; the allowed types are
         * told by their first bytes (ZIP-based office files by their first entries), and an
         * upload must not cost its size in memory (bench/upload.sh: < 4 MB). */
        size_t bytes_max = 1u << 20;
        if (cookie && (magic_setparam(cookie, MAGIC_PARAM_BYTES_MAX, &bytes_max) != 0 ||
                       magic_load(cookie, NULL) != 0)) {
            magic_close(cookie);
            cookie = NULL;
        }
    }
    const char *m = cookie ? magic_descriptor(cookie, dfd) : NULL;
    if (m) {
        snprintf(detected, cap, "%s", m);
        for (int i = 0; allowed[i]; i++)
            if (!strcmp(m, allowed[i]))
                result = allowed[i];
    }
    pthread_mutex_unlock(&lock);
    close(dfd); /* libmagic does not close the descriptor it was given */
    return result;
}
