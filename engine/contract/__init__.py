"""What goes in and comes out: the case, its fields, the cell grammar, the decision, safe YAML."""
