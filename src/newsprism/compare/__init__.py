"""Cross-source comparison: alignment, corroboration, conflicts, unique facts, quotes, entities."""
