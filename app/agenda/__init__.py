"""The event's agenda: meetings placed in slots and at tables, built by the optimiser."""
