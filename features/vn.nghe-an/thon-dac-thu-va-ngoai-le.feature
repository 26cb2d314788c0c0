# language: vi
Tính năng: Thôn đặc thù và trưởng thôn ngoài Đảng ở Nghệ An
  Đề án 01 của Tỉnh ủy: thôn chưa có đảng viên, có 1–2 đảng viên cần tăng cường, có 3–4 đảng
  viên có nguy cơ mất chi bộ được tăng cường cán bộ, công chức, người không chuyên trách cấp xã
  làm bí thư chi bộ (bài 001): một quy định cho phép, kèm nghĩa vụ; ngoài phạm vi đó, quy định
  quốc gia quyết định. Không có nguồn nào nói bí thư chi bộ phải cư trú tại thôn, nên gói không
  có tiêu chí ấy. Trưởng thôn nên là đảng viên: một định hướng cho nhiệm kỳ 2022–2025, không phải
  lệnh cấm; ở Nghi Lộc, người ngoài Đảng có năng lực, trách nhiệm, uy tín được giới thiệu bầu khi
  không có đảng viên phù hợp, và cấp ủy phải có kế hoạch bồi dưỡng kết nạp (bài 002).

  Bối cảnh:
    Cho gói quy tắc "vn.nghe-an"
    Và ngày xét là 2021-06-01
    Và một thôn:
      | kind                            | village |
      | households                      | 180     |
      | area                            | không   |
      | local_party_members             | 0       |
      | suitable_party_member_available | không   |

  @source:project-01-nghe-an @source:seed-001
  Khung kịch bản: Cán bộ xã được tăng cường làm bí thư chi bộ thôn đặc thù
    Cho một ứng viên:
      | birth_date          | 1985-03-02 |
      | party_status        | full       |
      | permanent_residence | không      |
      | status              | <vị trí>   |
    Và trường "hamlet.local_party_members" là "<đảng viên tại chỗ>"
    Và các chức danh "party_cell_secretary"
    Khi xét hồ sơ
    Thì tiêu chí "nghe-an.secretary.special-hamlet-reinforcement" là "<kết quả>"
    Và kết luận là "<kết luận>"

    Dữ liệu:
      | vị trí                  | đảng viên tại chỗ | kết quả        | kết luận                    |
      | commune_civil_servant   | 0                 | đạt            | đủ điều kiện, kèm điều kiện |
      | commune_nonprofessional | 4                 | đạt            | đủ điều kiện, kèm điều kiện |
      | commune_civil_servant   | 5                 | không đạt      | đủ điều kiện                |
      | none                    | 0                 | không áp dụng  | đủ điều kiện                |
      | commune_cadre           |                   | chưa rõ        | đủ điều kiện                |

  @source:seed-001
  Kịch bản: Thôn có 5 đảng viên tại chỗ: ngoài phạm vi Đề án 01, áp dụng quy định quốc gia, kèm lưu ý
    Cho một ứng viên:
      | birth_date          | 1985-03-02            |
      | party_status        | full                  |
      | permanent_residence | không                 |
      | status              | commune_civil_servant |
    Và trường "hamlet.local_party_members" là "5"
    Và các chức danh "party_cell_secretary"
    Khi xét hồ sơ
    Thì kết luận là "đủ điều kiện"
    Và có lưu ý về "nghe-an.secretary.special-hamlet-reinforcement"

  @source:party-charter-art-5
  Kịch bản: Được tăng cường nhưng là đảng viên dự bị: quy định quốc gia vẫn không cho làm bí thư
    Cho một ứng viên:
      | birth_date          | 1985-03-02            |
      | party_status        | probationary          |
      | permanent_residence | không                 |
      | status              | commune_civil_servant |
    Và các chức danh "party_cell_secretary"
    Khi xét hồ sơ
    Thì kết luận là "không đủ điều kiện"
    Và tiêu chí "vn.secretary.full_member" là "không đạt"

  @source:seed-001
  Kịch bản: Công chức xã được tăng cường phải nhận nghĩa vụ kèm theo
    Cho một ứng viên:
      | birth_date          | 1985-03-02            |
      | party_status        | full                  |
      | permanent_residence | không                 |
      | status              | commune_civil_servant |
    Và các chức danh "party_cell_secretary"
    Khi xét hồ sơ
    Thì có điều kiện kèm theo "nghe-an.secretary.special-hamlet-reinforcement"
    Và phụ cấp dòng "party_cell_secretary" là 0

  @source:seed-002-nghi-loc
  Khung kịch bản: Người ngoài Đảng được giới thiệu bầu trưởng thôn (nhiệm kỳ 2022–2025)
    Cho ngày xét là 2023-06-01
    Và một ứng viên:
      | birth_date                  | 1979-09-14 |
      | party_status                | <đảng tịch> |
      | permanent_residence         | có         |
      | status                      | none       |
      | vote_share                  | 68 %       |
      | disciplined                 | không      |
      | health_ok                   | có         |
      | endorsed_by_party_committee | <giới thiệu> |
    Và trường "hamlet.suitable_party_member_available" là "<có đảng viên phù hợp>"
    Và các chức danh "hamlet_head"
    Khi xét hồ sơ
    Thì tiêu chí "nghe-an.head.party-member" là "<kết quả>"
    Và kết luận là "<kết luận>"

    Dữ liệu:
      | đảng tịch    | giới thiệu | có đảng viên phù hợp | kết quả       | kết luận                    |
      | full         | có         | có                   | đạt           | đủ điều kiện                |
      | probationary | không      | có                   | đạt           | đủ điều kiện                |
      | none         | có         | không                | được miễn trừ | đủ điều kiện, kèm điều kiện |
      | none         | có         | có                   | không đạt     | đủ điều kiện                |
      | none         | không      | không                | không đạt     | đủ điều kiện                |
      | none         |            | không                | chưa rõ       | đủ điều kiện                |

  @source:seed-002-nghi-loc
  Kịch bản: Nghĩa vụ bồi dưỡng kết nạp đi kèm ngoại lệ
    Cho ngày xét là 2023-06-01
    Và một ứng viên:
      | birth_date                  | 1979-09-14 |
      | party_status                | none       |
      | permanent_residence         | có         |
      | status                      | none       |
      | vote_share                  | 68 %       |
      | disciplined                 | không      |
      | health_ok                   | có         |
      | endorsed_by_party_committee | có         |
    Và các chức danh "hamlet_head"
    Khi xét hồ sơ
    Thì có điều kiện kèm theo "nghe-an.exception.non-member-head"
    Và tiêu chí "nghe-an.head.party-member" là "được miễn trừ"
    Và không có lưu ý nào

  @source:seed-002
  Kịch bản: Trưởng thôn ngoài Đảng trúng cử hợp lệ, không được giới thiệu: vẫn đủ điều kiện, kèm lưu ý trái định hướng
    Cho ngày xét là 2023-06-01
    Và một ứng viên:
      | birth_date                  | 1979-09-14 |
      | party_status                | none       |
      | permanent_residence         | có         |
      | status                      | none       |
      | vote_share                  | 68 %       |
      | disciplined                 | không      |
      | health_ok                   | có         |
      | endorsed_by_party_committee | không      |
    Và các chức danh "hamlet_head"
    Khi xét hồ sơ
    Thì kết luận là "đủ điều kiện"
    Và có lưu ý về "nghe-an.head.party-member"

  @source:seed-002
  Kịch bản: Ngoài nhiệm kỳ 2022–2025, định hướng không áp dụng
    Cho ngày xét là 2021-06-01
    Và một ứng viên:
      | birth_date                  | 1979-09-14 |
      | party_status                | none       |
      | permanent_residence         | có         |
      | status                      | none       |
      | vote_share                  | 68 %       |
      | disciplined                 | không      |
      | health_ok                   | có         |
    Và các chức danh "hamlet_head"
    Khi xét hồ sơ
    Thì tiêu chí "nghe-an.head.party-member" là "không áp dụng"
    Và kết luận là "đủ điều kiện"

  @source:project-01-nghe-an @source:seed-002
  Khung kịch bản: Kết luận nêu loại thôn đặc thù theo Đề án 01 (thông tin, không phải tiêu chí)
    Cho một ứng viên:
      | birth_date          | 1985-03-02            |
      | party_status        | full                  |
      | status              | commune_civil_servant |
    Và trường "hamlet.local_party_members" là "<đảng viên tại chỗ>"
    Và các chức danh "party_cell_secretary"
    Khi xét hồ sơ
    Thì có thông tin tham khảo "<loại>"

    Dữ liệu:
      | đảng viên tại chỗ | loại                                  |
      | 0                 | nghe-an.note.project01-no-members     |
      | 2                 | nghe-an.note.project01-reinforce      |
      | 4                 | nghe-an.note.project01-at-risk        |
      | 2                 | vn.note.party-cell-minimum            |

  @source:seed-002
  Khung kịch bản: Trưởng thôn là đảng viên nên giữ chức phó bí thư chi bộ (định hướng, không bắt buộc)
    Cho ngày xét là 2023-06-01
    Và một ứng viên:
      | birth_date          | 1979-09-14 |
      | party_status        | full       |
      | permanent_residence | có         |
      | status              | none       |
      | vote_share          | 68 %       |
      | disciplined         | không      |
      | health_ok           | có         |
    Và các chức danh "<chức danh>"
    Khi xét hồ sơ
    Thì kết luận là "đủ điều kiện"
    Và tiêu chí "nghe-an.head.deputy-secretary" là "<kết quả>"

    Dữ liệu:
      | chức danh                                | kết quả   |
      | hamlet_head, deputy_party_cell_secretary | đạt       |
      | party_cell_secretary, hamlet_head        | đạt       |
      | hamlet_head                              | không đạt |

  @source:seed-002
  Kịch bản: Trưởng thôn là đảng viên nhưng không giữ chức phó bí thư: vẫn đủ điều kiện, kèm lưu ý
    Cho ngày xét là 2023-06-01
    Và một ứng viên:
      | birth_date          | 1979-09-14 |
      | party_status        | full       |
      | permanent_residence | có         |
      | status              | none       |
      | vote_share          | 68 %       |
      | disciplined         | không      |
      | health_ok           | có         |
    Và các chức danh "hamlet_head"
    Khi xét hồ sơ
    Thì kết luận là "đủ điều kiện"
    Và có lưu ý về "nghe-an.head.deputy-secretary"
