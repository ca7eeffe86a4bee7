"""The wire format: what a worker sends is decoded as data, and only as data."""
import io
import json
import pickle

import numpy as np
import pytest

from graders.engine.sandbox import protocol
from graders.engine.sandbox.protocol import Malformed, Unsupported


def roundtrip(value):
    return protocol.decode(*protocol.unpack(protocol.pack(*protocol.encode(value))[8:]))


def test_values_keep_their_structure_and_types():
    value = {"a": (np.arange(6.0).reshape(2, 3), [1, 2.5, None, True, "x"]), "s": np.float64(0.25),
             "nan": float("nan"), "mask": np.array([[True, False]])}
    got = roundtrip(value)
    assert type(got["a"]) is tuple and type(got["a"][1]) is list
    np.testing.assert_array_equal(got["a"][0], value["a"][0])
    assert type(got["s"]) is np.float64 and got["s"] == 0.25
    assert np.isnan(got["nan"])
    assert got["mask"].dtype == bool


def test_objects_arrive_as_unsupported_markers_never_as_objects():
    class Rigged:
        def __eq__(self, other):
            return True

    class Sub(np.ndarray):
        pass

    got = roundtrip([Rigged(), np.zeros(3).view(Sub), np.array([object()], dtype=object), {1: 2}])
    assert got[0] == Unsupported("Rigged")
    assert isinstance(got[1], Unsupported) and "subclass" in got[1].type_name
    assert isinstance(got[2], Unsupported) and "dtype" in got[2].type_name
    assert isinstance(got[3], Unsupported)


def test_a_pickled_object_array_is_refused():
    buffer = io.BytesIO()
    np.save(buffer, np.array([{"x": 1}], dtype=object), allow_pickle=True)
    header = json.dumps({"t": "nd", "i": 0}).encode()
    with pytest.raises(Malformed):
        protocol.decode(header, [buffer.getvalue()])


@pytest.mark.parametrize("header", [
    b"not json", b'{"t": "eval", "v": "1+1"}', b'{"t": "nd", "i": 5}', b'{"t": "dict", "k": [1], "v": [2]}',
    json.dumps({"t": "list", "v": [pickle.dumps(1).hex()]}).encode()[:-3], b"[" * 100000 + b"]" * 100000,
])
def test_malformed_headers_raise_malformed(header):
    with pytest.raises(Malformed):
        protocol.decode(header, [])


def test_depth_and_node_limits():
    deep = {"t": "list", "v": []}
    for _ in range(protocol.MAX_DEPTH + 5):
        deep = {"t": "list", "v": [deep]}
    with pytest.raises(Malformed):
        protocol.decode(json.dumps(deep).encode(), [])
    wide = {"t": "list", "v": [0] * (protocol.MAX_NODES + 1)}
    with pytest.raises(Malformed):
        protocol.decode(json.dumps(wide).encode(), [])


def test_frames_that_do_not_add_up_are_refused():
    body = protocol.pack(*protocol.encode([np.ones(3)]))[8:]
    with pytest.raises(Malformed):
        protocol.unpack(body[:-1])
    with pytest.raises(Malformed):
        protocol.unpack(b"garbage")
