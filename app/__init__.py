"""The composition root: settings, database, CLI, API and scheduler."""
