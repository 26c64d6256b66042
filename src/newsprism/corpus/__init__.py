"""Corpus mode: ingest into a store, stories, briefs of stored stories, search."""
