# language: zh-CN
功能: 村干部配备整体审查（规则包 cn）
  村民委员会由主任、副主任和委员共三至七人组成：主任一人，副主任可以不止一人（《中华人民共和国
  村民委员会组织法》）。同一村提名两人任主任时，两人都被告知，不会有人被悄悄略去；每人的资格
  仍单独审查。

  背景:
    假如使用规则包 "cn"
    并且审查日期为 2025-01-01
    并且有一个村：
      | kind             | village |
      | population       | 800     |
      | election_turnout | 90 %    |

  @source:organic-law-village-committees
  场景: 两人被提名为村民委员会主任：两人都被告知
    假如任职人员 "wang" 担任职务 "party_cell_secretary, hamlet_head"：
      | birth_date   | 1975-01-01 |
      | party_status | full       |
      | vote_share   | 70 %       |
    并且任职人员 "li" 担任职务 "hamlet_head"：
      | birth_date | 1980-01-01 |
    当审查此案
    那么干部配备为 "存在问题"
    并且 "wang" 被告知问题 "cn.roster.one-director"
    并且 "li" 被告知问题 "cn.roster.one-director"

  @source:organic-law-village-committees
  场景: 主任一人、副主任两人：符合规定
    假如任职人员 "wang" 担任职务 "party_cell_secretary, hamlet_head"：
      | birth_date | 1975-01-01 |
    并且任职人员 "zhao" 担任职务 "deputy_hamlet_head"：
      | birth_date | 1985-01-01 |
    并且任职人员 "sun" 担任职务 "deputy_hamlet_head"：
      | birth_date | 1988-01-01 |
    当审查此案
    那么干部配备为 "符合规定"
