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

from .verification import decode, open_image, orientation

WIDTHS = (360, 720, 1440)
MIN_SHRINK = 1.25
# WebP method 0 (the fastest) at quality 75 (cwebp's default). Measured on a 1,200 x 800 photo
# resized to 720 wide: method 0 took 8 ms for 19.4 kB, method 2 13 ms for 16.7 kB, method 4 (the
# default) 22 ms for 15.6 kB, all at quality 80; quality 75 is 6% faster than 80 and 13% smaller.
# A JPEG of the same size at quality 80 is 25.5 kB. Encoding is still 45% of what archiving an
# image costs (bench/assets_bench.py), so method 0 it is.
WEBP_OPTIONS = {"quality": 75, "method": 0}
# Pillow's box filter averages every source pixel a target pixel covers (area resampling, what
# thumbnailers use to shrink). Measured on the benchmark's photos shrunk to 720 wide, against
# Lanczos: box 48.7 dB PSNR in 8.3 ms, bilinear 51.0 dB in 11.4 ms, bicubic 57.1 dB in 18.1 ms
# (a loaded machine): all beyond what an eye tells apart, and the resize is a quarter of the work.
RESAMPLE = Image.Resampling.BOX
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


def copy_of(data, width, *, max_pixels):
    """The WebP copy ``width`` wide of the picture in ``data``: one decode, a JPEG at the smallest
    scale that covers ``width`` (``copies.py`` makes copies on request with it)."""
    picture = open_image(data, max_pixels=max_pixels)
    try:
        decode(picture, draft_width=width)
        return render(picture, [width])[width]
    finally:
        picture.image.close()


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
