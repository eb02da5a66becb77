"""The audit log's own machinery: the hash chain that seals each event and what a write came
through (an API token) for its event."""
