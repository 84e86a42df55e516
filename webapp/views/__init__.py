"""Views: one blueprint per feature, thin; they call services and render templates."""
