# language: vi
Tính năng: Nhiệm kỳ của trưởng thôn và người tạm thời phụ trách thôn (gói vn)
  Nhiệm kỳ của trưởng thôn, tổ trưởng tổ dân phố là 2,5 năm hoặc 5 năm do Ủy ban nhân dân tỉnh
  quyết định (Thông tư 04/2012/TT-BNV Điều 12(2)(a); mức 5 năm do Thông tư 09/2017 bổ sung). Gói
  quốc gia không biết tỉnh chọn mức nào, nên câu hỏi về nhiệm kỳ chưa xác định được cho đến khi gói
  của tỉnh đặt mức này. Khi khuyết trưởng thôn, Chủ tịch Ủy ban nhân dân xã cử người tạm thời phụ
  trách không quá 6 tháng (cùng điều khoản). Hồ sơ không nêu ngày bắt đầu nhiệm kỳ thì không bị hỏi
  về nhiệm kỳ; hồ sơ không nêu là người tạm thời phụ trách là hồ sơ của trưởng thôn do dân bầu.

  Bối cảnh:
    Cho gói quy tắc "vn"
    Và ngày xét là 2025-06-01
    Và một thôn:
      | kind       | village |
      | households | 200     |
      | area       | không   |
    Và một ứng viên:
      | birth_date          | 1980-01-01             |
      | party_status        | full                   |
      | permanent_residence | có                     |
      | status              | hamlet_nonprofessional |
      | disciplined         | không                  |
      | health_ok           | có                     |
    Và các chức danh "hamlet_head"

  @source:circular-04-2012-art-12
  Kịch bản: Trưởng thôn đương nhiệm có ngày bắt đầu nhiệm kỳ: chưa xác định được theo gói quốc gia, thiếu nhiệm kỳ do tỉnh chọn
    Cho trường "candidate.term_start" là "2022-07-10"
    Và trường "candidate.vote_share" là "80 %"
    Khi xét hồ sơ
    Thì tiêu chí "vn.head.term-running" là "chưa rõ"
    Và kết luận là "chưa xác định được"
    Và còn thiếu "params.head_term_years"

  @source:circular-04-2012-art-12
  Kịch bản: Hồ sơ không nêu ngày bắt đầu nhiệm kỳ, không nêu là người tạm thời phụ trách: không bị hỏi về hai điều này
    Cho trường "candidate.vote_share" là "80 %"
    Khi xét hồ sơ
    Thì kết luận là "đủ điều kiện"
    Và tiêu chí "vn.head.term-running" là "không áp dụng"
    Và tiêu chí "vn.head.interim-limit" là "không áp dụng"

  # Giả định "nếu tỉnh chọn mức này": không tỉnh nào trong các nguồn của chúng tôi cho biết mức đã chọn.
  @source:circular-04-2012-art-12
  Khung kịch bản: Khi gói của tỉnh đặt nhiệm kỳ, nhiệm kỳ hết vào ngày tròn tháng cuối cùng
    Cho tham số "head_term_years" là <số năm>
    Và trường "candidate.term_start" là "<ngày bầu>"
    Và trường "candidate.vote_share" là "80 %"
    Khi xét hồ sơ
    Thì tiêu chí "vn.head.term-running" là "<kết quả>"
    Và kết luận là "<kết luận>"

    Dữ liệu:
      | số năm | ngày bầu   | kết quả   | kết luận           |
      | 5      | 2020-06-02 | đạt       | đủ điều kiện       |
      | 5      | 2020-06-01 | không đạt | không đủ điều kiện |
      | 2,5    | 2022-12-02 | đạt       | đủ điều kiện       |
      | 2,5    | 2022-12-01 | không đạt | không đủ điều kiện |

  @source:circular-04-2012-art-12
  Khung kịch bản: Người được Chủ tịch Ủy ban nhân dân xã cử tạm thời phụ trách giữ nhiệm vụ không quá 6 tháng
    Cho trường "candidate.interim" là "có"
    Và trường "candidate.interim_since" là "<ngày được cử>"
    Khi xét hồ sơ
    Thì tiêu chí "vn.head.interim-limit" là "<kết quả>"
    Và tiêu chí "vn.head.trusted" là "không áp dụng"
    Và kết luận là "<kết luận>"

    Dữ liệu:
      | ngày được cử | kết quả   | kết luận           |
      | 2025-03-15   | đạt       | đủ điều kiện       |
      | 2024-12-02   | đạt       | đủ điều kiện       |
      | 2024-12-01   | không đạt | không đủ điều kiện |
      |              | chưa rõ   | chưa xác định được |

  @source:circular-04-2012-art-12
  Kịch bản: Quá 6 tháng: điều cần thay đổi nêu số tháng kể từ ngày được cử
    Cho trường "candidate.interim" là "có"
    Và trường "candidate.interim_since" là "2024-10-20"
    Khi xét hồ sơ
    Thì kết luận là "không đủ điều kiện"
    Và điều cần thay đổi nêu "số tháng tròn từ ngày được cử tạm thời phụ trách đến ngày xét dưới 6; hiện là 7"
