"""Reply formats shipped with drafter: each folder holds manifest.toml and reply.j2 (no Python needed)."""
