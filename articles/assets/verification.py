"""Is it really an image? The type comes from the bytes, and Pillow must decode the whole picture.

JPEG, PNG, GIF, WebP and AVIF (where this Pillow supports it) are accepted. SVG is refused (it can
carry script), and so is HTML or anything else posing as an image, whatever its Content-Type
said. Pictures over ``max_pixels`` are refused before a single pixel is decoded (decompression
bombs: a few kilobytes of PNG can claim a 100,000 x 100,000 canvas), and truncated files fail the
full decode.
"""

import io
import math
from dataclasses import dataclass

from PIL import Image, ImageOps, features

from .storage import KINDS

TRANSPOSED_ORIENTATIONS = {5, 6, 7, 8}  # EXIF orientations that swap width and height


class Refused(Exception):
    """Not an acceptable image; the message says why."""


@dataclass
class Picture:
    kind: str
    width: int  # as shown: EXIF rotation applied
    height: int
    animated: bool
    image: Image.Image  # after ``decode``: every pixel decoded, maybe at a reduced scale


def sniff(data):
    """The kind of image ``data`` holds, from its first bytes; Refused otherwise."""
    head = data[:32]
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in (b"avif", b"avis"):
        if not features.check("avif"):
            raise Refused("not a supported image: AVIF, which this Pillow cannot decode")
        return "avif"
    raise Refused(_describe(data))


def _describe(data):
    text = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not text:
        return "empty file"
    if b"<svg" in text or (text.startswith(b"<?xml") and b"svg" in text):
        return "SVG is not accepted: it can carry script"
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<!--")) or b"<html" in text:
        return "HTML, not an image"
    return f"not a supported image: starts with {data[:8]!r}"


def open_image(data, *, max_pixels):
    """The picture in ``data``, its headers read and checked but its pixels not decoded yet."""
    kind = sniff(data)
    try:
        image = Image.open(io.BytesIO(data), formats=[KINDS[kind][0]])
    except Image.DecompressionBombError as error:
        raise Refused(f"decompression bomb: {error}") from error
    except Exception as error:  # Pillow raises many types for bad headers
        raise Refused(f"not a readable {kind.upper()} file: {error}") from error
    width, height = image.size
    if width * height > max_pixels:
        raise Refused(f"too many pixels: {width} x {height}, over the limit of {max_pixels:,}")
    if orientation(image) in TRANSPOSED_ORIENTATIONS:
        width, height = height, width
    return Picture(kind, width, height, bool(getattr(image, "is_animated", False)), image)


def orientation(image):
    """The EXIF orientation (1 = upright) of a JPEG, WebP or AVIF; others are taken as upright.

    A PNG keeps its EXIF after the pixels, and Pillow decodes the whole picture to reach it.
    """
    if image.format not in ("JPEG", "WEBP", "AVIF"):
        return 1
    return image.getexif().get(ImageOps.ExifTags.Base.Orientation, 1)


def decode(picture, *, draft_width=None):
    """Decode every pixel (a truncated or corrupt file is Refused here).

    ``draft_width``: the largest width the caller will need. A JPEG is then decoded at the smallest
    scale (1/2, 1/4, 1/8) that still covers it, several times faster. Only the inverse DCT is
    scaled: every byte is still read and entropy-decoded, so a reduced decode refuses exactly the
    files a full one does (``tests/assets/test_verification.py`` checks truncated and corrupted ones).
    """
    image = picture.image
    if picture.kind == "jpeg" and draft_width and draft_width < picture.width:
        scale = draft_width / picture.width
        stored_width, stored_height = image.size
        image.draft(image.mode, (math.ceil(stored_width * scale), math.ceil(stored_height * scale)))
    try:
        image.load()
    except Exception as error:
        raise Refused(f"truncated or corrupt {picture.kind.upper()}: {error}") from error
    return picture


def verify(picture):
    """Decode only to check the file: a JPEG at 1/8 scale, in a third of a full decode's CPU (measured
    on photos 1,280-2,048 px wide); other kinds in full."""
    return decode(picture, draft_width=1)
