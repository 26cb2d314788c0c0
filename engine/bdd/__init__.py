"""The feature machinery: the phrasebook, the feature linter, the step library and its runner."""
