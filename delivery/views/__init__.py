"""The delivery app's views, one module per page family."""
