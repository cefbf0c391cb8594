"""Client needs: what a client company wants to outsource, and who it has shortlisted or
heard from (the relations that reveal an anonymous client's identity to a provider)."""
