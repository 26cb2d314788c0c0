Feature: Hainan allows one-shoulder on small islands
  One-shoulder is allowed on small islands of under 500 people; in large towns such as Qionghai
  the posts are kept separate (seed 000).

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
  Scenario Outline: Island villages by population
    Given a hamlet:
      | kind             | village   |
      | population       | <people>  |
      | area             | <area>    |
      | election_turnout | 93 %      |
    When the case is evaluated
    Then criterion "cn.hainan.one-shoulder.small-island" is "<status>"
    And the decision is "<decision>"

    Examples:
      | people | area   | status  | decision     |
      | 450    | island | pass    | eligible     |
      | 499    | island | pass    | eligible     |
      | 500    | island | fail    | ineligible   |
      | 3200   | none   | fail    | ineligible   |
      | 450    |        | unknown | undetermined |
