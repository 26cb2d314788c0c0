# language: vi
Tính năng: Tiêu chuẩn trưởng thôn và bí thư chi bộ (gói vn)
  Trưởng thôn: thường trú và cư trú tại thôn, từ đủ 21 tuổi, có sức khỏe, phẩm chất tốt, được
  nhân dân tín nhiệm (Thông tư 04/2012/TT-BNV Điều 11). Bí thư chi bộ phải là đảng viên chính
  thức (Điều lệ Đảng Điều 5). Thôn có không quá 3 người hoạt động không chuyên trách (Nghị định
  33/2023 Điều 33(6)): giới hạn của thôn, xét trên danh sách nhân sự (danh-sach-nhan-su.feature),
  không phải số chức danh của một người.

  Bối cảnh:
    Cho gói quy tắc "vn"
    Và ngày xét là 2025-01-01
    Và một thôn:
      | kind       | village |
      | households | 200     |
      | area       | không   |
    Và một ứng viên:
      | birth_date          | 1980-01-01             |
      | party_status        | full                   |
      | permanent_residence | có                     |
      | status              | hamlet_nonprofessional |
      | vote_share          | 80 %                   |
      | disciplined         | không                  |
      | health_ok           | có                     |
    Và các chức danh "party_cell_secretary, hamlet_head"

  @source:circular-04-2012-art-11
  Khung kịch bản: Trưởng thôn từ đủ 21 tuổi vào ngày xét
    Cho trường "candidate.birth_date" là "<ngày sinh>"
    Khi xét hồ sơ
    Thì tiêu chí "vn.head.min_age" là "<kết quả>"
    Và kết luận là "<kết luận>"

    Dữ liệu:
      | ngày sinh  | kết quả   | kết luận           |
      | 2004-01-01 | đạt       | đủ điều kiện       |
      | 2004-01-02 | không đạt | không đủ điều kiện |
      |            | chưa rõ   | chưa xác định được |

  @source:circular-04-2012-art-11
  Khung kịch bản: Trưởng thôn thường trú, có sức khỏe, không bị kỷ luật
    Cho trường "<trường>" là "<giá trị>"
    Khi xét hồ sơ
    Thì tiêu chí "<tiêu chí>" là "<kết quả>"

    Dữ liệu:
      | trường                        | giá trị | tiêu chí          | kết quả   |
      | candidate.permanent_residence | có      | vn.head.residence | đạt       |
      | candidate.permanent_residence | không   | vn.head.residence | không đạt |
      | candidate.permanent_residence |         | vn.head.residence | chưa rõ   |
      | candidate.health_ok           | có      | vn.head.health    | đạt       |
      | candidate.health_ok           | không   | vn.head.health    | không đạt |
      | candidate.disciplined         | không   | vn.head.standing  | đạt       |
      | candidate.disciplined         | có      | vn.head.standing  | không đạt |

  @source:circular-04-2012-art-11
  Khung kịch bản: Trưởng thôn trúng cử với quá nửa số phiếu (một cách đọc, độ tin cậy thấp)
    Cho trường "candidate.vote_share" là "<tỷ lệ phiếu>"
    Khi xét hồ sơ
    Thì tiêu chí "vn.head.trusted" là "<kết quả>"

    Dữ liệu:
      | tỷ lệ phiếu | kết quả   |
      | 51 %        | đạt       |
      | 50 %        | chưa rõ   |
      | 46 %        | không đạt |

  @source:circular-04-2012-art-11
  Kịch bản: Đúng 50 % số phiếu thì cách đọc không quyết được: chờ ban tổ chức xác nhận sự tín nhiệm
    Cho trường "candidate.vote_share" là "50 %"
    Khi xét hồ sơ
    Thì kết luận là "chưa xác định được"
    Và còn thiếu "candidate.trusted_by_people"

  @source:circular-04-2012-art-11
  Khung kịch bản: Đúng 50 % số phiếu, ban tổ chức xác nhận
    Cho trường "candidate.vote_share" là "50 %"
    Và trường "candidate.trusted_by_people" là "<xác nhận>"
    Khi xét hồ sơ
    Thì tiêu chí "vn.head.trusted" là "<kết quả>"

    Dữ liệu:
      | xác nhận | kết quả   |
      | có       | đạt       |
      | không    | không đạt |

  Kịch bản: Phiếu bầu 46 % — cần gì để đạt
    Cho trường "candidate.vote_share" là "46 %"
    Khi xét hồ sơ
    Thì kết luận là "không đủ điều kiện"
    Và điều cần thay đổi nêu "tỷ lệ phiếu bầu trên 50 %; hiện là 46 %"

  Kịch bản: Hồ sơ chưa có kết quả bầu cử
    Cho trường "candidate.vote_share" để trống
    Khi xét hồ sơ
    Thì kết luận là "chưa xác định được"
    Và còn thiếu "candidate.vote_share"

  @source:party-charter-art-5
  Khung kịch bản: Bí thư chi bộ là đảng viên chính thức
    Cho trường "candidate.party_status" là "<đảng tịch>"
    Khi xét hồ sơ
    Thì tiêu chí "vn.secretary.full_member" là "<kết quả>"

    Dữ liệu:
      | đảng tịch    | kết quả   |
      | full         | đạt       |
      | probationary | không đạt |
      | none         | không đạt |

  @source:decree-33-2023-art-33
  Kịch bản: Một người giữ cả ba chức danh hưởng phụ cấp vẫn đủ điều kiện (giới hạn 3 người là của thôn)
    Cho các chức danh "party_cell_secretary, hamlet_head, front_committee_head"
    Khi xét hồ sơ
    Thì kết luận là "đủ điều kiện"

  @source:decree-33-2023-art-33
  Kịch bản: Chỉ giữ chức danh trưởng ban công tác Mặt trận: gói không đặt tiêu chí nào cho chức danh này
    Cho các chức danh "front_committee_head"
    Khi xét hồ sơ
    Thì kết luận là "không áp dụng"

  @source:decree-33-2023-art-33 @source:resolution-18-2017
  Kịch bản: Bí thư chi bộ không kiêm trưởng thôn vẫn đủ điều kiện, kèm lưu ý về định hướng khuyến khích kiêm nhiệm
    Cho các chức danh "party_cell_secretary"
    Khi xét hồ sơ
    Thì kết luận là "đủ điều kiện"
    Và tiêu chí "vn.secretary.concurrent-encouraged" là "không đạt"
    Và có lưu ý về "vn.secretary.concurrent-encouraged"

  @source:decree-33-2023-art-33
  Kịch bản: Bí thư chi bộ kiêm trưởng thôn theo định hướng thì không có lưu ý
    Khi xét hồ sơ
    Thì kết luận là "đủ điều kiện"
    Và tiêu chí "vn.secretary.concurrent-encouraged" là "đạt"
    Và không có lưu ý nào

  @source:circular-04-2012-art-12
  Kịch bản: Nhiệm kỳ trưởng thôn do tỉnh quyết định: kết luận nêu để tham khảo
    Khi xét hồ sơ
    Thì có thông tin tham khảo "vn.note.head-term"
