"""Checks of the code base itself: import layers and cycles, module and function sizes."""
