"""The automation app's writers, one module per use case."""
