"""Content-Encoding, decoded within the size limit: no compressed answer can grow past it in memory.

Requests ask for ``Accept-Encoding: identity``, yet some servers encode anyway. httpx would decode
each network chunk through every layer before the size limit saw a byte: 1.8 kB of gzip inside
gzip became 1 GB. So the fetcher reads the raw bytes and decodes them here, with zlib's
``max_length``: each step produces at most what is left of the budget. One layer of gzip or
deflate is decoded; stacked layers and other codings (br, zstd, compress...) are refused, since
the server was asked for none of them.
"""

import zlib

GZIP_CODINGS = ("gzip", "x-gzip")
DECODABLE = (*GZIP_CODINGS, "deflate")


class Undecodable(Exception):
    """A body whose encoding is refused or broken; the message says which."""


def decoder_for(content_encoding):
    """A ``Decoder`` for a Content-Encoding header's value; Undecodable for stacked or unknown codings."""
    codings = [coding.strip().lower() for coding in content_encoding.split(",")]
    codings = [coding for coding in codings if coding and coding != "identity"]
    if len(codings) > 1:
        raise Undecodable(f"stacked content encodings: {', '.join(codings)}"[:200])
    if codings and codings[0] not in DECODABLE:
        raise Undecodable(f"unsupported content encoding: {codings[0]}"[:200])
    return Decoder(codings[0] if codings else None)


class Decoder:
    """Decodes one coding (None: none) a network chunk at a time, never more than ``room`` bytes a call.

    No flush is needed: zlib hands out all it can from its input until ``max_length`` is reached,
    and a read that reaches it is over (the file is too big).
    """

    def __init__(self, coding):
        self.coding = coding
        self._first = True
        self._zlib = None
        if coding is not None:
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 16 if coding in GZIP_CODINGS else zlib.MAX_WBITS)

    def decode(self, data, room):
        if self._zlib is None:
            return data  # a network chunk: at most 64 kB, counted by the caller
        first, self._first = self._first, False
        try:
            return self._zlib.decompress(data, room)
        except zlib.error as error:
            if first and self.coding == "deflate":  # raw deflate, without the zlib wrapper HTTP asks for
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                return self.decode(data, room)
            raise Undecodable(f"corrupt {self.coding} encoding: {error}"[:200]) from error
