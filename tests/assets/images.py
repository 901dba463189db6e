"""Test pictures made on the spot with Pillow (no third-party files), and a few that only pretend."""

import io
import struct
import zlib

from PIL import Image, ImageDraw


def picture(width=1200, height=800, fmt="JPEG", seed=0, **options):
    """A picture with some structure (gradient and shapes), so encoders do real work."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for n in range(6):
        x, y = (seed * 97 + n * 211) % width, (seed * 53 + n * 137) % height
        draw.ellipse((x - 60, y - 40, x + 60, y + 40), fill=((seed * 40 + n * 50) % 256, 120, (n * 70) % 256))
    if fmt == "PNG" and options.pop("alpha", False):
        image.putalpha(200)
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def animated_gif(width=200, height=120, frames=3):
    images = [Image.new("RGB", (width, height), (n * 80, 40, 200 - n * 60)) for n in range(frames)]
    buffer = io.BytesIO()
    images[0].save(buffer, "GIF", save_all=True, append_images=images[1:], duration=100, loop=0)
    return buffer.getvalue()


def exif_rotated_jpeg(width=800, height=400):
    """A landscape JPEG whose EXIF says "rotate 90°": it shows as portrait."""
    image = Image.open(io.BytesIO(picture(width, height)))
    exif = image.getexif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def png_bomb(width, height):
    """A real PNG of a ``width`` x ``height`` black 1-bit canvas: a few kB that decode to ``width*height`` bytes."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    block = row * 1000
    idat = b"".join(compressor.compress(block) for _ in range(height // 1000)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)
HTML_PAGE = b"<!DOCTYPE html><html><head><title>Not found</title></head><body>Sorry</body></html>"
