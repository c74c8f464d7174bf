"""The web app: FastAPI application factory, HTML pages and (later) the JSON API."""
