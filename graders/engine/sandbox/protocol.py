"""The data-only wire format between the trusted process and a worker.

A message is one frame: an 8-byte big-endian length, the sizes of the header and of every blob as
a JSON list, a NUL byte, the JSON header, then the raw array bytes (blobs) the header points into
(sent from the arrays' own memory, see :func:`frame_parts`). Values travel as a tagged tree:

    null, booleans, numbers (NaN and infinities included) and strings stand for themselves;
    {"t": "list"|"tuple", "v": [...]}, {"t": "dict", "k": [str...], "v": [...]};
    {"t": "packed", "c": "list"|"tuple", "leaf": "py"|"np", "i": blob}
                                          a rectangular nesting of one container type whose leaves
                                          are all Python scalars of one type ("py") or numpy
                                          scalars of one dtype ("np"), sent as one array and
                                          rebuilt as the same nesting (a dropout mask kept as a
                                          list of lists of booleans: one blob, not 60,000 nodes);
    {"t": "nd", "i": blob, "d": dtype, "s": shape, "cls": name}
                                          an ndarray: dtype in numpy's canonical spelling ("<f8"),
                                          shape, raw C-order bytes in blob i (cls is the class
                                          name when it was a subclass);
    {"t": "np", "i": blob, "d": ..., "s": []}  a numpy scalar, sent as a 0-d array;
    {"t": "tf", "kind": name, "i": blob}   a TensorFlow tensor or variable, as its numpy value
                                          (converted in the worker; arrives as :class:`TFValue`,
                                          and a trusted :class:`AsTF` request becomes a real
                                          tensor or variable in the worker);
    {"t": "unsupported", "type": name}    anything else (the worker cannot send objects).

This module is imported on both sides. The trusted side decodes with :func:`decode`, which builds
every value itself (plain ``dict``/``list``/``tuple``, base-class ``np.ndarray`` copied from a
blob's bytes with a canonical numeric dtype), enforces size, depth and node limits, and turns
anything malformed into :class:`Malformed`. Nothing received is ever unpickled, evaluated or imported.
"""
from __future__ import annotations

import collections
import hashlib
import itertools
import json
import math
import re
import socket
import struct
from dataclasses import dataclass
from typing import Any

import numpy as np

MAX_FRAME_BYTES = 256 * 1024 * 1024  #: largest message accepted from a worker
MAX_DEPTH = 40  #: deepest nesting of lists, tuples and dicts in a value
MAX_HEADER_BYTES = 8 * 1024 * 1024  #: largest JSON header accepted (parsed before any other check)
MAX_NODES = 100_000  #: most values in one message
MAX_BLOBS = 10_000  #: most arrays in one message
MAX_PACKED = 4_000_000  #: most scalars in one packed list (rebuilt as Python objects on receipt)
ARRAY_KINDS = "biufc"  #: numpy dtype kinds accepted (bool, int, uint, float, complex)

_LENGTH = struct.Struct(">Q")
_MAX_BUFFERS = 1024  # buffers per sendmsg call (the system's IOV_MAX)
_PREALLOCATED = 16 * 1024 * 1024  # frames up to this size are read into one buffer made at once


class Malformed(Exception):
    """A message that is not valid data (too large, too deep, unknown tag, bad array)."""


