"""Bodies with a Content-Encoding, bombs included, made on the spot."""

import gzip
import struct
import zlib

MB = 1024 * 1024


def raw_deflate(data):
    """``data`` as raw deflate, without the zlib wrapper HTTP's "deflate" asks for (servers send both)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def gzip_of_zeros(size):
    """A gzip stream that decodes to ``size`` zero bytes (a multiple of 1 MB), built in a fraction of a second.

    After a full flush a deflate stream starts afresh, so every megabyte of zeros compresses to the
    same bytes: one is compressed, then repeated, between a gzip header and trailer.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    zeros = b"\0" * MB
    megabyte = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(size // MB):
        crc = zlib.crc32(zeros, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return header + megabyte * (size // MB) + compressor.flush() + struct.pack("<II", crc, size & 0xFFFFFFFF)


def gzip_twice(data):
    return gzip.compress(gzip.compress(data))
