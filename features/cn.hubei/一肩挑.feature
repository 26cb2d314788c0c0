# language: zh-CN
功能: 湖北省将“一肩挑”限于人口不足 1,000 人的村（中文版）
  与 one-shoulder.feature 的场景相同，用中文编写。1988 年，谷城县冷集镇在 13 个人口不足 1,000 人的
  村试行“一肩挑”（种子资料 000）。

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
  场景大纲: 村的人口决定能否“一肩挑”
    假如字段 "hamlet.population" 为 "<人口>"
    并且担任职务 "<职务>"
    当审查此案
    那么资格条件 "cn.hubei.one-shoulder.small-village" 的结果为 "<结果>"
    并且结论为 "<结论>"

    例子:
      | 人口 | 职务                              | 结果   | 结论       |
      | 999  | party_cell_secretary, hamlet_head | 通过   | 符合条件   |
      | 1000 | party_cell_secretary, hamlet_head | 未通过 | 不符合条件 |
      | 1200 | hamlet_head                       | 不适用 | 符合条件   |
      |      | party_cell_secretary, hamlet_head | 不明确 | 无法确定   |

  场景: 人口 1,200 的村需要改变什么
    假如字段 "hamlet.population" 为 "1200"
    并且担任职务 "party_cell_secretary, hamlet_head"
    当审查此案
    那么需要改变的条件提及 "1,000"
