"""kiemnhiem: rules-as-code for concurrent holding of grassroots posts.

Where things live:
- ``engine.expr``      the expression language: parse, type-check, 3-valued evaluation, T/F/U formulas
- ``engine.model``     the rule-pack file format (pydantic), as a drafter writes it
- ``engine.loader``    reading pack folders, resolving ``extends`` overlays into a ``Policy``
- ``engine.policy``    the resolved policy and its snapshot "as of" a date (the IR every back end uses)
- ``engine.case``      the input contract (hamlet, candidate, posts) and its validation
- ``engine.durable_backend``  the case engine: the snapshot compiled to a durable-rules ruleset
- ``engine.reference`` a direct interpreter of the same snapshot, the oracle for parity tests
- ``engine.outcome``   folding criterion results into a decision and money (shared by back ends)
- ``engine.explain``   sentences, facts compared, counterfactuals, in vi and en
- ``engine.render``    text, Markdown and JSON renderings of a decision
"""

__version__ = "0.1.0"
