"""drafter: drafts replies to CPPCC proposals and deputies' suggestions from a bureau's own archive."""

__version__ = "0.1.0"
