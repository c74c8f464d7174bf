"""Issued documents: rating notices, revised notices and cycle bulletins; numbering, storage, verification."""
