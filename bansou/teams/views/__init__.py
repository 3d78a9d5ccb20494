"""Pages of support teams, one module per part: the team's pages, its people, its exports, the pool."""
