# language: vi
Tính năng: Phụ cấp kiêm nhiệm ở Nghệ An
  Nghị quyết 22/2019/NQ-HĐND: người hoạt động không chuyên trách ở xã, ở xóm kiêm chức danh
  không chuyên trách khác được 75 % phụ cấp của chức danh kiêm nhiệm; cán bộ chuyên trách, công
  chức cấp xã kiêm bí thư chi bộ, trưởng xóm không được hưởng thêm (0 %). Từ 01/8/2023 đến hết
  năm 2023, Nghị quyết 22/2019 (75 %, 0 %) và Nghị định 33/2023 (100 %) mâu thuẫn: câu trả lời nêu
  cả hai nguồn và để "chưa xác định", không chọn bên nào. Từ 01/01/2024 Nghị
  quyết 21/2023/NQ-HĐND thay thế; tỷ lệ kiêm nhiệm của nghị quyết này chưa được biết nên câu trả
  lời là "chưa xác định". Mức phụ cấp từng chức danh nêu trong hồ sơ (ví dụ minh họa).

  Bối cảnh:
    Cho gói quy tắc "vn.nghe-an"
    Và một thôn:
      | kind                | village |
      | households          | 200     |
      | area                | không   |
      | local_party_members | 12      |
    Và một ứng viên:
      | birth_date          | 1980-01-01 |
      | party_status        | full       |
      | permanent_residence | có         |
      | vote_share          | 80 %       |
      | disciplined         | không      |
      | health_ok           | có         |
    Và các chức danh "party_cell_secretary, hamlet_head"
    Và phụ cấp của chức danh "party_cell_secretary" là 1.755.000
    Và phụ cấp của chức danh "hamlet_head" là 2.340.000

  @source:resolution-22-2019-nghe-an
  Khung kịch bản: Tỷ lệ kiêm nhiệm theo vị trí công tác và ngày xét
    Cho ngày xét là <ngày>
    Và trường "candidate.status" là "<vị trí>"
    Khi xét hồ sơ
    Thì tỷ lệ phụ cấp dòng "hamlet_head" là <tỷ lệ>
    Và phụ cấp dòng "hamlet_head" là <trưởng thôn>
    Và tổng phụ cấp hằng tháng là <tổng>
    Và kết luận là "đủ điều kiện"

    Dữ liệu:
      | ngày       | vị trí                  | tỷ lệ | trưởng thôn | tổng      |
      | 2021-06-01 | hamlet_nonprofessional  | 75 %  | 1.755.000   | 3.510.000 |
      | 2023-07-31 | commune_nonprofessional | 75 %  | 1.755.000   | 3.071.250 |
      | 2021-06-01 | commune_cadre           | 0 %   | 0           | 0         |
      | 2021-06-01 | commune_civil_servant   | 0 %   | 0           | 0         |

  @source:resolution-22-2019-nghe-an @source:decree-33-2023-art-34
  Khung kịch bản: Tháng 8–12/2023: Nghị quyết 22/2019 và Nghị định 33/2023 mâu thuẫn, không chọn bên nào
    Cho ngày xét là <ngày>
    Và trường "candidate.status" là "<vị trí>"
    Khi xét hồ sơ
    Thì phụ cấp dòng "hamlet_head" là chưa xác định
    Và tổng phụ cấp hằng tháng là chưa xác định
    Và kết luận là "đủ điều kiện"

    Dữ liệu:
      | ngày       | vị trí                  |
      | 2023-08-01 | hamlet_nonprofessional  |
      | 2023-12-31 | commune_nonprofessional |
      | 2023-09-15 | commune_civil_servant   |

  @source:resolution-21-2023-nghe-an
  Kịch bản: Từ 01/01/2024 tỷ lệ kiêm nhiệm chưa biết
    Cho ngày xét là 2024-01-01
    Và trường "candidate.status" là "hamlet_nonprofessional"
    Khi xét hồ sơ
    Thì phụ cấp dòng "party_cell_secretary" là 1.755.000
    Và phụ cấp dòng "hamlet_head" là chưa xác định
    Và tổng phụ cấp hằng tháng là chưa xác định
    Và kết luận là "đủ điều kiện"

  @source:resolution-22-2019-nghe-an
  Kịch bản: Chưa biết vị trí công tác thì chưa tính được phụ cấp vì tỷ lệ 75 % và 0 % khác nhau
    Cho ngày xét là 2021-06-01
    Khi xét hồ sơ
    Thì phụ cấp dòng "hamlet_head" là chưa xác định
    Và tổng phụ cấp hằng tháng là chưa xác định
    Và kết luận là "đủ điều kiện"
