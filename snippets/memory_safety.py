"""A toy model of a stack frame, to show what a bounded and an unbounded string copy do to memory.

Nothing here touches real memory: a frame is a Python ``bytearray`` whose regions
(a fixed-size buffer, a stack canary, a saved frame pointer, a return address)
are named in ``FRAME_LAYOUT``, addresses increasing to the right as on a
downward-growing stack, where writing past the end of a local buffer reaches the
saved values above it. ``bounded_copy`` behaves like C's ``strlcpy`` (copy at most
size - 1 bytes, always terminate, report the length it wanted); ``unbounded_copy``
models what ``strcpy`` would do with the same input, writing every byte of the
source and its terminator whatever the buffer's size, inside the model frame only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# (name, size in bytes), from low to high addresses.
FRAME_LAYOUT: tuple[tuple[str, int], ...] = (
    ("buffer", 8), ("canary", 4), ("saved frame pointer", 4), ("return address", 4))
CANARY = bytes([0x3C, 0xA1, 0x7E, 0x00])  # an arbitrary value; real canaries are random per process
SAVED_FP = bytes([0xF0, 0xDE, 0xFF, 0xBF])
RETURN_ADDRESS = bytes([0x10, 0x84, 0x04, 0x08])


def region_bounds() -> dict[str, tuple[int, int]]:
    """``{name: (start, end)}`` offsets of each region in the frame (end exclusive)."""
    bounds, start = {}, 0
    for name, size in FRAME_LAYOUT:
        bounds[name] = (start, start + size)
        start += size
    return bounds


def new_frame() -> bytearray:
    """A fresh frame: the buffer zero-filled, then the canary, saved frame pointer and return address."""
    buffer_size = FRAME_LAYOUT[0][1]
    return bytearray(bytes(buffer_size) + CANARY + SAVED_FP + RETURN_ADDRESS)


def bounded_copy(frame: bytearray, src: bytes) -> int:
    """Copy ``src`` into the frame's buffer like ``strlcpy``: at most size - 1 bytes, then a NUL.

    Returns ``len(src)``, so ``result >= size`` tells the caller the copy was truncated. Only
    bytes inside the buffer are written.

    >>> f = new_frame(); bounded_copy(f, b"TOO LONG FOR BUF"), bytes(f[:8])
    (16, b'TOO LON\\x00')
    """
    start, end = region_bounds()["buffer"]
    size = end - start
    if size > 0:
        n = min(len(src), size - 1)
        frame[start:start + n] = src[:n]
        frame[start + n] = 0
    return len(src)


def unbounded_copy(frame: bytearray, src: bytes) -> list[str]:
    """Model of ``strcpy(buffer, src)``: write ``src`` and its NUL from the buffer's start, ignoring its size.

    Bytes that would land beyond the modelled frame are dropped (the model has no memory
    there). Returns the names of the regions other than the buffer that were overwritten.

    >>> f = new_frame(); unbounded_copy(f, b"TOO LONG FOR BUF")
    ['canary', 'saved frame pointer', 'return address']
    """
    data = bytes(src) + b"\x00"
    start = region_bounds()["buffer"][0]
    end = min(start + len(data), len(frame))
    frame[start:end] = data[:end - start]
    return [name for name, (lo, hi) in region_bounds().items() if name != "buffer" and lo < end and hi > start]


def canary_intact(frame: bytearray) -> bool:
    """The check a protected function makes before returning: is the canary unchanged?"""
    lo, hi = region_bounds()["canary"]
    return bytes(frame[lo:hi]) == CANARY


# --- Figure -------------------------------------------------------------------------------


def _cell_text(byte: int, written: bool) -> str:
    """A written byte as its character (NUL as \\0, space as ␣); an original byte in hex."""
    if not written:
        return f"{byte:02X}"
    if byte == 0:
        return "\\0"
    if 32 < byte < 127:
        return chr(byte)
    if byte == 32:
        return "␣"
    return f"{byte:02X}"


def stack_frame_copies() -> Figure:
    """The model frame before a copy, after a bounded copy, and after an unbounded copy of the same string."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    src = b"TOO LONG FOR BUF"
    before = new_frame()
    bounded = new_frame()
    bounded_copy(bounded, src)
    unbounded = new_frame()
    unbounded_copy(unbounded, src)
    buffer_size = FRAME_LAYOUT[0][1]
    # Row label, frame, and how many bytes from the start the copy wrote.
    rows = [("before the copy", before, 0),
            ("after a bounded copy\n(strlcpy, snprintf)", bounded, min(len(src), buffer_size - 1) + 1),
            ("after an unbounded copy\n(strcpy)", unbounded, len(src) + 1)]
    colors = {"buffer": "C0", "canary": "C2", "saved frame pointer": "C4", "return address": "C1"}
    bounds = region_bounds()
    n = len(before)
    fig = Figure(figsize=(7.4, 4.2), layout="none")
    ax = fig.add_axes((0.26, 0.02, 0.73, 0.8))
    ax.set_xlim(0, n)
    ax.set_ylim(-0.2, len(rows) * 1.25)
    ax.set_axis_off()
    for r, (label, frame, n_written) in enumerate(rows):
        y = (len(rows) - 1 - r) * 1.25
        for i, byte in enumerate(frame):
            region = next(name for name, (lo, hi) in bounds.items() if lo <= i < hi)
            changed = byte != before[i]
            outside = changed and region != "buffer"
            ax.add_patch(Rectangle((i, y), 1, 0.8, facecolor="C3" if outside else colors[region],
                                   alpha=0.55 if outside else 0.16, edgecolor="#333333", linewidth=0.6))
            written = i < n_written
            ax.text(i + 0.5, y + 0.4, _cell_text(byte, written), ha="center", va="center", fontsize=10,
                    weight="bold" if written else "normal")
        ax.text(-0.3, y + 0.4, label, ha="right", va="center", fontsize=10, clip_on=False)
    top = len(rows) * 1.25 - 0.35
    for name, (lo, hi) in bounds.items():
        ax.text((lo + hi) / 2, top, name if name != "saved frame pointer" else "saved\nframe ptr",
                ha="center", va="bottom", fontsize=10, color="#333333")
    fig.text(0.62, 0.95, "addresses increase to the right →   (red: overwritten outside the buffer)",
             ha="center", fontsize=10)
    return fig
