# language: vi
Tính năng: Danh sách nhân sự của thôn, xét chung (gói vn)
  Thôn có một trưởng thôn và không quá một phó trưởng thôn (Thông tư 04/2012 Điều 12). Từ
  01/8/2023, thôn có không quá 3 người hoạt động không chuyên trách: bí thư chi bộ, trưởng thôn,
  trưởng ban công tác Mặt trận, một người kiêm nhiều chức danh được tính một lần (Nghị định
  33/2023 Điều 33(6)); quỹ phụ cấp khoán cho cả ba chức danh (Nghị định 33/2023 Điều 34).
  Mỗi người vẫn được xét riêng; vấn đề của danh sách được báo cho từng người liên quan.

  Bối cảnh:
    Cho gói quy tắc "vn"
    Và ngày xét là 2024-06-01
    Và một thôn:
      | kind       | village |
      | households | 200     |
      | area       | không   |
    Và phụ cấp của chức danh "party_cell_secretary" là 1.800.000
    Và phụ cấp của chức danh "hamlet_head" là 1.800.000
    Và phụ cấp của chức danh "front_committee_head" là 1.200.000

  @source:decree-33-2023-art-33 @source:decree-33-2023-art-34
  Kịch bản: Bí thư kiêm trưởng thôn và một trưởng ban Mặt trận: hợp lệ, quỹ còn lại 3.300.000 ₫
    Cho người đảm nhiệm "a" giữ các chức danh "party_cell_secretary, hamlet_head":
      | birth_date          | 1975-04-02 |
      | party_status        | full       |
      | permanent_residence | có         |
      | health_ok           | có         |
      | disciplined         | không      |
      | vote_share          | 72 %       |
      | status              | none       |
    Và người đảm nhiệm "c" giữ các chức danh "front_committee_head":
      | birth_date | 1968-01-20 |
      | status     | none       |
    Khi xét hồ sơ
    Thì danh sách nhân sự "hợp lệ"
    Và phần quỹ còn lại là 3.300.000

  @source:circular-04-2012-art-12
  Kịch bản: Hai người được đề xuất làm trưởng thôn: cả hai đều được báo, không ai bị bỏ sót
    Cho người đảm nhiệm "a" giữ các chức danh "party_cell_secretary, hamlet_head":
      | birth_date | 1975-04-02 |
      | status     | none       |
    Và người đảm nhiệm "b" giữ các chức danh "hamlet_head":
      | birth_date | 1982-09-15 |
      | status     | none       |
    Khi xét hồ sơ
    Thì danh sách nhân sự "có vấn đề"
    Và người "a" được báo vấn đề "vn.roster.one-head"
    Và người "b" được báo vấn đề "vn.roster.one-head"

  @source:decree-33-2023-art-33
  Kịch bản: Bốn người hưởng phụ cấp ở một thôn: vượt quá 3 người
    Cho người đảm nhiệm "a" giữ các chức danh "party_cell_secretary":
      | status | none |
    Và người đảm nhiệm "b" giữ các chức danh "hamlet_head":
      | status | none |
    Và người đảm nhiệm "c" giữ các chức danh "front_committee_head":
      | status | none |
    Và người đảm nhiệm "d" giữ các chức danh "hamlet_head":
      | status | none |
    Khi xét hồ sơ
    Thì danh sách nhân sự "có vấn đề"
    Và người "c" được báo vấn đề "vn.roster.paid-persons"
    Và người "d" được báo vấn đề "vn.roster.one-head"

  @source:decree-33-2023-art-34
  Kịch bản: Phụ cấp các chức danh cộng lại vượt quỹ của thôn
    Cho phụ cấp của chức danh "hamlet_head" là 4.000.000
    Và phụ cấp của chức danh "front_committee_head" là 3.000.000
    Và người đảm nhiệm "a" giữ các chức danh "party_cell_secretary, hamlet_head":
      | status | none |
    Và người đảm nhiệm "c" giữ các chức danh "front_committee_head":
      | status | none |
    Khi xét hồ sơ
    Thì danh sách nhân sự "có vấn đề"
    Và người "a" được báo vấn đề "vn.roster.within-fund"
    Và phần quỹ còn lại là -700.000

  @source:decree-33-2023-art-33
  Kịch bản: Phó trưởng thôn, phó bí thư chi bộ không thuộc 3 chức danh hưởng phụ cấp: tính 0 trong quỹ
    Cho người đảm nhiệm "a" giữ các chức danh "party_cell_secretary, deputy_hamlet_head":
      | status | none |
    Và người đảm nhiệm "e" giữ các chức danh "deputy_party_cell_secretary":
      | status | none |
    Khi xét hồ sơ
    Thì danh sách nhân sự "hợp lệ"
    Và phần quỹ còn lại là 6.300.000

  @source:decree-33-2023-art-33
  Kịch bản: Hai bí thư chi bộ được đề xuất cho một thôn
    Cho người đảm nhiệm "a" giữ các chức danh "party_cell_secretary":
      | status | none |
    Và người đảm nhiệm "b" giữ các chức danh "party_cell_secretary, front_committee_head":
      | status | none |
    Khi xét hồ sơ
    Thì danh sách nhân sự "có vấn đề"
    Và người "a" được báo vấn đề "vn.roster.one-each-paid-post"
    Và người "b" được báo vấn đề "vn.roster.one-each-paid-post"
