"""The spaCy side: the English model plus our components."""
