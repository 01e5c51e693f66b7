"""A proposed structured format for the actors' yearly reports (rapportformat/1): schema, validator, intake and follow-up."""
