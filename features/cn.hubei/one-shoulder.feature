Feature: Hubei's Lengji pilot (1988) is history, not a rule in force
  Lengji town (Gucheng county) piloted one-shoulder in 1988 in 13 villages under 1,000 people; within
  five years all 29 villages of the town had the model (seed 000). The pack tells this as history
  beside a one-shoulder decision: it is never a criterion, and a larger village is judged by the
  national rules (cn) alone.

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
  Scenario Outline: The village's size never decides one-shoulder
    Given field "hamlet.population" is "<people>"
    And the posts "party_cell_secretary, hamlet_head"
    When the case is evaluated
    Then the decision is "eligible"
    And there is a note "cn.hubei.note.lengji-pilot"
    And there is no advisory

    Examples:
      | people |
      | 999    |
      | 1000   |
      | 1200   |
      |        |

  @source:organic-law-art-15
  Scenario: The national rules still decide: a secretary who lost the election is not director
    Given field "hamlet.population" is "1200"
    And field "candidate.vote_share" is "40 %"
    And the posts "party_cell_secretary, hamlet_head"
    When the case is evaluated
    Then the decision is "ineligible"
    And criterion "cn.head.elected" is "fail"
