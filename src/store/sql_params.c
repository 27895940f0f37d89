/* sql_params.c — `?` -> `$n` for PostgreSQL, skipping everything a `?` may be text in. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sql_params.h"

static bool ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '$' || (unsigned char)c >= 0x80;
}

/* Length of a dollar-quote tag ($$ or $name$) starting at s, or 0 if s does not start one. */
static size_t dollar_tag_len(const char *s)
{
    size_t n = 1;
    if (s[n] == '$')
        return 2;
    if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') || s[n] == '_' ||
          (unsigned char)s[n] >= 0x80))
        return 0;
    while (s[n] && s[n] != '$' && ident_char(s[n]))
        n++;
    return s[n] == '$' ? n + 1 : 0;
}

/* Length of the quoted literal starting at s[0] == q, closing quote included (doubled quotes
 * stay inside; with backslashes, \x escapes too). */
static size_t quoted_len(const char *s, char q, bool backslashes)
{
    size_t i = 1;
    while (s[i]) {
        if (backslashes && s[i] == '\\' && s[i + 1]) {
            i += 2;
        } else if (s[i] == q) {
            if (s[i + 1] == q)
                i += 2;
            else
                return i + 1;
        } else {
            i++;
        }
    }
    return i;
}

static size_t block_comment_len(const char *s)
{
    size_t i = 2;
    int depth = 1; /* PostgreSQL block comments nest */
    while (s[i] && depth) {
        if (s[i] == '/' && s[i + 1] == '*') {
            depth++;
            i += 2;
        } else if (s[i] == '*' && s[i + 1] == '/') {
            depth--;
            i += 2;
        } else {
            i++;
        }
    }
    return i;
}

char *sql_params_rewrite(const char *sql, int *count)
{
    size_t len = strlen(sql), marks = 0;
    for (size_t i = 0; i < len; i++)
        marks += sql[i] == '?';
    /* Each `?` grows to at most "$" + 10 digits. */
    char *out = malloc(len + 1 + marks * 11);
    if (!out)
        return NULL;
    size_t i = 0, o = 0;
    int n = 0;
    while (i < len) {
        const char *s = sql + i;
        size_t take = 1;
        if (*s == '\'') {
            bool e = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') &&
                     (i < 2 || !ident_char(sql[i - 2]));
            take = quoted_len(s, '\'', e);
        } else if (*s == '"') {
            take = quoted_len(s, '"', false);
        } else if (s[0] == '-' && s[1] == '-') {
            const char *nl = strchr(s, '\n');
            take = nl ? (size_t)(nl - s) + 1 : len - i;
        } else if (s[0] == '/' && s[1] == '*') {
            take = block_comment_len(s);
        } else if (*s == '$' && (i == 0 || !ident_char(sql[i - 1]))) {
            size_t tag = dollar_tag_len(s);
            if (tag) {
                /* Find the same tag again; the body runs to the end if it never closes. */
                const char *body = s + tag, *end = body;
                while ((end = strchr(end, '$')) && strncmp(end, s, tag) != 0)
                    end++;
                take = end ? (size_t)(end - s) + tag : len - i;
            }
        } else if (*s == '?') {
            o += (size_t)sprintf(out + o, "$%d", ++n);
            i++;
            continue;
        }
        memcpy(out + o, s, take);
        o += take;
        i += take;
    }
    out[o] = 0;
    *count = n;
    return out;
}
