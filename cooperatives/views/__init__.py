"""Views of the institution register (split by topic; each view only orchestrates)."""
