"""The explorer page's parts: `payload` (what the page shows), `layout` (where), and the page's
own template, script and style sheet. `kg.export.html` puts them together."""
