"""Readers: files, directories, JSONL and stdin in; RawDocument (or Failure) values out."""

from newsprism.ingest.readers import iter_inputs, read_bytes, read_path

__all__ = ["iter_inputs", "read_bytes", "read_path"]
