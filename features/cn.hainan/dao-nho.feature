# language: vi
Tính năng: Hải Nam cho phép "một vai gánh" ở đảo nhỏ (bản tiếng Việt)
  Cùng quy tắc với small-islands.feature, viết bằng tiếng Việt để cả hai bộ từ khóa luôn được
  kiểm tra: thôn đảo dưới 500 dân được kiêm nhiệm; thị trấn lớn như Quỳnh Hải thì tách (bài 000).

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

  Kịch bản: Thôn ở thị trấn Quỳnh Hải không được kiêm nhiệm
    Cho một thôn:
      | kind             | village |
      | population       | 3200    |
      | area             | không   |
      | election_turnout | 95 %    |
    Khi xét hồ sơ
    Thì kết luận là "không đủ điều kiện"
    Và điều cần thay đổi nêu "có hải đảo"
