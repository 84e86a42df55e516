"""The rules of the domain. Views call these; only services commit."""
