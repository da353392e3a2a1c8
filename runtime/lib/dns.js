// Placeholder until the dns capability lands (issue 3).
