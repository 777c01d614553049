"""Test support: a real HTTP server over fixture trees, and fixture builders in upstream formats."""
