"""What-if: a proposal against the rules in force, its HTML report, and the changed cases as scenarios."""
