Feature: Hubei keeps one-shoulder to villages under 1,000 people
  Lengji town (Gucheng county) piloted one-shoulder in 1988 in 13 villages under 1,000 people
  (seed 000).

  Background:
    Given the rule pack "cn.hubei"
    And the as-of date is 2025-01-01
    And a hamlet:
      | kind             | village |
      | election_turnout | 88 %    |
    And a candidate:
      | birth_date                   | 1962-03-03 |
      | party_status                 | full       |
      | vote_share                   | 58 %       |
      | deprived_of_political_rights | no         |

  @source:seed-000-hubei
  Scenario Outline: Village size decides one-shoulder
    Given field "hamlet.population" is "<people>"
    And the posts "<posts>"
    When the case is evaluated
    Then criterion "cn.hubei.one-shoulder.small-village" is "<status>"
    And the decision is "<decision>"

    Examples:
      | people | posts                             | status         | decision     |
      | 999    | party_cell_secretary, hamlet_head | pass           | eligible     |
      | 1000   | party_cell_secretary, hamlet_head | fail           | ineligible   |
      | 1200   | hamlet_head                       | not_applicable | eligible     |
      |        | party_cell_secretary, hamlet_head | unknown        | undetermined |

  Scenario: What a village of 1,200 would need
    Given field "hamlet.population" is "1200"
    And the posts "party_cell_secretary, hamlet_head"
    When the case is evaluated
    Then what would have to change mentions "the hamlet's population were below 1,000; it is 1,200"
