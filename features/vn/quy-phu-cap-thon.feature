# language: vi
Tính năng: Quỹ phụ cấp của thôn theo hệ số lương cơ sở (gói vn)
  Nghị định 34/2019 (25/6/2019 – 31/7/2023): 5,0 lần cho thôn từ 350 hộ, xã trọng điểm an ninh,
  biên giới, hải đảo; 3,0 lần cho thôn khác. Nghị định 33/2023 (từ 01/8/2023): 6,0 lần, thêm tổ
  dân phố từ 500 hộ; 4,5 lần cho thôn khác. Lương cơ sở theo ngày: 1.800.000 ₫ từ 01/7/2023,
  2.340.000 ₫ từ 01/7/2024.

  Bối cảnh:
    Cho gói quy tắc "vn"

  @source:decree-33-2023-art-34 @source:decree-34-2019-art-2
  Khung kịch bản: Quỹ theo quy mô thôn và ngày xét
    Cho ngày xét là <ngày>
    Và một thôn:
      | kind       | <loại> |
      | households | <số hộ> |
      | area       | <địa bàn> |
    Khi xét hồ sơ
    Thì hệ số quỹ là <hệ số>
    Và quỹ phụ cấp hằng tháng là <quỹ>
    Và kết luận là "không áp dụng"

    Dữ liệu:
      | ngày       | loại              | số hộ | địa bàn | hệ số | quỹ        |
      | 2023-07-31 | village           | 350   | không   | 5,0   | 9.000.000  |
      | 2023-08-01 | village           | 350   | không   | 6,0   | 10.800.000 |
      | 2023-07-31 | village           | 349   | không   | 3,0   | 5.400.000  |
      | 2023-08-01 | village           | 349   | không   | 4,5   | 8.100.000  |
      | 2024-06-30 | village           | 120   | không   | 4,5   | 8.100.000  |
      | 2024-07-01 | village           | 120   | không   | 4,5   | 10.530.000 |
      | 2024-07-01 | village           | 420   | không   | 6,0   | 14.040.000 |
      | 2023-07-31 | residential_group | 499   | không   | 3,0   | 5.400.000  |
      | 2023-08-01 | residential_group | 520   | không   | 6,0   | 10.800.000 |
      | 2021-06-01 | village           | 80    | border  | 5,0   | 7.450.000  |
      | 2025-01-01 | village           | 80    | island  | 6,0   | 14.040.000 |

  @source:decree-34-2019-art-2
  Kịch bản: Tổ dân phố từ 500 hộ trước 01/8/2023: Nghị định 34/2019 không nói, nên quỹ chưa xác định
    Cho ngày xét là 2023-07-31
    Và một thôn:
      | kind       | residential_group |
      | households | 520               |
      | area       | không             |
    Khi xét hồ sơ
    Thì quỹ phụ cấp hằng tháng là chưa xác định
    Và kết luận là "không áp dụng"

  @source:decree-33-2023-art-34
  Khung kịch bản: Thôn từ 350 hộ chuyển thành tổ dân phố vẫn giữ quỹ 6,0 lần
    Cho ngày xét là 2024-07-01
    Và một thôn:
      | kind                              | residential_group        |
      | households                        | 420                      |
      | area                              | <địa bàn>                |
      | converted_from_village_households | <số hộ khi chuyển>       |
    Khi xét hồ sơ
    Thì hệ số quỹ là <hệ số>

    Dữ liệu:
      | địa bàn                | số hộ khi chuyển | hệ số |
      | converted_from_village | 380              | 6,0   |
      | converted_from_village | 300              | 4,5   |
      | không                  | 380              | 4,5   |

  @source:decree-33-2023-art-34
  Kịch bản: Tổ dân phố chuyển từ thôn mà chưa rõ số hộ khi chuyển thì chưa tính được quỹ
    Cho ngày xét là 2024-07-01
    Và một thôn:
      | kind       | residential_group      |
      | households | 420                    |
      | area       | converted_from_village |
    Khi xét hồ sơ
    Thì quỹ phụ cấp hằng tháng là chưa xác định

  Kịch bản: Thiếu thông tin địa bàn thì chưa tính được quỹ
    Cho ngày xét là 2025-01-01
    Và một thôn:
      | kind       | village |
      | households | 120     |
    Khi xét hồ sơ
    Thì quỹ phụ cấp hằng tháng là chưa xác định

  Kịch bản: Trước Nghị định 34/2019 không có quy định quỹ, tiêu chuẩn vẫn xét được
    Cho ngày xét là 2019-06-24
    Và một thôn:
      | kind       | village |
      | households | 120     |
      | area       | không   |
    Và một ứng viên:
      | birth_date   | 1980-01-01 |
      | party_status | probationary |
    Và các chức danh "party_cell_secretary"
    Khi xét hồ sơ
    Thì quỹ phụ cấp hằng tháng là chưa xác định
    Và tiêu chí "vn.secretary.full_member" là "không đạt"
