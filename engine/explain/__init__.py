"""Why: a Decision built from an outcome, rendered as text, Markdown or JSON; a pack laid out for a person."""
