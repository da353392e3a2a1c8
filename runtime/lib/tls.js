// Placeholder until the tls capability lands (issue 3).
