"""Call-centre (provider) profiles: sites, languages, capabilities, prices, compliance,
references; the directory that searches them; the loader the scoring engine reads."""
