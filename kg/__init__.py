"""militia-kg: news and forum text about armed groups in, a knowledge graph out."""
