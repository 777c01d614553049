"""Placeholder until the blackouts data are published."""
