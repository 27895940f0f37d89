/* demo.c — the demo province (docs/demo-province.md): real unit names from the seeds, our own
 * stable codes (the shipped province-level index set refers to them), no invented official
 * administrative codes. Units only: accounts are created by people, with their own passwords. */
#include "app/demo.h"

#include <stddef.h>
#include <string.h>

#include "app/units.h"

static const struct {
    const char *code, *name, *kind, *parent;
} demo_units[] = {
    {"HUE", "Tỉnh Thừa Thiên Huế", "province", NULL},
    {"STC", "Sở Tài chính", "department", "HUE"},
    {"SVHTT", "Sở Văn hóa và Thể thao", "department", "HUE"},
    {"STTTT", "Sở Thông tin và Truyền thông", "department", "HUE"},
    {"VPUBND", "Văn phòng Ủy ban nhân dân tỉnh", "department", "HUE"},
    {"SNV", "Sở Nội vụ", "department", "HUE"},
    {"SLDTBXH", "Sở Lao động thương binh và xã hội", "department", "HUE"},
    {"SCT", "Sở Công Thương", "department", "HUE"},
    {"SGTVT", "Sở Giao thông Vận tải", "department", "HUE"},
    {"TTT", "Thanh tra tỉnh", "department", "HUE"},
    {"SNNPTNT", "Sở Nông nghiệp và Phát triển nông thôn", "department", "HUE"},
    {"SKHDT", "Sở Kế hoạch và Đầu tư", "department", "HUE"},
    {"SGDDT", "Sở Giáo dục và Đào tạo", "department", "HUE"},
    {"CTK", "Cục Thống kê tỉnh", "other", "HUE"},
    {"NHNN", "Ngân hàng Nhà nước chi nhánh tỉnh Thừa Thiên Huế", "other", "HUE"},
    {"CTHUE", "Cục Thuế tỉnh Thừa Thiên Huế", "other", "HUE"},
    {"CAT", "Đảng ủy Công an tỉnh", "other", "HUE"},
    {"DHH", "Đại học Huế", "other", "HUE"},
    {"NAMDONG", "Huyện Nam Đông", "district", "HUE"},
    {"KHETRE", "Thị trấn Khe Tre", "commune", "NAMDONG"},
    {"HUONGXUAN", "Xã Hương Xuân", "commune", "NAMDONG"},
    {"HUONGPHU", "Xã Hương Phú", "commune", "NAMDONG"},
    {"THUONGLO", "Xã Thượng Lộ", "commune", "NAMDONG"},
    {"THUONGNHAT", "Xã Thượng Nhật", "commune", "NAMDONG"},
    {"HUONGLOC", "Xã Hương Lộc", "commune", "NAMDONG"},
    {"THUONGQUANG", "Xã Thượng Quảng", "commune", "NAMDONG"},
    {"THUONGLONG", "Xã Thượng Long", "commune", "NAMDONG"},
    {"HUONGHUU", "Xã Hương Hữu", "commune", "NAMDONG"},
    {"HUONGSON", "Xã Hương Sơn", "commune", "NAMDONG"},
};

int demo_create_units(db_conn *c, const struct app_actor *who, int64_t now,
                      int64_t *province_id, struct app_err *err)
{
    for (size_t i = 0; i < sizeof demo_units / sizeof *demo_units; i++) {
        struct unit_input in = {.code = demo_units[i].code,
                                .name = demo_units[i].name,
                                .kind = demo_units[i].kind};
        if (demo_units[i].parent) {
            in.has_parent = true;
            in.parent_id = unit_id_by_code(c, demo_units[i].parent);
        }
        int64_t id;
        if (unit_create(c, who, &in, now, &id, err))
            return -1;
        if (i == 0 && province_id)
            *province_id = id;
    }
    return 0;
}

int demo_create_province(db_conn *c, const struct app_actor *who, const char *name,
                         int64_t now, int64_t *province_id, struct app_err *err)
{
    struct unit_input in = {.code = "TINH", .name = name, .kind = "province"};
    return unit_create(c, who, &in, now, province_id, err);
}
