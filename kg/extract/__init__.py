"""Doc -> mentions and relations, one module per relation."""
