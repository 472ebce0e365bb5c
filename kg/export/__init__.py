"""Writers that turn a resolved graph into files: RDF for machines, an HTML explorer for people."""