class TooLarge(Exception):
    """A value that exceeds the message limits: ``reason`` is "too_large" or "too_deep"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class ChannelClosed(Exception):
    """The other end closed the socket (for a worker: it exited or was killed)."""


@dataclass(frozen=True)
class TFValue:
    """A TensorFlow tensor or variable returned by student code, as data: ``kind`` is the type's
    name ("EagerTensor", "ResourceVariable"...) and ``array`` its numpy value."""

    kind: str
    array: np.ndarray

    @property
    def is_variable(self) -> bool:
        return "Variable" in self.kind


@dataclass(frozen=True)
class AsTF:
    """A request argument the worker turns into ``tf.constant`` or ``tf.Variable`` (kind
    "constant" or "variable"), so that the trusted side never needs TensorFlow objects."""

    kind: str
    array: np.ndarray


@dataclass(frozen=True)
class Unsupported:
    """Stands for a returned object the wire cannot carry (a class instance, a function...)."""

    type_name: str


# ---------------------------------------------------------------------------------------- encoding


def encode(value: Any) -> tuple[bytes, list[bytes]]:
    """Encode ``value`` into (JSON header bytes, raw array blobs). Never raises on odd objects: they
    become ``unsupported`` nodes. Used by the worker for results and by the trusted side for
    requests."""
    encoder = _Encoder()
    tree = encoder.node(value, 0)
    return json.dumps(tree, allow_nan=True).encode(), encoder.blobs


def encode_checked(value: Any) -> tuple[bytes, list[bytes]]:
    """:func:`encode`, raising :class:`TooLarge` when the receiver would refuse the message (more
    values, arrays or bytes than the limits allow, or nesting deeper than MAX_DEPTH), so that the
    worker can say so instead of sending a frame the trusted side would take for garbage."""
    encoder = _Encoder()
    tree = encoder.node(value, 0)
    if encoder.too_deep:
        raise TooLarge("too_deep")
    header = json.dumps(tree, allow_nan=True).encode()
    if (encoder.oversized or encoder.nodes > MAX_NODES or len(encoder.blobs) > MAX_BLOBS or len(header) > MAX_HEADER_BYTES
            or len(header) + sum(map(len, encoder.blobs)) > MAX_FRAME_BYTES - 16 * (MAX_BLOBS + 1)):
        raise TooLarge("too_large")
    return header, encoder.blobs


class _Encoder:
    """One value's encoding: the blobs so far, how many nodes, whether a branch was too deep."""

    def __init__(self) -> None:
        self.blobs: list[bytes] = []
        self.nodes = 0
        self.too_deep = False
        self.oversized = False  #: a packed list of more than MAX_PACKED scalars

    def node(self, value: Any, depth: int) -> Any:
        self.nodes += 1
        kind = type(value)
        if depth >= MAX_DEPTH:
            self.too_deep = True
            return {"t": "unsupported", "type": "too deeply nested"}
        if value is None or kind in (bool, str):
            return value
        if kind is int:
            return value if abs(value) < 2**63 else float(value)
        if kind is float:
            return value
        if isinstance(value, np.generic):
            return _encode_array(np.asarray(value), "np", self.blobs)
        if isinstance(value, np.ndarray):
            node = _encode_array(value, "nd", self.blobs)
            if kind is not np.ndarray:
                node["cls"] = _type_name(value)
            return node
        if kind is AsTF or kind is TFValue:
            node = _encode_array(np.asarray(value.array), "tf", self.blobs)
            return {**node, "kind": value.kind} if node["t"] == "tf" else node
        if _is_tensorflow(value):
            return _encode_tensor(value, self.blobs)
        if kind in (list, tuple):
            packed = _pack(value, MAX_DEPTH - depth)
            if packed is not None:
                leaf, array = packed
                self.oversized |= array.size > MAX_PACKED
                return {**_encode_array(array, "packed", self.blobs), "c": kind.__name__, "leaf": leaf}
            return {"t": kind.__name__, "v": [self.node(v, depth + 1) for v in value]}
        if kind is dict:
            if not all(type(k) is str for k in value):
                return {"t": "unsupported", "type": "dict with non-string keys"}
            return {"t": "dict", "k": list(value), "v": [self.node(v, depth + 1) for v in value.values()]}
        return {"t": "unsupported", "type": _type_name(value)}


_PY_LEAVES = {bool: np.bool_, int: np.int64, float: np.float64}


def _pack(value: list | tuple, depth_left: int) -> tuple[str, np.ndarray] | None:
    """``value`` as ("py" | "np", array) when it is a rectangular nesting of its own container
    type with at least two leaves, all Python scalars of one type or numpy scalars of one dtype;
    else None (it is then sent node by node)."""
    container, shape, level = type(value), [], [value]
    while type(level[0]) is container:
        width = len(level[0])
        if width == 0 or len(shape) >= depth_left or any(type(x) is not container or len(x) != width for x in level):
            return None
        shape.append(width)
        level = [y for x in level for y in x]
    leaf = type(level[0])
    if len(level) < 2 or any(type(x) is not leaf for x in level):
        return None
    if leaf in _PY_LEAVES:
        if leaf is int and not all(-2**63 <= x < 2**63 for x in level):
            return None
        return "py", np.array(level, dtype=_PY_LEAVES[leaf]).reshape(shape)
    if issubclass(leaf, np.generic) and np.dtype(leaf).kind in "biuf":
        return "np", np.array(level, dtype=np.dtype(leaf)).reshape(shape)
    return None


