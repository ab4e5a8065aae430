"""Everything with state or I/O: settings, analysis, diagnosis, storage. No NiceGUI here."""
