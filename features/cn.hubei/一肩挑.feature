# language: zh-CN
功能: 湖北冷集镇 1988 年试点是历史，而非现行规定（中文版）
  与 one-shoulder.feature 的场景相同，用中文编写。1988 年，谷城县冷集镇在 13 个人口不足 1,000 人的
  村试行“一肩挑”，五年内全镇 29 个村都已实行（种子资料 000）。规则包在“一肩挑”的结论旁把它作为
  历史信息给出：它从不作为审查标准，人口较多的村只按全国规定（cn）审查。

  背景:
    假如使用规则包 "cn.hubei"
    并且审查日期为 2025-01-01
    并且有一个村：
      | kind             | village |
      | election_turnout | 88 %    |
    并且有一名候选人：
      | birth_date                   | 1962-03-03 |
      | party_status                 | full       |
      | vote_share                   | 58 %       |
      | deprived_of_political_rights | 否         |

  @source:seed-000-hubei
  场景大纲: 村的人口从不决定能否“一肩挑”
    假如字段 "hamlet.population" 为 "<人口>"
    并且担任职务 "party_cell_secretary, hamlet_head"
    当审查此案
    那么结论为 "符合条件"
    并且有参考信息 "cn.hubei.note.lengji-pilot"
    并且没有任何提示

    例子:
      | 人口 |
      | 999  |
      | 1000 |
      | 1200 |
      |      |

  @source:organic-law-art-15
  场景: 仍按全国规定审查：未当选的书记不能兼任主任
    假如字段 "hamlet.population" 为 "1200"
    并且字段 "candidate.vote_share" 为 "40 %"
    并且担任职务 "party_cell_secretary, hamlet_head"
    当审查此案
    那么结论为 "不符合条件"
    并且资格条件 "cn.head.elected" 的结果为 "未通过"
