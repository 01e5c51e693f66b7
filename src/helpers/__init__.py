"""Helpers for the follow-up study of the national strategy for sustainable regional
development 2021–2030: the notebooks tell the story, this package does the work."""
