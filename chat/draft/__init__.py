"""The draft casebook entry a discussion leaves: read from the stream, written at closing, published onto
the case."""
