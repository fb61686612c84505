"""Building blocks with no domain knowledge: documents, paths, errors, dates, the terminal
neutraliser, the format registry, standard output."""
