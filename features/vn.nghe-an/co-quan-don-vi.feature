# language: vi
Tính năng: Bí thư cấp ủy đồng thời là thủ trưởng cơ quan, đơn vị ở Nghệ An
  Nghị quyết 09/NQ-TU của Ban Chấp hành Đảng bộ tỉnh Nghệ An, như bài 004 (Báo Nghệ An) thuật
  lại: ở cơ quan hành chính, đơn vị sự nghiệp, bí thư cấp ủy đồng thời là thủ trưởng cơ quan, đơn
  vị; đến thời điểm bài báo, 40/57 đảng bộ trực thuộc Đảng bộ Khối đã thống nhất hai chức danh.
  Đây là một định hướng (nên), không phải lệnh cấm: bí thư không phải thủ trưởng vẫn đủ điều
  kiện, kèm lưu ý. Bài báo không nêu ngày ban hành nghị quyết, nên quy định không ghi ngày.
  Cơ quan, đơn vị không phải thôn: không có quỹ phụ cấp thôn, và chế độ phụ cấp ở thôn không trả
  gì cho chức danh của cơ quan; lương và phụ cấp khác của các chức danh này nằm ngoài phạm vi
  gói. Bí thư cấp ủy cũng phải là đảng viên chính thức (Điều lệ Đảng, Điều 5).

  Bối cảnh:
    Cho gói quy tắc "vn.nghe-an"
    Và ngày xét là 2025-06-01
    Và một cơ quan, đơn vị:
      | name     | Sở Khoa học và Công nghệ |
      | province | Nghệ An                  |
      | kind     | agency                   |
    Và một ứng viên:
      | birth_date   | 1972-04-12 |
      | party_status | full       |
      | status       | none       |

  @source:resolution-09-nq-tu-nghe-an @source:seed-004-agency-model
  Khung kịch bản: Bí thư cấp ủy nên đồng thời là thủ trưởng
    Cho các chức danh "<chức danh>"
    Khi xét hồ sơ
    Thì tiêu chí "nghe-an.agency.secretary-is-head" là "<kết quả>"
    Và kết luận là "<kết luận>"

    Dữ liệu:
      | chức danh                              | kết quả       | kết luận      |
      | party_committee_secretary, agency_head | đạt           | đủ điều kiện  |
      | party_committee_secretary              | không đạt     | đủ điều kiện  |
      | agency_head                            | không áp dụng | không áp dụng |

  @source:seed-004-agency-model
  Kịch bản: Bí thư không phải thủ trưởng: vẫn đủ điều kiện, kèm lưu ý theo định hướng
    Cho các chức danh "party_committee_secretary"
    Khi xét hồ sơ
    Thì kết luận là "đủ điều kiện"
    Và có lưu ý về "nghe-an.agency.secretary-is-head"

  @source:seed-004-agency-model
  Kịch bản: Bí thư đồng thời là thủ trưởng: không có lưu ý nào
    Cho các chức danh "party_committee_secretary, agency_head"
    Khi xét hồ sơ
    Thì kết luận là "đủ điều kiện"
    Và không có lưu ý nào

  @source:seed-004-agency-model
  Kịch bản: Không ghi loại đơn vị: chức danh của cơ quan đã cho biết đây là cơ quan, đơn vị
    Cho trường "hamlet.kind" để trống
    Và các chức danh "party_committee_secretary"
    Khi xét hồ sơ
    Thì có lưu ý về "nghe-an.agency.secretary-is-head"
    Và không có quỹ phụ cấp thôn

  @source:party-charter-art-5
  Kịch bản: Đảng viên dự bị không làm bí thư cấp ủy cơ quan, đơn vị
    Cho trường "candidate.party_status" là "probationary"
    Và các chức danh "party_committee_secretary, agency_head"
    Khi xét hồ sơ
    Thì kết luận là "không đủ điều kiện"
    Và tiêu chí "vn.secretary.full_member" là "không đạt"

  @source:decree-33-2023-art-34
  Kịch bản: Cơ quan, đơn vị không có quỹ phụ cấp thôn
    Cho các chức danh "party_committee_secretary, agency_head"
    Khi xét hồ sơ
    Thì không có quỹ phụ cấp thôn
    Và có thông tin tham khảo "vn.note.agency-no-fund"

  @source:decree-33-2023-art-33
  Khung kịch bản: Chế độ phụ cấp ở thôn không trả gì cho chức danh của cơ quan, đơn vị
    Cho trường "candidate.status" là "<vị trí>"
    Và các chức danh "party_committee_secretary, agency_head"
    Và phụ cấp của chức danh "agency_head" là 5.000.000
    Khi xét hồ sơ
    Thì phụ cấp dòng "party_committee_secretary" là 0
    Và phụ cấp dòng "agency_head" là 0
    Và tổng phụ cấp hằng tháng là 0

    Dữ liệu:
      | vị trí                |
      | none                  |
      | commune_civil_servant |
      |                       |
