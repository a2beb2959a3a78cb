"""Media checks and conversions (Pillow), shared by the fold, the snapshot and the media magics."""

from __future__ import annotations

from .images import BROWSER_IMAGES, MAX_PIXELS, MediaError, inspect_image, prepare_media

__all__ = ["BROWSER_IMAGES", "MAX_PIXELS", "MediaError", "prepare_media", "inspect_image"]
