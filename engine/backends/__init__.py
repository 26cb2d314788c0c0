"""The back ends (reference, durable, columnar): siblings that never import one another, and the facts they read."""
