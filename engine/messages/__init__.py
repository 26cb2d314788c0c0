"""The message catalogues: every user-facing text, one folder per language.

``<lang>/<domain>.yaml`` maps a stable code (``pack.duplicate-id``, ``decision.eligible``) to the
text in that language, with ``{name}`` placeholders filled by the caller's values. Adding a
language is adding a folder: the code names no language but in ``engine.i18n.LANGS``.
``tests/test_catalogues.py`` fails on a key missing in any language, on placeholders that differ
between languages, on a code the engine uses that no catalogue has, and on a user-facing literal
outside the catalogues.
"""
