"""Studies published with this engine, one package each. The engine never imports them by name:
a site names its study in mkdocs.yml (the report-builder plugin's `study` setting)."""
