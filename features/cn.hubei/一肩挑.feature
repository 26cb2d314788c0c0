# language: zh-CN
功能: 湖北冷集镇 1988 年试点：历史，而非现行禁令（中文版）
  与 one-shoulder.feature 的场景相同，用中文编写。1988 年，谷城县冷集镇在 13 个人口不足 1,000 人的
  村试行“一肩挑”，五年内全镇 29 个村都已实行（种子资料 000）。规则包把试点范围编码为 1988 至 1992 年的
  允许性规定：范围之外适用全国规定并给出提示，从不因此拒绝较大的村；1993 年起不再生效。1990 年时本规则包
  所依据的全国法律（1998 年《村民委员会组织法》）尚未施行，全国规定无法判断：结论为无法确定，绝不猜测。

  背景:
    假如使用规则包 "cn.hubei"
    并且审查日期为 1990-06-01
    并且有一个村：
      | kind             | village |
      | election_turnout | 88 %    |
    并且有一名候选人：
      | birth_date                   | 1962-03-03 |
      | party_status                 | full       |
      | vote_share                   | 58 %       |
      | deprived_of_political_rights | 否         |

  @source:seed-000-hubei
  场景大纲: 试点期间，村的人口只决定是否在试点范围内，不决定结论
    假如字段 "hamlet.population" 为 "<人口>"
    并且担任职务 "<职务>"
    当审查此案
    那么资格条件 "cn.hubei.one-shoulder.small-village" 的结果为 "<结果>"
    并且结论为 "无法确定"

    例子:
      | 人口 | 职务                              | 结果   |
      | 999  | party_cell_secretary, hamlet_head | 通过   |
      | 1000 | party_cell_secretary, hamlet_head | 未通过 |
      | 1200 | hamlet_head                       | 不适用 |
      |      | party_cell_secretary, hamlet_head | 不明确 |

  @source:seed-000-hubei
  场景: 1990 年人口 1,200 的村不在试点范围内：适用全国规定，并有提示
    假如字段 "hamlet.population" 为 "1200"
    并且担任职务 "party_cell_secretary, hamlet_head"
    当审查此案
    那么结论为 "无法确定"
    并且有关于 "cn.hubei.one-shoulder.small-village" 的提示

  @source:seed-000-hubei
  场景: 如今试点范围不再生效：人口 1,200 的村只按全国规定审查
    假如审查日期为 2025-01-01
    并且字段 "hamlet.population" 为 "1200"
    并且担任职务 "party_cell_secretary, hamlet_head"
    当审查此案
    那么资格条件 "cn.hubei.one-shoulder.small-village" 的结果为 "不适用"
    并且结论为 "符合条件"
    并且没有任何提示
