"""The toy stack frame (snippets.memory_safety): a bounded copy never leaves the buffer, an unbounded one does.

The bounded copy is checked against the contract of BSD ``strlcpy`` (at most
size - 1 bytes, always NUL-terminated, returns the source length), and the
unbounded model against a byte-by-byte reference written here.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from snippets import memory_safety as ms

DETERMINISTIC = settings(max_examples=200, deadline=None, derandomize=True, database=None)
STRINGS = st.binary(min_size=0, max_size=40).map(lambda b: b.replace(b"\x00", b"x"))  # C strings have no inner NUL


def test_layout() -> None:
    bounds = ms.region_bounds()
    assert bounds["buffer"] == (0, 8)
    assert bounds["return address"] == (16, 20)
    assert len(ms.new_frame()) == 20


@DETERMINISTIC
@given(STRINGS)
def test_bounded_copy_follows_strlcpy(src: bytes) -> None:
    frame = ms.new_frame()
    before = bytes(frame)
    assert ms.bounded_copy(frame, src) == len(src)
    n = min(len(src), 7)
    assert bytes(frame[:n]) == src[:n]
    assert frame[n] == 0  # always terminated
    assert bytes(frame[8:]) == before[8:]  # nothing outside the buffer changes
    assert ms.canary_intact(frame)


@DETERMINISTIC
@given(STRINGS)
def test_unbounded_copy_writes_every_byte(src: bytes) -> None:
    frame = ms.new_frame()
    reference = bytearray(ms.new_frame())
    for i, byte in enumerate(src + b"\x00"):  # what strcpy does, one byte at a time
        if i < len(reference):
            reference[i] = byte
    hit = ms.unbounded_copy(frame, src)
    assert frame == reference
    assert ("canary" in hit) == (len(src) + 1 > 8)
    assert ("return address" in hit) == (len(src) + 1 > 16)
    # The canary check catches every overflow that reaches the canary with different bytes.
    if len(src) + 1 > 8 and bytes(reference[8:12]) != ms.CANARY:
        assert not ms.canary_intact(frame)


def test_figure_example() -> None:
    frame = ms.new_frame()
    assert ms.unbounded_copy(frame, b"TOO LONG FOR BUF") == ["canary", "saved frame pointer", "return address"]
    assert frame[16] == 0 and bytes(frame[17:]) == ms.RETURN_ADDRESS[1:]
    assert not ms.canary_intact(frame)
    short = ms.new_frame()
    assert ms.unbounded_copy(short, b"hi") == [] and ms.canary_intact(short)
