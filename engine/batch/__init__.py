"""Batch: every row of a province's table answered or reported, the summary, synthetic provinces."""
