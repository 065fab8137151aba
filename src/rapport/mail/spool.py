"""Large messages without large memory: before parsing, the body of every big leaf
part is decoded straight into a temporary file and left out of the copy the
parser sees (a header names the file instead).

A 50 MB attachment arrives as ~68 MB of base64; parsed whole it would sit in
memory as the raw text, the parser's string and the decoded bytes at once.
Here it passes through in lines. Only messages above `LARGE` take this path;
the parser sees everything else exactly as sent.
"""

from __future__ import annotations

import binascii
import contextlib
import os
import re
import tempfile
from email.parser import BytesHeaderParser
from typing import IO

LARGE = 4 * 1024 * 1024  # messages above this are spooled
PART_LIMIT = 256 * 1024  # part bodies above this go to a file
MARKER = "X-Rapport-Spooled"

_header_parser = BytesHeaderParser()


class _Decoder:
    """Decodes a transfer encoding line by line into a file."""

    def __init__(self, encoding: str, target: IO[bytes]) -> None:
        self.encoding = encoding
        self.target = target
        self.pending = b""

    def feed(self, line: bytes) -> None:
        if self.encoding == "base64":
            data = self.pending + re.sub(rb"[^A-Za-z0-9+/]", b"", line)
            usable = len(data) - len(data) % 4
            self.pending = data[usable:]
            if usable:
                self.target.write(binascii.a2b_base64(data[:usable]))
        elif self.encoding == "quoted-printable":
            self.target.write(binascii.a2b_qp(line))
        else:
            self.target.write(line)

    def close(self) -> None:
        if self.encoding == "base64" and self.pending:
            padded = self.pending + b"=" * (-len(self.pending) % 4)
            # A dangling fragment of a broken encoding may hold nothing decodable.
            with contextlib.suppress(binascii.Error):
                self.target.write(binascii.a2b_base64(padded))
        self.target.close()


class Spooler:
    """Rewrites a message into a slim copy plus one temporary file per big part body."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.slim = tempfile.SpooledTemporaryFile(max_size=LARGE)  # noqa: SIM115
        self.files: list[str] = []

    def _next(self) -> bytes:
        return self.source.readline()

    def run(self) -> IO[bytes]:
        ended = self._entity(boundaries=[])
        if ended:
            self.slim.write(ended)
        while chunk := self._next():  # anything left after the end is kept as is
            self.slim.write(chunk)
        self.slim.seek(0)
        return self.slim

    def _headers(self) -> bytes:
        block = b""
        while True:
            line = self._next()
            block += line
            if not line or line in (b"\r\n", b"\n"):
                return block
            if len(block) > 1024 * 1024:  # a header block this big is not one: stop here
                return block

    def _entity(self, boundaries: list[bytes]) -> bytes | None:
        """Copy one entity; the delimiter line that ended it (None at end of input)."""
        headers = self._headers()
        parsed = _header_parser.parsebytes(headers)
        if parsed.get_content_maintype() == "multipart" and parsed.get_boundary():
            self.slim.write(headers)
            inner = [f"--{parsed.get_boundary()}".encode(), *boundaries]
            return self._multipart(inner, boundaries)
        encoding = str(parsed.get("content-transfer-encoding", "")).strip().lower()
        # An attached message is kept whole as one file (it becomes an .eml attachment);
        # reports (message/delivery-status) and blocks that are not really headers (a
        # message without any) go to the parser as they are.
        spoolable = not parsed.defects and (
            parsed.get_content_maintype() != "message"
            or parsed.get_content_subtype() in ("rfc822", "global")
        )
        return self._leaf(headers, encoding, boundaries, spoolable=spoolable)

    def _is_delimiter(self, line: bytes, boundaries: list[bytes]) -> bool:
        stripped = line.rstrip(b"\r\n \t")
        return any(stripped in (b, b + b"--") for b in boundaries)

    def _multipart(self, inner: list[bytes], outer: list[bytes]) -> bytes | None:
        """Copy a multipart body; the enclosing delimiter that ended it (None at the end)."""
        own = inner[0]
        while True:  # the preamble, up to the first delimiter
            line = self._next()
            if not line:
                return None
            if self._is_delimiter(line, inner):
                break
            self.slim.write(line)
        while True:  # `line` is a delimiter: ours, our closing one, or an enclosing one
            stripped = line.rstrip(b"\r\n \t")
            if stripped == own + b"--":
                self.slim.write(line)
                while True:  # the epilogue runs to the enclosing delimiter
                    line = self._next()
                    if not line:
                        return None
                    if self._is_delimiter(line, outer):
                        return line
                    self.slim.write(line)
            if stripped != own:
                return line  # an enclosing delimiter ended us without our closing one
            self.slim.write(line)
            ended = self._entity(inner)
            if ended is None:
                return None
            line = ended

    def _leaf(
        self, headers: bytes, encoding: str, boundaries: list[bytes], *, spoolable: bool
    ) -> bytes | None:
        buffered: list[bytes] = []
        size = 0
        decoder: _Decoder | None = None
        while True:
            line = self._next()
            if not line or (boundaries and self._is_delimiter(line, boundaries)):
                break
            if decoder is not None:
                decoder.feed(line)
                continue
            buffered.append(line)
            size += len(line)
            if size > PART_LIMIT and spoolable:
                fd, path = tempfile.mkstemp(prefix="rapport-part-")
                self.files.append(path)
                decoder = _Decoder(encoding, os.fdopen(fd, "wb"))
                for held in buffered:
                    decoder.feed(held)
                buffered = []
        if decoder is None:
            self.slim.write(headers)
            self.slim.writelines(buffered)
        else:
            decoder.close()
            marker = f"{MARKER}: {self.files[-1]}\r\n".encode()
            # The part keeps its headers (name, type, Content-ID); its body is the file.
            eol = b"\r\n" if headers.endswith(b"\r\n") else b"\n"
            own = headers.rstrip(b"\r\n")
            self.slim.write((own + eol if own else b"") + marker.rstrip() + eol + eol)
        return line or None

    def cleanup(self) -> None:
        self.slim.close()
        for path in self.files:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
