"""Render: a Reply through a Jinja template into layout blocks, then into a .docx."""
