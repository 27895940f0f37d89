#!/usr/bin/env python3
"""A filled template-sized workbook for bench/xlsx_read.sh: one sheet CDS_CAPSO of 80 rows ×
12 columns (69 criteria, section headers, Vietnamese titles as shared strings, points as numbers
and some as "8,5" text) and a hidden fingerprint sheet, written by openpyxl like a user's save."""
import sys

import openpyxl

wb = openpyxl.Workbook()
ws = wb.active
ws.title = "CDS_CAPSO"
ws.append(["STT", "Mã", "Tiêu chí", "Điểm tối đa", "Điểm tự đánh giá", "Tài liệu kiểm chứng",
           "Ghi chú", "Điểm thẩm định", "Đầu vào 1", "Đầu vào 2", "Đầu vào 3", "Đơn vị"])
n = 0
for sec in range(11):
    ws.append([None, "P%d" % (sec + 1), "Lĩnh vực %d: chuyển đổi số trong hoạt động của cơ quan nhà nước" % (sec + 1)]
              + [None] * 9)
    for k in range(7 if sec < 10 else 0):
        n += 1
        if n > 69:
            break
        pts = (n % 10) + 0.5
        ws.append([n, "%d.%d" % (sec + 1, k + 1),
                   "Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến toàn trình, tiêu chí %d" % n,
                   10, ("%d,5" % (n % 10)) if n % 5 == 0 else pts,
                   "Quyết định số %d/QĐ-UBND ngày 05/03/2024 về việc ban hành kế hoạch" % (100 + n),
                   "Đã thực hiện %d/%d hồ sơ" % (n * 3, n * 4), None, n * 3, n * 4, "Có" if n % 2 else "Không",
                   "Sở Thông tin và Truyền thông"])
fp = wb.create_sheet("_dti")
fp["A1"] = "round=1;unit=12;fw=hue-cap-so-2023;v=3;hash=9f2c"
fp.sheet_state = "veryHidden"
wb.save(sys.argv[1])
