"""Responsive WebP copies of an archived picture, for cards and article pages.

Widths are 360, 720 and 1440 pixels: a card's thumbnail (up to 12rem) and a phone's column take the
360 or 720 one at 2x, the article column (40rem) the 720 one at 1x and the 1440 one at 2x. Each is
made only when the original is at least 25% wider; the original stays the widest candidate in
``srcset``. Animated pictures keep only their original.

Each width is half the next, so after one resize of the decoded picture the smaller copies come
from ``Image.reduce(2)`` (0.3 ms for 720 -> 360 here) instead of another resample.
"""

import io

from PIL import Image, ImageOps

from .verification import orientation

WIDTHS = (360, 720, 1440)
MIN_SHRINK = 1.25
# WebP method 0 (the fastest) at quality 80. Measured on a 1,200 x 800 photo resized to 720 wide:
# 8 ms and 19.4 kB at method 0, 13 ms and 16.7 kB at method 2, 22 ms and 15.6 kB at method 4 (the
# default); a JPEG of the same size at quality 80 is 25.5 kB. Method 0 is what keeps the archiver
# above 100 images/s on two cores (bench/assets_bench.py).
WEBP_OPTIONS = {"quality": 80, "method": 0}
# Pillow's bilinear filter is antialiased when it shrinks (a triangle over every pixel that
# contributes). After a box reduction to within 2x (as Image.thumbnail does), it took 5.9 ms for
# 1,200 -> 720 here against 9.9 ms for bicubic, with no difference to see at these sizes.
RESAMPLE = Image.Resampling.BILINEAR
REDUCING_GAP = 2.0


def planned_widths(width, *, animated=False):
    """The derivative widths worth making for a picture ``width`` pixels wide."""
    if animated:
        return ()
    return tuple(w for w in WIDTHS if width >= w * MIN_SHRINK)


def render(picture, widths):
    """``{width: WebP bytes}`` for each of ``widths``, from a ``verification.Picture``."""
    if not widths:
        return {}
    image = _upright(picture.image)
    out = {}
    for width in sorted(widths, reverse=True):
        height = max(1, round(picture.height * width / picture.width))
        if image.size != (width, height):
            if image.width == 2 * width and abs(image.height - 2 * height) <= 1:
                image = image.reduce(2)
            if image.size != (width, height):
                image = image.resize((width, height), RESAMPLE, reducing_gap=REDUCING_GAP)
        out[width] = encode(image, picture.image.info.get("icc_profile"))
    return out


def encode(image, icc_profile=None):
    buffer = io.BytesIO()
    options = {**WEBP_OPTIONS, **({"icc_profile": icc_profile} if icc_profile else {})}
    image.save(buffer, "WEBP", **options)
    return buffer.getvalue()


def _upright(image):
    """The picture turned as its EXIF says, in a mode that resizes smoothly (not a palette)."""
    if orientation(image) != 1:
        image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    return image
