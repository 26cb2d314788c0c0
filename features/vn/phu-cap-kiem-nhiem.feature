# language: vi
Tính năng: Phụ cấp kiêm nhiệm theo Nghị định 33/2023 (gói vn)
  Người hoạt động không chuyên trách kiêm chức danh khác: 100 % phụ cấp của chức danh kiêm
  nhiệm (Điều 34(4)); cán bộ, công chức cấp xã kiêm chức danh ở thôn: 100 % (Điều 20(2)). Phó bí
  thư chi bộ không thuộc 3 chức danh được hưởng phụ cấp (Điều 33(6)). Mức phụ cấp từng chức danh
  do tỉnh quy định: ở đây nêu trong hồ sơ.

  Bối cảnh:
    Cho gói quy tắc "vn"
    Và ngày xét là 2025-01-01
    Và một thôn:
      | kind       | village |
      | households | 200     |
      | area       | không   |
    Và một ứng viên:
      | birth_date          | 1980-01-01 |
      | party_status        | full       |
      | permanent_residence | có         |
      | vote_share          | 80 %       |
      | disciplined         | không      |
      | health_ok           | có         |
    Và phụ cấp của chức danh "party_cell_secretary" là 1.755.000
    Và phụ cấp của chức danh "hamlet_head" là 2.340.000

  @source:decree-33-2023-art-34
  Kịch bản: Người không chuyên trách ở thôn kiêm trưởng thôn được 100 %
    Cho trường "candidate.status" là "hamlet_nonprofessional"
    Và các chức danh "party_cell_secretary, hamlet_head"
    Khi xét hồ sơ
    Thì tỷ lệ phụ cấp dòng "party_cell_secretary" là 100 %
    Và tỷ lệ phụ cấp dòng "hamlet_head" là 100 %
    Và tổng phụ cấp hằng tháng là 4.095.000

  @source:decree-33-2023-art-20
  Kịch bản: Công chức cấp xã kiêm bí thư chi bộ được 100 % do tỉnh quy định
    Cho trường "candidate.status" là "commune_civil_servant"
    Và các chức danh "party_cell_secretary"
    Khi xét hồ sơ
    Thì tỷ lệ phụ cấp dòng "party_cell_secretary" là 100 %
    Và phụ cấp dòng "party_cell_secretary" là 1.755.000

  @source:decree-33-2023-art-33
  Kịch bản: Phó bí thư chi bộ không có phụ cấp riêng
    Cho trường "candidate.status" là "hamlet_nonprofessional"
    Và các chức danh "hamlet_head, deputy_party_cell_secretary"
    Khi xét hồ sơ
    Thì phụ cấp dòng "deputy_party_cell_secretary" là 0
    Và phụ cấp dòng "hamlet_head" là 2.340.000

  @source:decree-33-2023-art-34
  Kịch bản: Chưa biết vị trí công tác nhưng mọi vị trí đều được 100 % thì vẫn tính được phụ cấp
    Cho các chức danh "party_cell_secretary, hamlet_head"
    Khi xét hồ sơ
    Thì tỷ lệ phụ cấp dòng "hamlet_head" là 100 %
    Và tổng phụ cấp hằng tháng là 4.095.000

  Kịch bản: Chưa biết vị trí công tác khi tỷ lệ kiêm nhiệm chưa được quy định thì chưa tính được phụ cấp
    Cho ngày xét là 2023-07-31
    Và các chức danh "party_cell_secretary, hamlet_head"
    Khi xét hồ sơ
    Thì tổng phụ cấp hằng tháng là chưa xác định

  Kịch bản: Trước 01/8/2023 chưa có tỷ lệ kiêm nhiệm quốc gia
    Cho ngày xét là 2023-07-31
    Và trường "candidate.status" là "hamlet_nonprofessional"
    Và các chức danh "party_cell_secretary, hamlet_head"
    Khi xét hồ sơ
    Thì phụ cấp dòng "party_cell_secretary" là 1.755.000
    Và phụ cấp dòng "hamlet_head" là chưa xác định

  @source:decree-33-2023-art-33
  Kịch bản: Trước 01/8/2023 chưa có quy định phó bí thư chi bộ không hưởng phụ cấp, nên chưa xác định
    Cho ngày xét là 2023-07-31
    Và trường "candidate.status" là "hamlet_nonprofessional"
    Và các chức danh "hamlet_head, deputy_party_cell_secretary"
    Khi xét hồ sơ
    Thì phụ cấp dòng "deputy_party_cell_secretary" là chưa xác định

  @source:decree-170-2025
  Kịch bản: Từ 01/7/2025 tỷ lệ của cán bộ, công chức xã kiêm chức danh ở thôn do Hội đồng nhân dân tỉnh quy định: gói quốc gia để trống
    Cho ngày xét là 2025-07-01
    Và trường "candidate.status" là "commune_civil_servant"
    Và các chức danh "party_cell_secretary"
    Khi xét hồ sơ
    Thì phụ cấp dòng "party_cell_secretary" là chưa xác định
    Và tổng phụ cấp hằng tháng là chưa xác định

  @source:decree-170-2025
  Kịch bản: Từ 01/7/2025 người không chuyên trách ở thôn vẫn được 100 % (Nghị định 33/2023 tiếp tục áp dụng)
    Cho ngày xét là 2025-07-01
    Và trường "candidate.status" là "hamlet_nonprofessional"
    Và các chức danh "party_cell_secretary, hamlet_head"
    Khi xét hồ sơ
    Thì tỷ lệ phụ cấp dòng "hamlet_head" là 100 %
    Và tổng phụ cấp hằng tháng là 4.095.000
