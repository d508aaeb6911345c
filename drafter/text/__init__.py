"""Text rules shared by every stage: segmentation, Chinese punctuation, numbering, years, near-duplicates."""
