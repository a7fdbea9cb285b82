"""The analysts' dataset: all runs compacted into ``dataset.jsonl`` and ``dataset.parquet``."""
