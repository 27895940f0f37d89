/* phase.c — round phases and Vietnamese local dates (phase.h). */
#include "core/phase.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *code, *label;
} phases[PH_COUNT] = {
    [PH_TRIAL] = {"trial", "Thử nghiệm"},
    [PH_SELF_ASSESSMENT] = {"self_assessment", "Tự đánh giá chính thức"},
    [PH_APPRAISAL1] = {"appraisal1", "Thẩm định lần 1"},
    [PH_EXPLANATION] = {"explanation", "Giải trình, bổ sung"},
    [PH_APPRAISAL2] = {"appraisal2", "Thẩm định lần 2"},
    [PH_FINALISED] = {"finalised", "Hoàn thành"},
};

const char *phase_code(enum phase p)
{
    return (unsigned)p < PH_COUNT ? phases[p].code : "";
}

const char *phase_label(enum phase p)
{
    return (unsigned)p < PH_COUNT ? phases[p].label : "";
}

int phase_parse(const char *code)
{
    for (int i = 0; code && i < PH_COUNT; i++)
        if (strcmp(code, phases[i].code) == 0)
            return i;
    return -1;
}

int phase_current(const struct phase_window w[PH_COUNT], int64_t now)
{
    /* Windows do not overlap (rounds.c refuses it); the latest one wins if they ever did. */
    int found = PH_NONE;
    for (int i = 0; i < PH_COUNT; i++)
        if (w[i].set && w[i].starts_at <= now && now < w[i].ends_at)
            found = i;
    return found;
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool vn_date_start(const char *s, int64_t *out)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    unsigned m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
    unsigned d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
    static const unsigned mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && leap(y)))
        return false;
    *out = days_from_civil(y, m, d) * 86400 - VN_UTC_OFFSET;
    return true;
}

static void local_civil(int64_t t, int *y, unsigned *m, unsigned *d)
{
    int64_t local = t + VN_UTC_OFFSET;
    int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    civil_from_days(days, y, m, d);
}

void vn_date_format(int64_t t, char out[11])
{
    int y;
    unsigned m, d;
    local_civil(t, &y, &m, &d);
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, m % 100, d % 100);
}

void vn_date_human(int64_t t, char out[11])
{
    int y;
    unsigned m, d;
    local_civil(t, &y, &m, &d);
    snprintf(out, 11, "%02u/%02u/%04u", d % 100, m % 100, (unsigned)y % 10000u);
}
