"""Content-Encoding, though the fetcher asks for none: one layer of gzip or deflate is decoded within the
size limit; stacked, unknown and corrupt encodings are refused. (Memory under a real bomb:
``test_archive_process``.)"""

import gzip
import zlib

import pytest

from articles.assets import decoding
from articles.assets.fetching import GONE, OK, REFUSED
from tests.helpers import TEST_MAX_BYTES

from .encoded import MB, gzip_of_zeros, raw_deflate


@pytest.mark.parametrize(
    "path, plain", [("/gzip.jpg", "/photo.jpg"), ("/deflate.png", "/small.png"), ("/raw-deflate.png", "/small.png")]
)
def test_one_layer_of_gzip_or_deflate_is_decoded(server, fetcher, path, plain):
    result = fetcher.fetch(server.url(path))
    assert result.outcome == OK and result.body == fetcher.fetch(server.url(plain)).body
    # The WARC keeps the decoded file, so it drops the headers that described the encoded one.
    assert "content-encoding" not in {name.lower() for name, _value in result.exchanges[0].response_headers}


@pytest.mark.parametrize(
    "path, error",
    [
        ("/gzip-gzip.jpg", "stacked content encodings: gzip, gzip"),
        ("/gzip-gzip-bomb.jpg", "stacked content encodings: gzip, gzip"),
        ("/br.jpg", "unsupported content encoding: br"),
        ("/compress.jpg", "unsupported content encoding: compress"),
        ("/corrupt-gzip.jpg", "corrupt gzip encoding: "),
    ],
)
def test_stacked_unknown_or_corrupt_encodings_are_refused(server, fetcher, path, error):
    result = fetcher.fetch(server.url(path))
    assert (result.outcome, result.error[: len(error)]) == (REFUSED, error)
    assert result.exchanges[0].body == b"" and result.exchanges[0].truncated == "unspecified"


def test_a_gzip_bomb_is_refused_at_the_size_limit(server, fetcher):
    result = fetcher.fetch(server.url("/gzip-bomb.jpg"))
    assert (result.outcome, result.error) == (REFUSED, f"larger than {TEST_MAX_BYTES:,} bytes")
    assert len(result.exchanges[0].body) <= TEST_MAX_BYTES and result.exchanges[0].truncated == "length"


def test_an_error_page_keeps_its_status_whatever_its_encoding(server, fetcher):
    result = fetcher.fetch(server.url("/missing-gzip-gzip.jpg"))
    assert (result.outcome, result.http_status, result.error) == (GONE, 404, "HTTP 404 Not Found")


def test_no_decoding_step_makes_more_than_the_room_it_is_given():
    # 64 MB of zeros in 64 kB: each call gets its room; the bytes made never pass the budget plus one.
    bomb, budget, made = gzip_of_zeros(64 * MB), 1000, 0
    decoder = decoding.decoder_for("gzip")
    for start in range(0, len(bomb), 16 * 1024):
        made += len(decoder.decode(bomb[start : start + 16 * 1024], budget - made + 1))
        if made > budget:
            break
    assert made == budget + 1


@pytest.mark.parametrize(
    "header, error",
    [
        ("gzip, gzip", "stacked content encodings: gzip, gzip"),
        ("deflate,GZIP", "stacked content encodings: deflate, gzip"),
        ("br", "unsupported content encoding: br"),
        ("zstd", "unsupported content encoding: zstd"),
    ],
)
def test_encodings_refused_from_the_header(header, error):
    with pytest.raises(decoding.Undecodable, match=f"^{error}$"):
        decoding.decoder_for(header)


@pytest.mark.parametrize(
    "header, encode",
    [
        ("", bytes),
        ("identity", bytes),
        ("gzip", gzip.compress),
        (" X-Gzip ", gzip.compress),
        ("identity, gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", raw_deflate),
    ],
)
def test_one_encoding_is_decoded(header, encode):
    page = "<p>新闻</p>".encode() * 100
    assert decoding.decoder_for(header).decode(encode(page), len(page) + 1) == page
