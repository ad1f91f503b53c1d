"""The privacy scan: proof that nothing identifying is stored."""
