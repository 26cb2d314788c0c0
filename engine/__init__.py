"""kiemnhiem: rules-as-code for concurrent holding of grassroots posts.

Where things live:
- ``engine.lang``      the expression language: parse, type-check, 3-valued evaluation, T/F/U formulas
- ``engine.policy.model``     the rule-pack file format (pydantic), as a drafter writes it
- ``engine.policy.loader``    reading pack folders, resolving ``extends`` overlays into a ``Policy``
- ``engine.policy.resolved``    the resolved policy and its snapshot "as of" a date (the IR every back end uses)
- ``engine.contract.case``      the input contract (hamlet, candidate, posts) and its validation
- ``engine.backends.durable``  the case engine: the snapshot compiled to a durable-rules ruleset
- ``engine.backends.reference`` a direct interpreter of the same snapshot, the oracle for parity tests
- ``engine.policy.outcome``   folding criterion results into a decision and money (shared by back ends)
- ``engine.explain.reasons``   sentences, facts compared, counterfactuals, in vi and en
- ``engine.explain.render``    text, Markdown and JSON renderings of a decision
"""

__version__ = "0.1.0"
