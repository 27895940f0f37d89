/* ranking_bands.c — band thresholds per round and level (ranking_bands.h). Stored as
 * ten-thousandths of the index; a level without rows uses the defaults. */
#include "app/ranking_bands.h"

#include <math.h>
#include <string.h>

#include "app/audit.h"
#include "app/json_rows.h"
#include "app/rankings_calc.h"

int ranking_bands_load(db_conn *c, int64_t round_id, const char *level, struct rank_band *out,
                       bool *custom, struct app_err *err)
{
    memcpy(out, ranking_default_bands, sizeof ranking_default_bands);
    *custom = false;
    db_rows *r = NULL;
    if (db_exec(c, "SELECT band, min_index FROM ranking_bands WHERE round_id = ? AND level = ?",
                (db_param[]){DB_P_INT(round_id), DB_P_TEXT(level)}, 2, &r) != DB_OK)
        return app_fail_internal(err);
    for (int i = 0; i < db_rows_count(r); i++) {
        int b = ranking_band_find(db_text(r, i, 0));
        if (b >= 0) {
            out[b].min_e4 = db_int(r, i, 1);
            *custom = true;
        }
    }
    db_rows_free(r);
    return 0;
}

json_t *ranking_bands_json(const struct rank_band *b)
{
    json_t *a = json_array();
    for (int i = 0; a && i < RANK_BANDS; i++)
        a = json_append_or_free(a, json_pack("{s:s,s:s,s:f}", "band", b[i].code, "label",
                                             b[i].label, "min_index",
                                             (double)b[i].min_e4 / 10000.0));
    return a;
}

static json_t *bands_doc(int64_t round_id, const char *level, const struct rank_band *b,
                         bool custom)
{
    return json_pack("{s:I,s:s,s:b,s:o}", "round_id", (json_int_t)round_id, "level", level,
                     "custom", custom, "bands", ranking_bands_json(b));
}

static int check_round(db_conn *c, int64_t round_id, bool need_open, struct app_err *err)
{
    db_rows *r = NULL;
    if (db_exec(c, "SELECT status FROM rounds WHERE id = ?", (db_param[]){DB_P_INT(round_id)}, 1,
                &r) != DB_OK)
        return app_fail_internal(err);
    int rc = 0;
    if (db_rows_count(r) == 0)
        rc = app_fail(err, 404, "not_found", NULL, "Không tìm thấy đợt đánh giá.");
    else if (need_open && !strcmp(db_text(r, 0, 0), "finalised"))
        rc = app_fail(err, 409, "round_finalised", NULL,
                      "Đợt đánh giá đã hoàn thành, không thể thay đổi ngưỡng xếp loại.");
    db_rows_free(r);
    return rc;
}

json_t *ranking_bands_get(db_conn *c, int64_t round_id, const char *level, struct app_err *err)
{
    if (check_round(c, round_id, false, err))
        return NULL;
    if (app_check_level(level, "level", err))
        return NULL;
    struct rank_band b[RANK_BANDS];
    bool custom;
    if (ranking_bands_load(c, round_id, level, b, &custom, err))
        return NULL;
    json_t *o = bands_doc(round_id, level, b, custom);
    if (!o)
        app_fail_internal(err);
    return o;
}

/* min_index: a number in [0, 1] with at most 4 decimals → ten-thousandths. */
static bool read_index(const json_t *v, int64_t *e4)
{
    if (!json_is_number(v))
        return false;
    double d = json_number_value(v);
    if (!(d >= 0 && d <= 1))
        return false;
    double s = d * 10000.0;
    double r = round(s);
    if (fabs(s - r) > 1e-6)
        return false;
    *e4 = (int64_t)r;
    return true;
}

int ranking_bands_set(db_conn *c, const struct app_actor *who, int64_t round_id,
                      const json_t *body, int64_t now, json_t **result, struct app_err *err)
{
    const json_t *lv = json_object_get(body, "level"), *arr = json_object_get(body, "bands");
    if (!lv)
        return app_fail(err, 400, "missing_field", "level", "Thiếu trường bắt buộc (level).");
    if (app_check_level(json_string_value(lv), "level", err))
        return -1;
    if (!arr)
        return app_fail(err, 400, "missing_field", "bands", "Thiếu trường bắt buộc (bands).");
    if (!json_is_array(arr) || json_array_size(arr) != RANK_BANDS)
        return app_fail(err, 422, "invalid_value", "bands",
                        "Cần đúng 4 mức xếp loại: xuat_sac, tot, kha, trung_binh.");
    const char *level = json_string_value(lv);
    int64_t min[RANK_BANDS];
    bool seen[RANK_BANDS] = {false};
    for (size_t i = 0; i < RANK_BANDS; i++) {
        const json_t *x = json_array_get(arr, i);
        const json_t *bc = json_object_get(x, "band"), *mi = json_object_get(x, "min_index");
        int b = json_is_string(bc) ? ranking_band_find(json_string_value(bc)) : -1;
        if (!json_is_object(x) || b < 0 || seen[b])
            return app_fail(err, 422, "invalid_value", "bands",
                            "Mức xếp loại thứ %zu không hợp lệ hoặc bị lặp (xuat_sac, tot, kha, "
                            "trung_binh; mỗi mức một lần).",
                            i + 1);
        char field[32];
        snprintf(field, sizeof field, "bands[%zu].min_index", i);
        if (!read_index(mi, &min[b]))
            return app_fail(err, 422, "invalid_value", field,
                            "Ngưỡng chỉ số phải là số từ 0 đến 1, tối đa 4 chữ số thập phân.");
        seen[b] = true;
    }
    if (!ranking_bands_valid(min, RANK_BANDS))
        return app_fail(err, 422, "invalid_value", "bands",
                        "Ngưỡng phải giảm dần: Xuất sắc > Tốt > Khá > Trung bình, và Trung bình "
                        "bắt đầu từ 0.");
    if (check_round(c, round_id, true, err))
        return -1;
    struct rank_band old[RANK_BANDS], nb[RANK_BANDS];
    bool custom;
    if (ranking_bands_load(c, round_id, level, old, &custom, err))
        return -1;
    memcpy(nb, ranking_default_bands, sizeof nb);
    for (int i = 0; i < RANK_BANDS; i++)
        nb[i].min_e4 = min[i];
    if (db_exec(c, "DELETE FROM ranking_bands WHERE round_id = ? AND level = ?",
                (db_param[]){DB_P_INT(round_id), DB_P_TEXT(level)}, 2, NULL) != DB_OK)
        return app_fail_internal(err);
    for (int i = 0; i < RANK_BANDS; i++)
        if (db_exec(c, "INSERT INTO ranking_bands (round_id, level, band, min_index) "
                       "VALUES (?, ?, ?, ?)",
                    (db_param[]){DB_P_INT(round_id), DB_P_TEXT(level), DB_P_TEXT(nb[i].code),
                                 DB_P_INT(nb[i].min_e4)},
                    4, NULL) != DB_OK)
            return app_fail_internal(err);
    json_t *ov = json_pack("{s:s,s:b,s:o}", "level", level, "custom", custom, "bands",
                           ranking_bands_json(old));
    json_t *nv = json_pack("{s:s,s:o}", "level", level, "bands", ranking_bands_json(nb));
    int arc = (ov && nv) ? audit_change(c, who, "round", "round.bands", round_id, ov, nv, now)
                         : DB_ERROR;
    json_decref(ov);
    json_decref(nv);
    if (arc != DB_OK)
        return app_fail_internal(err);
    *result = bands_doc(round_id, level, nb, true);
    return *result ? 0 : app_fail_internal(err);
}
