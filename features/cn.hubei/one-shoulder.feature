Feature: Hubei's Lengji pilot (1988): history, not a ban in force
  Lengji town (Gucheng county) piloted one-shoulder in 1988 in 13 villages under 1,000 people; within
  five years all 29 villages of the town had the model (seed 000). The pack encodes the pilot's scope
  as a permission dated 1988 to 1992: inside it, no advisory; outside it, the national rules decide,
  with an advisory. It never refuses a larger village, and from 1993 it is not in force at all. In 1990
  the national law the cn pack encodes (the Organic Law of 1998) was not yet in force, so the national
  rules cannot decide: the answer is undetermined, never a guess.

  Background:
    Given the rule pack "cn.hubei"
    And the as-of date is 1990-06-01
    And a hamlet:
      | kind             | village |
      | election_turnout | 88 %    |
    And a candidate:
      | birth_date                   | 1962-03-03 |
      | party_status                 | full       |
      | vote_share                   | 58 %       |
      | deprived_of_political_rights | no         |

  @source:seed-000-hubei
  Scenario Outline: During the pilot, village size decides whether the case is inside its scope, never the decision
    Given field "hamlet.population" is "<people>"
    And the posts "<posts>"
    When the case is evaluated
    Then criterion "cn.hubei.one-shoulder.small-village" is "<status>"
    And the decision is "undetermined"
    And "params.cn_min_age" is missing

    Examples:
      | people | posts                             | status         |
      | 999    | party_cell_secretary, hamlet_head | pass           |
      | 1000   | party_cell_secretary, hamlet_head | fail           |
      | 1200   | hamlet_head                       | not_applicable |
      |        | party_cell_secretary, hamlet_head | unknown        |

  @source:seed-000-hubei
  Scenario: A village of 1,200 in 1990 is outside the pilot: the national rules apply, with an advisory
    Given field "hamlet.population" is "1200"
    And the posts "party_cell_secretary, hamlet_head"
    When the case is evaluated
    Then the decision is "undetermined"
    And there is an advisory about "cn.hubei.one-shoulder.small-village"

  @source:seed-000-hubei
  Scenario: Today the pilot's scope is not in force: a village of 1,200 is judged by the national rules alone
    Given the as-of date is 2025-01-01
    And field "hamlet.population" is "1200"
    And the posts "party_cell_secretary, hamlet_head"
    When the case is evaluated
    Then criterion "cn.hubei.one-shoulder.small-village" is "not_applicable"
    And the decision is "eligible"
    And there is no advisory
