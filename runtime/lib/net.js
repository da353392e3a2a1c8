// Placeholder until the net capability lands (issue 3).
