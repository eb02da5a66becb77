"""Plain helpers with no models and no knowledge of the dossier: Indonesian dates, CSV, NIP."""
