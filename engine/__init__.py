"""kiemnhiem: rules-as-code for concurrent holding of grassroots posts.

Where things live, in the order of the layers (each imports only its own layer and those above it
in this list; ``tests/test_layers.py`` checks it):

- ``engine.contract``  what goes in and comes out: the case and its fields, the cell grammar,
                       reading a dossier, the Decision, safe YAML
- ``engine.lang``      the rule expression language: parse, type-check, 3-valued evaluation, T/F/U formulas
- ``engine.policy``    the pack file format, loading and overlays, the resolved policy and its
                       snapshot on a date, the fold from verdicts to a decision and money
- ``engine.backends``  reference (the oracle), durable (durable-rules, the case engine), columnar
                       (polars, whole tables): siblings that never import one another
- ``engine.explain``   why: sentences, facts compared, counterfactuals; text, Markdown, JSON; a pack shown
- ``engine.verify``    static checks: satisfiability, witnesses, the lint findings
- ``engine.io``        tables in (header detection, row checks), every output file written atomically
- ``engine.one_case``, ``engine.batch``, ``engine.whatif``, ``engine.bdd``  the use cases: one
                       dossier, a province's table, a proposal against the rules in force, the features
- ``engine.api``       the public entry points the command line (and the web service) call
"""

__version__ = "0.1.0"