def _unpack_list(array: np.ndarray, container: type, leaf: str) -> list | tuple:
    """Rebuild the nesting :func:`_pack` flattened (Python scalars for "py", numpy for "np")."""
    if array.ndim == 1:
        items = array.tolist() if leaf == "py" else list(array)
    else:
        items = [_unpack_list(row, container, leaf) for row in array]
    return items if container is list else tuple(items)


def _is_tensorflow(value: Any) -> bool:
    module = getattr(type(value), "__module__", "") or ""
    return isinstance(module, str) and module.startswith(("tensorflow", "keras"))


def _encode_tensor(value: Any, blobs: list[bytes]) -> dict:
    """A tensor or variable as its numpy value with a type tag (in the worker)."""
    try:
        array = np.asarray(value.numpy())
    except Exception:  # a symbolic tensor, a ragged or sparse one
        return {"t": "unsupported", "type": _type_name(value)}
    node = _encode_array(array, "tf", blobs)
    return {**node, "kind": _type_name(value)} if node["t"] == "tf" else node


def _type_name(value: Any) -> str:
    try:
        return str(type(value).__name__)[:80]
    except Exception:  # a hostile metaclass
        return "object"


def _encode_array(array: np.ndarray, tag: str, blobs: list[bytes]) -> dict:
    """An array node: dtype ("d", e.g. "<f8") and shape ("s") in the header, its raw C-order bytes
    as a blob (about 50 times cheaper to read than an .npy file, whose header needs parsing)."""
    base = np.asarray(array)
    if base.dtype.kind not in ARRAY_KINDS:
        return {"t": "unsupported", "type": f"array of dtype {base.dtype.str}"}
    # the array's own bytes, not a copy (an empty array has none)
    blobs.append(memoryview(np.ascontiguousarray(base)).cast("B") if base.size else b"")
    return {"t": tag, "i": len(blobs) - 1, "d": base.dtype.str, "s": list(base.shape)}


def fingerprint(value: Any) -> str:
    """A stable hex digest of a value of this format's vocabulary: its structure, types and
    values, arrays by dtype, shape and bytes (equal values of equal types, equal digests)."""
    sha = hashlib.sha256()
    _feed(sha, value)
    return sha.hexdigest()


def _feed(sha: Any, value: Any) -> None:
    """Add ``value`` to the running hash, tagged by kind so that different values never collide."""
    kind = type(value)
    if value is None or kind in (bool, int, float, str):
        sha.update(f"{kind.__name__}:{value!r};".encode())
    elif isinstance(value, (np.ndarray, np.generic)):
        array = np.ascontiguousarray(value)
        sha.update(f"{'nd' if isinstance(value, np.ndarray) else 'np'}:{array.dtype.str}:{array.shape};".encode())
        sha.update(array.tobytes())
    elif kind in (AsTF, TFValue):
        sha.update(f"{kind.__name__}:{value.kind};".encode())
        _feed(sha, np.asarray(value.array))
    elif kind in (list, tuple):
        sha.update(f"{kind.__name__}:{len(value)}[".encode())
        for item in value:
            _feed(sha, item)
        sha.update(b"]")
    elif kind is dict:
        sha.update(f"dict:{len(value)}{{".encode())
        for key, item in value.items():
            _feed(sha, key)
            _feed(sha, item)
        sha.update(b"}")
    else:
        sha.update(f"object:{kind.__name__};".encode())



# ---------------------------------------------------------------------------------------- decoding


def decode(header: bytes, blobs: list[bytes], materialize: Any = None) -> Any:
    """Rebuild a value from a header and blobs received from an untrusted peer.

    Raises :class:`Malformed` for anything that is not exactly the format above. ``tf`` nodes
    become :class:`TFValue` records, or, in a worker that passes ``materialize(kind, array)``,
    real TensorFlow objects.
    """
    try:
        tree = json.loads(header)
    except (ValueError, RecursionError) as error:
        raise Malformed(f"header is not JSON ({type(error).__name__})") from None
    return _Decoder(blobs, materialize).node(tree, 0)


