"""Placeholder until the claims data are published."""
