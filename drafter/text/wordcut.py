"""A text's cut into index words, stored compactly so its index terms are rebuilt without the dictionary.

The index terms of a sentence are its words in order, then the dictionary words inside its long words (every
2- and 3-character piece of a longer word that the dictionary knows: 政府 in 县政府). The store keeps the text
once and this cut beside it (a few bytes a sentence), instead of a second copy of the terms: the terms come
back exactly from (text, cut), whatever dictionary is loaded later, which a contentless index needs to
delete a sentence's entries, and a draft needs to weigh a sentence by its words.

Layout: varint word count; per word, its gap from the previous word's end and its length (one byte
`gap << 6 | length` when gap < 4 and 0 < length < 64, else 0 then two varints); then one bit per inside
piece, in the order `_pieces` gives them, set when the piece is a dictionary word.
"""
from __future__ import annotations

from itertools import accumulate
from typing import Callable, Sequence


def _pieces(word: str) -> list[str]:
    """The 2- and then 3-character pieces inside a word longer than them, in the order of the cut's bits."""
    return [_piece(word, k) for k in range(_piece_count(len(word)))]


def _piece_count(length: int) -> int:
    return 2 * length - 3 if length > 3 else 2 if length == 3 else 0


def _piece(word: str, k: int) -> str:
    """The k-th of `_pieces(word)`."""
    two = len(word) - 1  # 2-character pieces come first
    return word[k:k + 2] if k < two else word[k - two:k - two + 3]


def pack(spans: Sequence[tuple[int, str]], is_word: Callable[[str], bool]) -> tuple[bytes, list[str]]:
    """The cut of a text whose words are `spans` (start, word), in order, and the text's index terms (as
    `terms` gives them back from the cut); `is_word` is the dictionary."""
    out = bytearray(_varint(len(spans)))
    bits: list[bool] = []
    inside: list[str] = []
    end = 0
    for start, word in spans:
        gap, length = start - end, len(word)
        if gap < 4 and length < 64:
            out.append(gap << 6 | length)
        else:
            out.append(0)
            out += _varint(gap) + _varint(length)
        end = start + length
        if length > 2:
            for piece in _pieces(word):
                known = is_word(piece)
                bits.append(known)
                if known:
                    inside.append(piece)
    for i in range(0, len(bits), 8):
        out.append(sum(1 << k for k, bit in enumerate(bits[i:i + 8]) if bit))
    return bytes(out), [w for _, w in spans] + inside


def terms(text: str, cut: bytes) -> list[str]:
    """The text's index terms: its words, then the dictionary words inside the long ones."""
    found, at = _unpack(text, cut)
    known = int.from_bytes(cut[at:], "little")  # bit n: the n-th inside piece is a dictionary word
    if not known:
        return found
    inside, n = [], 0
    for word in found:
        count = _piece_count(len(word))
        if count:
            bits = known >> n & (1 << count) - 1
            n += count
            while bits:  # only the pieces that are words are cut out
                lowest = bits & -bits
                bits ^= lowest
                inside.append(_piece(word, lowest.bit_length() - 1))
    return found + inside


# Per byte of a one-byte word: how far its end lies past the previous word's end, and its length.
_STEP = bytes((b >> 6) + (b & 63) for b in range(256))
_LENGTH = bytes(b & 63 for b in range(256))


def _unpack(text: str, cut: bytes) -> tuple[list[str], int]:
    count, at = _read_varint(cut, 0)
    body = cut[at:at + count]
    if 0 not in body:  # every word in one byte (nearly every sentence): ends summed in C
        return [text[end - length:end] for end, length in
                zip(accumulate(body.translate(_STEP)), body.translate(_LENGTH))], at + count
    found, end = [], 0
    for _ in range(count):
        byte = cut[at]
        at += 1
        if byte:
            start = end + (byte >> 6)
            end = start + (byte & 63)
        else:
            gap, at = _read_varint(cut, at)
            length, at = _read_varint(cut, at)
            start = end + gap
            end = start + length
        found.append(text[start:end])
    return found, at


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _read_varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, at