class _Decoder:
    def __init__(self, blobs: list[bytes], materialize: Any = None):
        self.blobs = blobs
        self.nodes = 0
        self.materialize = materialize

    def node(self, tree: Any, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise Malformed(f"more than {MAX_NODES} values")
        if depth > MAX_DEPTH:
            raise Malformed(f"nested deeper than {MAX_DEPTH} levels")
        if tree is None or type(tree) in (bool, int, float, str):
            return tree
        if type(tree) is not dict or type(tree.get("t")) is not str:
            raise Malformed("unexpected value in header")
        tag = tree["t"]
        if tag in ("list", "tuple"):
            items = [self.node(v, depth + 1) for v in self._list(tree, "v")]
            return items if tag == "list" else tuple(items)
        if tag == "dict":
            keys, values = self._list(tree, "k"), self._list(tree, "v")
            if len(keys) != len(values) or not all(type(k) is str for k in keys):
                raise Malformed("bad dict")
            return {k: self.node(v, depth + 1) for k, v in zip(keys, values)}
        if tag in ("nd", "np"):
            array = self._array(tree)
            if tag == "np":
                return array[()] if array.ndim == 0 else Unsupported("numpy scalar of bad shape")
            if "cls" in tree:
                return Unsupported(f"ndarray subclass {str(tree['cls'])[:80]}")
            return array
        if tag == "tf":
            array, kind = self._array(tree), str(tree.get("kind", "Tensor"))[:80]
            return self.materialize(kind, array) if self.materialize else TFValue(kind, array)
        if tag == "packed":
            array, container, leaf = self._array(tree), tree.get("c"), tree.get("leaf")
            if container not in ("list", "tuple") or leaf not in ("py", "np") or not 1 <= array.ndim <= MAX_DEPTH - depth:
                raise Malformed("bad packed list")
            if array.size > MAX_PACKED or array.size < 2:
                raise Malformed(f"a packed list of {array.size} values")
            return _unpack_list(array, list if container == "list" else tuple, leaf)
        if tag == "unsupported":
            return Unsupported(str(tree.get("type", "object"))[:80])
        raise Malformed(f"unknown tag {tag[:20]!r}")

    @staticmethod
    def _list(tree: dict, key: str) -> list:
        value = tree.get(key)
        if type(value) is not list:
            raise Malformed(f"bad {key!r} field")
        return value

    def _array(self, tree: dict) -> np.ndarray:
        """A fresh, writable base-class ndarray from an array node's dtype, shape and blob."""
        index, dtype, shape = tree.get("i"), _dtype(tree.get("d")), tree.get("s")
        if type(index) is not int or not 0 <= index < len(self.blobs):
            raise Malformed("bad array reference")
        if type(shape) is not list or len(shape) > MAX_DEPTH or not all(type(n) is int and n >= 0 for n in shape):
            raise Malformed("bad array shape")
        blob = self.blobs[index]
        if math.prod(shape) * dtype.itemsize != len(blob):
            raise Malformed("array size does not match its shape")
        return np.frombuffer(blob, dtype=dtype).reshape(shape).copy()


_DTYPE_RE = re.compile(r"[<>|][biufc][0-9]{1,2}")


def _dtype(name: Any) -> np.dtype:
    """The numeric dtype spelled ``name`` in numpy's canonical form ("<f8", "|b1"), else Malformed
    (no structured, object, string or datetime dtype is ever built from a header)."""
    if type(name) is not str or not _DTYPE_RE.fullmatch(name):
        raise Malformed("bad array dtype")
    try:
        dtype = np.dtype(name)
    except TypeError:
        raise Malformed("bad array dtype") from None
    if dtype.str != name or dtype.kind not in ARRAY_KINDS:
        raise Malformed("bad array dtype")
    return dtype


# ----------------------------------------------------------------------------------------- framing


def frame_parts(header: bytes, blobs: list) -> list:
    """One frame as the buffers to send in order: length, then [header length, blob lengths...] as
    JSON, NUL, header; then the blobs themselves (not copied into one string)."""
    sizes = json.dumps([len(header)] + [len(b) for b in blobs]).encode()
    length = len(sizes) + 1 + len(header) + sum(len(b) for b in blobs)
    return [b"".join([_LENGTH.pack(length), sizes, b"\0", header]), *blobs]


def pack(header: bytes, blobs: list) -> bytes:
    """One frame as a single string (see frame_parts)."""
    return b"".join(frame_parts(header, blobs))


def unpack(body: bytes | bytearray) -> tuple[bytes, list[memoryview]]:
    """Split a frame body into header and blobs; raises :class:`Malformed`."""
    cut = body.find(b"\0", 0, 16 * (MAX_BLOBS + 1))
    try:
        sizes = json.loads(body[:cut]) if cut >= 0 else None
    except ValueError:
        sizes = None
    if type(sizes) is not list or not sizes or not all(type(s) is int and s >= 0 for s in sizes):
        raise Malformed("bad frame layout")
    if len(sizes) > MAX_BLOBS + 1:
        raise Malformed(f"more than {MAX_BLOBS} arrays")
    if cut + 1 + sum(sizes) != len(body):
        raise Malformed("frame length does not add up")
    if sizes[0] > MAX_HEADER_BYTES:
        raise Malformed(f"header of {sizes[0]} bytes exceeds the limit of {MAX_HEADER_BYTES}")
    parts, offset, view = [], cut + 1, memoryview(body)
    for size in sizes:
        parts.append(view[offset:offset + size])  # views of the frame: the decoder copies what it keeps
        offset += size
    return bytes(parts[0]), parts[1:]


def send(sock: socket.socket, value: Any) -> None:
    """Encode and send one value."""
    send_parts(sock, frame_parts(*encode(value)))


def send_parts(sock: socket.socket, parts: list) -> None:
    """Send a frame's buffers in order with as few system calls and copies as the kernel allows."""
    views = collections.deque(memoryview(p).cast("B") for p in parts if len(p))
    while views:
        sent = sock.sendmsg(list(itertools.islice(views, _MAX_BUFFERS)))
        while sent:
            if sent >= len(views[0]):
                sent -= len(views.popleft())
            else:
                views[0], sent = views[0][sent:], 0


def receive_frame(sock: socket.socket, limit: int = MAX_FRAME_BYTES) -> bytes | bytearray:
    """Read one frame body; the socket's own timeout applies. Raises ChannelClosed, Malformed."""
    (length,) = _LENGTH.unpack(_read_exactly(sock, _LENGTH.size))
    if length > limit:
        raise Malformed(f"message of {length} bytes exceeds the limit of {limit}")
    if length > _PREALLOCATED:  # memory for what has arrived only: a claimed length costs nothing
        return _read_exactly(sock, length)
    body, got = bytearray(length), 0
    view = memoryview(body)
    while got < length:
        received = sock.recv_into(view[got:])
        if not received:
            raise ChannelClosed()
        got += received
    return body


def receive(sock: socket.socket, limit: int = MAX_FRAME_BYTES, materialize: Any = None) -> Any:
    """Receive and decode one value (see :func:`decode`)."""
    return decode(*unpack(receive_frame(sock, limit)), materialize)


def _read_exactly(sock: socket.socket, size: int) -> bytes:
    chunks, remaining = [], size
    while remaining:
        chunk = sock.recv(min(remaining, 1 << 20))
        if not chunk:
            raise ChannelClosed()
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


# ------------------------------------------------------------------------------- JSON-only storage


def to_jsonable(value: Any) -> Any:
    """Encode a value as pure JSON with arrays inline (for frozen public expectations): the tree,
    and each array's values as a flat list (its dtype and shape are in its tree node)."""
    header, blobs = encode(value)
    tree = json.loads(header)
    nodes = sorted(_array_nodes(tree), key=lambda node: node["i"])
    return {"tree": tree, "arrays": [np.frombuffer(blobs[n["i"]], dtype=n["d"]).tolist() for n in nodes]}


def from_jsonable(stored: Any) -> Any:
    """Inverse of :func:`to_jsonable`."""
    nodes = {n["i"]: n for n in _array_nodes(stored["tree"])}
    blobs = [np.array(data, dtype=_dtype(nodes[i]["d"])).tobytes() for i, data in enumerate(stored["arrays"])]
    return _Decoder(blobs).node(stored["tree"], 0)


def _array_nodes(tree: Any) -> list[dict]:
    """The array nodes of an encoded tree (those holding a blob index "i")."""
    if type(tree) is not dict:
        return []
    found = [tree] if "i" in tree else []
    for child in tree.get("v", []):
        found += _array_nodes(child)
    return found
