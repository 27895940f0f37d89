/* sql_params.h — rewriting portable `?` placeholders to PostgreSQL's $1..$n (pure, no I/O). */
#ifndef DTI_STORE_SQL_PARAMS_H
#define DTI_STORE_SQL_PARAMS_H

/* Rewrites each `?` outside string literals ('…', E'…'), quoted identifiers ("…"),
 * dollar-quoted strings ($tag$…$tag$) and comments (-- …, nested block comments) to $1, $2, …
 * in order. Returns a malloc'd string and the number of placeholders in *count; NULL when out
 * of memory. An unterminated literal or comment runs to the end of the text (the server will
 * reject it; nothing inside it is rewritten). */
char *sql_params_rewrite(const char *sql, int *count);

#endif
