"""Mentions -> entities: alias resolution across spellings and documents."""
