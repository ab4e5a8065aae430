"""NiceGUI pages and components; Python only."""
