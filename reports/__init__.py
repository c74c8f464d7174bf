"""The pure reports room: plain data in, PDF bytes out (Jinja2 + WeasyPrint); no database."""
