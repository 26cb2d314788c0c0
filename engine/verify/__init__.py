"""Static checks of rule packs: satisfiability, witnesses, and the lint findings built on them."""
