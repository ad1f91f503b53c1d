"""Similar-case search: embeddings, faiss, lexical index, hybrid ranking."""
