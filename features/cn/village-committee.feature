Feature: Village committee elections and the branch secretary (pack cn)
  Villagers aged 18 or more may stand unless deprived of political rights (Organic Law of the
  Village Committees, Art. 13). An election is valid with more than half of the voters voting,
  and a winner needs more than half of the votes cast (Art. 15); since the 2002 notice the branch
  secretary must win that election before holding both posts. A probationary party member may not
  stand (CPC Constitution, Art. 7).

  Background:
    Given the rule pack "cn"
    And the as-of date is 2025-01-01
    And a hamlet:
      | kind             | village |
      | population       | 800     |
      | election_turnout | 90 %    |
    And a candidate:
      | birth_date                   | 1980-01-01 |
      | party_status                 | full       |
      | vote_share                   | 70 %       |
      | deprived_of_political_rights | no         |
    And the posts "party_cell_secretary, hamlet_head"

  @source:organic-law-art-13
  Scenario Outline: Standing for village committee director
    Given field "<field>" is "<value>"
    When the case is evaluated
    Then criterion "<rule>" is "<status>"
    And the decision is "<decision>"

    Examples:
      | field                                  | value      | rule                     | status  | decision     |
      | candidate.birth_date                   | 2007-01-01 | cn.head.min-age          | pass    | eligible     |
      | candidate.birth_date                   | 2007-01-02 | cn.head.min-age          | fail    | ineligible   |
      | candidate.deprived_of_political_rights | yes        | cn.head.political-rights | fail    | ineligible   |
      | candidate.deprived_of_political_rights |            | cn.head.political-rights | unknown | undetermined |

  @source:organic-law-art-15 @source:notice-2002
  Scenario Outline: The secretary must win a valid election first
    Given field "candidate.vote_share" is "<votes>"
    And field "hamlet.election_turnout" is "<turnout>"
    When the case is evaluated
    Then criterion "cn.head.elected" is "<status>"

    Examples:
      | votes | turnout | status  |
      | 51 %  | 51 %    | pass    |
      | 50 %  | 90 %    | fail    |
      | 70 %  | 50 %    | fail    |
      |       | 90 %    | unknown |

  @source:ccp-constitution-art-7
  Scenario Outline: The branch secretary is a full member
    Given field "candidate.party_status" is "<status>"
    When the case is evaluated
    Then criterion "cn.secretary.full-member" is "<result>"

    Examples:
      | status       | result |
      | full         | pass   |
      | probationary | fail   |

  Scenario: No rate is known for Chinese village posts
    When the case is evaluated
    Then the monthly allowance total is undetermined

  @source:notice-2002 @source:rural-work-regs-2019
  Scenario: A secretary who is not also director is eligible, with the advisory of the direction
    Given the posts "party_cell_secretary"
    When the case is evaluated
    Then the decision is "eligible"
    And criterion "cn.secretary.stands-for-director" is "fail"
    And there is an advisory about "cn.secretary.stands-for-director"

  @source:notice-2002
  Scenario: The direction does not replace the election: a secretary who lost is not director
    Given field "candidate.vote_share" is "40 %"
    When the case is evaluated
    Then the decision is "ineligible"
    And criterion "cn.head.elected" is "fail"

  @source:organic-law-art-11
  Scenario Outline: The term that applies on the date is told beside the decision
    Given the as-of date is <day>
    When the case is evaluated
    Then there is a note "cn.note.term"

    Examples:
      | day        |
      | 2018-06-01 |
      | 2025-01-01 |
