# language: vi
Tính năng: Tổ dân phố ở Đà Nẵng
  Đà Nẵng đặt mục tiêu 90 % (2025) và 100 % (2030) tổ trưởng tổ dân phố, trưởng thôn là đảng
  viên — mục tiêu xét trên cả phường, xã, thành phố, không xét từng người (bài 003). Từng hồ sơ
  theo quy định quốc gia: tổ dân phố từ 500 hộ được quỹ 6,0 lần từ 01/8/2023.

  Bối cảnh:
    Cho gói quy tắc "vn.da-nang"
    Và ngày xét là 2025-04-05
    Và một thôn:
      | kind                | residential_group |
      | households          | 520               |
      | area                | không             |
      | local_party_members | 14                |
    Và một ứng viên:
      | birth_date          | 1980-08-30             |
      | party_status        | full                   |
      | permanent_residence | có                     |
      | status              | hamlet_nonprofessional |
      | vote_share          | 90 %                   |
      | disciplined         | không                  |
      | health_ok           | có                     |
    Và các chức danh "party_cell_secretary, hamlet_head"

  Kịch bản: Tổ dân phố Hòa Quý, bí thư kiêm tổ trưởng
    Khi xét hồ sơ
    Thì kết luận là "đủ điều kiện"
    Và quỹ phụ cấp hằng tháng là 14.040.000
    Và tiêu chí "vn.secretary.full_member" là "đạt"
