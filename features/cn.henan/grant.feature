Feature: Henan pays 50,000 yuan a year to each one-shoulder village
  Since 2019 each Henan village with a one-shoulder post receives 50,000 yuan a year more for
  infrastructure (seed 000). The grant is a yearly line of its own.

  Background:
    Given the rule pack "cn.henan"
    And the as-of date is 2025-01-01
    And a hamlet:
      | kind             | village |
      | population       | 2100    |
      | election_turnout | 90 %    |
    And a candidate:
      | birth_date                   | 1973-12-01 |
      | party_status                 | full       |
      | vote_share                   | 66 %       |
      | deprived_of_political_rights | no         |

  @source:seed-000-henan
  Scenario: A one-shoulder village gets the grant
    Given the posts "party_cell_secretary, hamlet_head"
    When the case is evaluated
    Then the decision is "eligible"
    And the allowance line "cn.henan.one-shoulder-grant" is 50,000
    And the yearly total is 50,000

  Scenario Outline: No grant without one-shoulder
    Given the posts "<posts>"
    And field "candidate.vote_share" is "<votes>"
    When the case is evaluated
    Then the decision is "<decision>"
    And the yearly total is 0

    Examples:
      | posts                             | votes | decision   |
      | hamlet_head                       | 66 %  | eligible   |
      | party_cell_secretary, hamlet_head | 40 %  | ineligible |

  @source:seed-000-henan
  Scenario: Before 2019 there is no grant: none, not undetermined
    Given the as-of date is 2018-06-01
    And the posts "party_cell_secretary, hamlet_head"
    When the case is evaluated
    Then the decision is "eligible"
    And the yearly total is 0
