# language: vi
Tính năng: Hải Nam cho phép "một vai gánh" ở đảo nhỏ (bản tiếng Việt)
  Cùng quy tắc với small-islands.feature, viết bằng tiếng Việt để cả hai bộ từ khóa luôn được
  kiểm tra: thôn đảo dưới 500 dân được kiêm nhiệm (quy định cho phép); thôn ngoài phạm vi đó không bị
  từ chối vì quy định này mà áp dụng quy định quốc gia (cn), kèm lưu ý (bài 000).

  Bối cảnh:
    Cho gói quy tắc "cn.hainan"
    Và ngày xét là 2025-01-01
    Và một ứng viên:
      | birth_date                   | 1975-05-12 |
      | party_status                 | full       |
      | vote_share                   | 71 %       |
      | deprived_of_political_rights | không      |
    Và các chức danh "party_cell_secretary, hamlet_head"

  Kịch bản: Thôn đảo 450 dân được kiêm nhiệm
    Cho một thôn:
      | kind             | village |
      | population       | 450     |
      | area             | island  |
      | election_turnout | 93 %    |
    Khi xét hồ sơ
    Thì kết luận là "đủ điều kiện"
    Và tiêu chí "cn.hainan.one-shoulder.small-island" là "đạt"

  Kịch bản: Thôn ở thị trấn Quỳnh Hải: ngoài phạm vi cho phép, áp dụng quy định quốc gia
    Cho một thôn:
      | kind             | village |
      | population       | 3200    |
      | area             | không   |
      | election_turnout | 95 %    |
    Khi xét hồ sơ
    Thì kết luận là "đủ điều kiện"
    Và tiêu chí "cn.hainan.one-shoulder.small-island" là "không đạt"
    Và có lưu ý về "cn.hainan.one-shoulder.small-island"
