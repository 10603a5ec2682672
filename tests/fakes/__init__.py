"""Stand-ins for the parts of the world the Discord tests must not touch."""
