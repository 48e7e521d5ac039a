"""A strategy's outcome indicators over time: values, charts and imports."""
