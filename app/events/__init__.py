"""Events: business-dating days, registration of participants, meeting requests."""
