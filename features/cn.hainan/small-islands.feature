Feature: Hainan allows one-shoulder on small islands
  A permission (可以): one-shoulder may be held in island villages of under 500 people. A village
  outside it is not refused by the permission: the national rules (cn) decide, and the board is
  told the case is outside it. Large towns such as Qionghai separate the posts in practice, yet the
  same seed reports Qionghai at 98.5 % one-shoulder (seed 000): a conflict shown, not resolved.

  Background:
    Given the rule pack "cn.hainan"
    And the as-of date is 2025-01-01
    And a candidate:
      | birth_date                   | 1975-05-12 |
      | party_status                 | full       |
      | vote_share                   | 71 %       |
      | deprived_of_political_rights | no         |
    And the posts "party_cell_secretary, hamlet_head"

  @source:seed-000-hainan
  Scenario Outline: Island villages by population: the permission never refuses
    Given a hamlet:
      | kind             | village   |
      | population       | <people>  |
      | area             | <area>    |
      | election_turnout | 93 %      |
    When the case is evaluated
    Then criterion "cn.hainan.one-shoulder.small-island" is "<status>"
    And the decision is "eligible"

    Examples:
      | people | area   | status  |
      | 450    | island | pass    |
      | 499    | island | pass    |
      | 500    | island | fail    |
      | 3200   | none   | fail    |
      | 450    |        | unknown |

  @source:seed-000-hainan
  Scenario: A village outside the permission falls back to the national rules, with an advisory
    Given a hamlet:
      | kind             | village |
      | population       | 3200    |
      | area             | none    |
      | election_turnout | 95 %    |
    When the case is evaluated
    Then the decision is "eligible"
    And there is an advisory about "cn.hainan.one-shoulder.small-island"

  @source:seed-000-hainan
  Scenario: Inside the permission there is no advisory
    Given a hamlet:
      | kind             | village |
      | population       | 450     |
      | area             | island  |
      | election_turnout | 93 %    |
    When the case is evaluated
    Then the decision is "eligible"
    And there is no advisory

  @source:seed-000-hainan
  Scenario: Outside the permission, the national rules still refuse a loser of the election
    Given a hamlet:
      | kind             | village |
      | population       | 3200    |
      | area             | none    |
      | election_turnout | 95 %    |
    And field "candidate.vote_share" is "40 %"
    When the case is evaluated
    Then the decision is "ineligible"
    And criterion "cn.head.elected" is "fail"

  @source:seed-000-hainan
  Scenario: Outside the permission, the Qionghai practice and its conflicting figure are shown as information
    Given a hamlet:
      | kind             | village |
      | population       | 3200    |
      | area             | none    |
      | election_turnout | 95 %    |
    When the case is evaluated
    Then there is a note "cn.hainan.note.qionghai"
