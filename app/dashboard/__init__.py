"""The "my organisation" dashboard: what a client, a call centre or an organiser needs to
see first when signing in."""
