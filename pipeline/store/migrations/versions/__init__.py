"""One module per schema revision: 0001 the first schema, each later one a step forward."""
