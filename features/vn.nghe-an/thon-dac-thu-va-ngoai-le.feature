# language: vi
Tính năng: Thôn đặc thù và trưởng thôn ngoài Đảng ở Nghệ An
  Đề án 01 của Tỉnh ủy: thôn chưa có đảng viên, có 1–2 đảng viên cần tăng cường, có 3–4 đảng
  viên có nguy cơ mất chi bộ được tăng cường cán bộ, công chức, người không chuyên trách cấp xã
  làm bí thư chi bộ (bài 001). Trưởng thôn nên là đảng viên; ở Nghi Lộc, người ngoài Đảng có năng
  lực, trách nhiệm, uy tín được giới thiệu bầu khi không có đảng viên phù hợp, và cấp ủy phải có
  kế hoạch bồi dưỡng kết nạp (bài 002).

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
    Thì tiêu chí "nghe-an.secretary.local-member" là "<kết quả>"
    Và kết luận là "<kết luận>"

    Dữ liệu:
      | vị trí                  | đảng viên tại chỗ | kết quả       | kết luận                    |
      | commune_civil_servant   | 0                 | được miễn trừ | đủ điều kiện, kèm điều kiện |
      | commune_nonprofessional | 4                 | được miễn trừ | đủ điều kiện, kèm điều kiện |
      | commune_civil_servant   | 5                 | không đạt     | không đủ điều kiện          |
      | none                    | 0                 | không đạt     | không đủ điều kiện          |
      | commune_cadre           |                   | chưa rõ       | chưa xác định được          |

  Kịch bản: Bí thư chi bộ cư trú tại thôn thì đạt
    Cho một ứng viên:
      | birth_date          | 1970-05-05 |
      | party_status        | full       |
      | permanent_residence | có         |
      | status              | none       |
    Và các chức danh "party_cell_secretary"
    Khi xét hồ sơ
    Thì tiêu chí "nghe-an.secretary.local-member" là "đạt"

  Kịch bản: Công chức xã được tăng cường phải nhận nghĩa vụ kèm theo
    Cho một ứng viên:
      | birth_date          | 1985-03-02            |
      | party_status        | full                  |
      | permanent_residence | không                 |
      | status              | commune_civil_servant |
    Và các chức danh "party_cell_secretary"
    Khi xét hồ sơ
    Thì có điều kiện kèm theo "nghe-an.exception.special-hamlet-reinforcement"
    Và phụ cấp dòng "party_cell_secretary" là 0

  @source:seed-002-nghi-loc
  Khung kịch bản: Người ngoài Đảng được giới thiệu bầu trưởng thôn
    Cho một ứng viên:
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
      | none         | có         | có                   | không đạt     | không đủ điều kiện          |
      | none         | không      | không                | không đạt     | không đủ điều kiện          |
      | none         |            | không                | chưa rõ       | chưa xác định được          |

  Kịch bản: Nghĩa vụ bồi dưỡng kết nạp đi kèm ngoại lệ
    Cho một ứng viên:
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

  Kịch bản: Không được giới thiệu thì nêu cách để đạt
    Cho một ứng viên:
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
    Thì kết luận là "không đủ điều kiện"
    Và điều cần thay đổi nêu "được cấp ủy thống nhất giới thiệu là có; hiện là không"
