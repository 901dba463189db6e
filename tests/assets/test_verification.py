"""Verification: the type from the bytes; SVG, HTML, bombs and truncated files refused."""

import io

import pytest
from PIL import Image

from articles.assets import derivatives
from articles.assets.verification import Refused, decode, open_image, sniff, verify

from . import images

LIMIT = 4_000_000


def checked(data, draft_width=None):
    return decode(open_image(data, max_pixels=LIMIT), draft_width=draft_width)


@pytest.mark.parametrize(
    "data, kind",
    [
        (images.picture(120, 80), "jpeg"),
        (images.picture(120, 80, "PNG"), "png"),
        (images.picture(120, 80, "GIF"), "gif"),
        (images.picture(120, 80, "WEBP"), "webp"),
        (images.picture(120, 80, "AVIF"), "avif"),
    ],
)
def test_every_accepted_type_is_told_by_its_bytes(data, kind):
    picture = checked(data)
    assert (picture.kind, picture.width, picture.height) == (kind, 120, 80)


@pytest.mark.parametrize(
    "data, reason",
    [
        (images.SVG_WITH_SCRIPT, "SVG is not accepted: it can carry script"),
        (b"  <svg onload='alert(1)'></svg>", "SVG is not accepted: it can carry script"),
        (images.HTML_PAGE, "HTML, not an image"),
        (b"\xef\xbb\xbf<html><body>x</body></html>", "HTML, not an image"),
        (b"", "empty file"),
        (b"%PDF-1.7 ...", "not a supported image: starts with b'%PDF-1.7'"),
        (b"BM" + b"\0" * 60, "not a supported image"),  # BMP: Pillow reads it, the archive does not take it
    ],
)
def test_what_is_not_an_image_is_refused_with_the_reason(data, reason):
    with pytest.raises(Refused) as refused:
        sniff(data)
    assert str(refused.value).startswith(reason)


def test_a_truncated_file_is_refused():
    photo = images.picture(1200, 800)
    with pytest.raises(Refused, match="truncated or corrupt JPEG"):
        checked(photo[: len(photo) // 2])
    png = images.picture(600, 400, "PNG")
    with pytest.raises(Refused, match="truncated or corrupt PNG"):
        checked(png[: len(png) - 400])


def test_a_truncated_jpeg_is_caught_even_when_decoded_at_a_reduced_scale():
    photo = images.picture(1600, 1000)
    with pytest.raises(Refused, match="truncated"):
        checked(photo[: len(photo) * 3 // 4], draft_width=360)


def damaged_jpegs():
    """A photo cut short or overwritten at many points, in its headers and in its scan: (what, bytes)."""
    photo = images.picture(1600, 1000)
    for at in range(40, len(photo), len(photo) // 23):
        yield f"cut at {at}", photo[:at]
        yield f"zeros at {at}", photo[:at] + b"\0" * 64 + photo[at + 64 :]
        yield f"0xff at {at}", photo[:at] + b"\xff\xd9" + photo[at + 2 :]  # an end marker in the middle


def outcome(check, data):
    try:
        check(data)
    except Refused as error:
        return "refused: " + str(error).split(":")[0]
    return "accepted"


def test_verifying_at_an_eighth_of_the_scale_accepts_and_refuses_what_a_full_decode_does():
    # archive_assets verifies a JPEG at 1/8 scale when its copies are made on request: only the
    # inverse DCT is scaled, so every damaged file that fails a full decode fails this one too.
    results = {what: (outcome(checked, data), outcome(lambda d: verify(open_image(d, max_pixels=LIMIT)), data))
               for what, data in damaged_jpegs()}  # fmt: skip
    assert {full for full, _reduced in results.values()} >= {"accepted", "refused: truncated or corrupt JPEG"}
    assert {what: full for what, (full, _reduced) in results.items()} == {
        what: reduced for what, (_full, reduced) in results.items()
    }


def test_decompression_bombs_are_refused_before_decoding():
    with pytest.raises(Refused, match="too many pixels: 3000 x 3000, over the limit of 4,000,000"):
        open_image(images.png_bomb(3000, 3000), max_pixels=LIMIT)
    # Far over Pillow's own limit too: its error is reported as such.
    with pytest.raises(Refused, match="decompression bomb"):
        open_image(images.png_bomb(20000, 20000), max_pixels=10**9)


def test_exif_rotation_gives_the_shown_size_and_upright_derivatives():
    picture = checked(images.exif_rotated_jpeg(800, 400))
    assert (picture.width, picture.height) == (400, 800)
    webp = derivatives.render(picture, [360])[360]
    assert Image.open(io.BytesIO(webp)).size == (360, 720)


def test_derivatives_are_webp_at_the_planned_widths():
    picture = checked(images.picture(2000, 1000), draft_width=1440)
    widths = derivatives.planned_widths(picture.width)
    assert widths == (360, 720, 1440)
    rendered = derivatives.render(picture, widths)
    sizes = {width: Image.open(io.BytesIO(data)).size for width, data in rendered.items()}
    assert sizes == {360: (360, 180), 720: (720, 360), 1440: (1440, 720)}
    assert all(data[8:12] == b"WEBP" for data in rendered.values())


@pytest.mark.parametrize(
    "width, widths",
    [(300, ()), (449, ()), (450, (360,)), (1200, (360, 720)), (1800, (360, 720, 1440)), (9000, (360, 720, 1440))],
)
def test_only_derivatives_worth_making_are_planned(width, widths):
    assert derivatives.planned_widths(width) == widths


def test_animations_and_transparency():
    gif = checked(images.animated_gif())
    assert gif.animated and derivatives.planned_widths(1000, animated=True) == ()
    png = checked(images.picture(900, 600, "PNG", alpha=True))
    webp = derivatives.render(png, [360])[360]
    assert Image.open(io.BytesIO(webp)).mode == "RGBA"
    palette = checked(images.picture(900, 600, "GIF"))
    assert Image.open(io.BytesIO(derivatives.render(palette, [720])[720])).size == (720, 480)
