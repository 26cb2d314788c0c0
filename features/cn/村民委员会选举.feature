# language: zh-CN
功能: 村民委员会选举与村党支部书记（规则包 cn，中文版）
  与 village-committee.feature 的场景相同，用中文编写，供使用中国规则包的起草人员参考。
  年满十八周岁、未被剥夺政治权利的村民可以参加村民委员会选举（《中华人民共和国村民委员会组织法》
  第十三条）。选举须有本村过半数的选民投票方为有效，候选人须获得参加投票的村民过半数的选票方可
  当选（第十五条）；依照 2002 年的通知，村党支部书记须先在村民选举中当选，方可“一肩挑”。
  预备党员没有表决权、选举权和被选举权（《中国共产党章程》第七条）。

  背景:
    假如使用规则包 "cn"
    并且审查日期为 2025-01-01
    并且有一个村：
      | kind             | village |
      | population       | 800     |
      | election_turnout | 90 %    |
    并且有一名候选人：
      | birth_date                   | 1980-01-01 |
      | party_status                 | full       |
      | vote_share                   | 70 %       |
      | deprived_of_political_rights | 否         |
    并且担任职务 "party_cell_secretary, hamlet_head"

  @source:organic-law-art-13
  场景大纲: 参选村民委员会主任
    假如字段 "<字段>" 为 "<取值>"
    当审查此案
    那么资格条件 "<资格条件>" 的结果为 "<结果>"
    并且结论为 "<结论>"

    例子:
      | 字段                                   | 取值       | 资格条件                 | 结果   | 结论       |
      | candidate.birth_date                   | 2007-01-01 | cn.head.min-age          | 通过   | 符合条件   |
      | candidate.birth_date                   | 2007-01-02 | cn.head.min-age          | 未通过 | 不符合条件 |
      | candidate.deprived_of_political_rights | 是         | cn.head.political-rights | 未通过 | 不符合条件 |
      | candidate.deprived_of_political_rights |            | cn.head.political-rights | 不明确 | 无法确定   |

  @source:organic-law-art-15 @source:notice-2002
  场景大纲: 村党支部书记须先在有效的选举中当选
    假如字段 "candidate.vote_share" 为 "<得票率>"
    并且字段 "hamlet.election_turnout" 为 "<投票率>"
    当审查此案
    那么资格条件 "cn.head.elected" 的结果为 "<结果>"

    例子:
      | 得票率 | 投票率 | 结果   |
      | 51 %   | 51 %   | 通过   |
      | 50 %   | 90 %   | 未通过 |
      | 70 %   | 50 %   | 未通过 |
      |        | 90 %   | 不明确 |

  @source:ccp-constitution-art-7
  场景大纲: 村党支部书记须为正式党员
    假如字段 "candidate.party_status" 为 "<党员身份>"
    当审查此案
    那么资格条件 "cn.secretary.full-member" 的结果为 "<结果>"

    例子:
      | 党员身份     | 结果   |
      | full         | 通过   |
      | probationary | 未通过 |

  场景: 中国的村干部职务没有已知的补贴比例
    当审查此案
    那么每月补贴合计为 待定

  @source:notice-2002 @source:rural-work-regs-2019
  场景: 书记不兼任主任：仍符合条件，但与“书记应当通过法定程序担任主任”的倡导方向不符，给出提示
    假如担任职务 "party_cell_secretary"
    当审查此案
    那么结论为 "符合条件"
    并且资格条件 "cn.secretary.stands-for-director" 的结果为 "未通过"
    并且有关于 "cn.secretary.stands-for-director" 的提示

  @source:notice-2002
  场景: 书记经选举兼任主任：符合倡导方向，没有提示
    当审查此案
    那么结论为 "符合条件"
    并且资格条件 "cn.secretary.stands-for-director" 的结果为 "通过"
    并且没有任何提示

  @source:notice-2002
  场景: 倡导方向不能代替选举：未当选的书记兼任主任仍不符合条件
    假如字段 "candidate.vote_share" 为 "40 %"
    当审查此案
    那么结论为 "不符合条件"
    并且资格条件 "cn.head.elected" 的结果为 "未通过"

  @source:seed-000
  场景: 退役军人当选书记兼主任：显示浙江、山东选拔人选的做法（仅供参考）
    假如字段 "candidate.background" 为 "retired_soldier"
    当审查此案
    那么结论为 "符合条件"
    并且有参考信息 "cn.note.candidate-sources"
