"""Configuration: where drafter keeps its files and the office-specific data it reads (paths, lexicon)."""
