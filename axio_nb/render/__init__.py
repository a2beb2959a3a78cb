"""Static rendering: a finished transcript → plain MIME (HTML, text) that needs no kernel and no widget."""
