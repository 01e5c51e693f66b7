"""Stage 05, the conclusions: tools behind the study's recommendations."""
