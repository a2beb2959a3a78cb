"""The pure data path: axio events → transcript blocks and ops → numbered wire messages.

Nothing in this package imports IPython, ipykernel, anywidget, ipywidgets or traitlets (a test
enforces it), so the fold and the wire run and are tested without a kernel.
"""
