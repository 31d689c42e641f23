"""Extract: discover and fetch raw bytes from government portals. Never parses content."""
