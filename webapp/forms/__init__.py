"""Forms, one module per feature. Every label, hint and message is marked for translation."""
