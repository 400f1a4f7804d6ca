"""The ``nanocloak`` command line (typer + rich): thin, no science here."""
