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


@pytest.mark.parametrize("dtype, shape", [
    ("|O", [1]), ("|O8", [1]), ("<U4", [1]), ("|V8", [1]), ("<M8[s]", [1]), ("float64", [1]), ("<f8", [3]),
    ("<f8", [-1]), ("<f8", "1"), (None, [1]), ("<i3", [1]),
])
def test_only_numeric_arrays_of_the_stated_size_are_built(dtype, shape):
    # the blob holds a pickled object array's bytes; no header can make numpy unpickle or
    # reinterpret it as anything but a numeric array of exactly its size
    buffer = io.BytesIO()
    np.save(buffer, np.array([{"x": 1}], dtype=object), allow_pickle=True)
    blob = buffer.getvalue()[:8]
    header = json.dumps({"t": "nd", "i": 0, "d": dtype, "s": shape}).encode()
    with pytest.raises(Malformed):
        protocol.decode(header, [blob])


def test_a_decoded_array_is_a_writable_copy():
    value = np.arange(6.0).reshape(2, 3)
    got = roundtrip({"a": value, "s": np.int32(3), "z": np.zeros((0, 4))})
    got["a"][0, 0] = 7.0  # a student's update function may change its arguments in place
    assert got["a"].flags.writeable and got["a"].flags.owndata
    assert type(got["s"]) is np.int32 and got["z"].shape == (0, 4)


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


def test_rectangular_lists_of_scalars_travel_as_one_array_and_arrive_unchanged():
    masks = (np.random.default_rng(0).random((250, 250)) < 0.5)
    values = {"py": masks.tolist(), "np": [list(row) for row in masks], "ints": (1, 2, 3),
              "floats": [[0.5, 1.5], [2.5, 3.5]], "mixed": [1, 2.5, True], "ragged": [[1, 2], [3]],
              "big_int": [1, 2**70], "one": [7], "empty": []}
    header, blobs = protocol.encode(values)
    assert len(header) < 2000  # the 62,500-value masks are blobs, not header nodes
    got = roundtrip(values)
    assert got == values  # same nesting, containers and leaf values
    assert type(got["py"][0][0]) is bool and type(got["np"][0][0]) is np.bool_
    assert type(got["ints"]) is tuple and type(got["floats"][0][0]) is float
    assert [type(v) for v in got["mixed"]] == [int, float, bool]


def test_a_worker_refuses_to_send_what_the_trusted_side_would_refuse():
    protocol.encode_checked({"masks": [[True] * 500] * 500})  # 250,000 booleans: one packed array
    with pytest.raises(protocol.TooLarge, match="too_large"):
        protocol.encode_checked([0.5, 1] * (protocol.MAX_NODES // 2 + 1))  # mixed: one node each
    with pytest.raises(protocol.TooLarge, match="too_large"):
        protocol.encode_checked([np.zeros(1)] * (protocol.MAX_BLOBS + 1))
    with pytest.raises(protocol.TooLarge, match="too_large"):
        protocol.encode_checked([0.0] * (protocol.MAX_PACKED + 1))
    deep = [1, 2]
    for _ in range(protocol.MAX_DEPTH + 1):
        deep = [deep, "x"]
    with pytest.raises(protocol.TooLarge, match="too_deep"):
        protocol.encode_checked(deep)


def test_a_forged_packed_list_is_refused():
    blob = protocol.encode([np.zeros(protocol.MAX_PACKED + 1)])[1][0]
    for node in ({"t": "packed", "i": 0, "c": "list", "leaf": "py"},  # too many values
                 {"t": "packed", "i": 0, "c": "set", "leaf": "py"}, {"t": "packed", "i": 0, "c": "list", "leaf": "obj"}):
        with pytest.raises(Malformed):
            protocol.decode(json.dumps(node).encode(), [blob])


def test_many_arrays_fit_in_a_frame():
    batches = [(np.ones((2, 1)), np.zeros((1, 1))) for _ in range(3000)]  # 6,000 arrays
    got = roundtrip(batches)
    assert len(got) == 3000 and got[-1][0].shape == (2, 1)


def test_a_frame_crosses_a_real_socket_in_pieces():
    # a small send buffer forces partial sends across the frame's buffers; more arrays than one
    # sendmsg call takes (1,024 buffers); a frame over the preallocation size is read in chunks
    import socket
    import threading

    value = {"big": np.random.default_rng(0).random((700, 1000)), "many": [np.full(2, i) for i in range(2500)],
             "empty": np.zeros((0, 3)), "huge": np.ones(2_200_000)}
    left, right = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    left.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 8192)
    sender = threading.Thread(target=protocol.send, args=(left, value))
    sender.start()
    got = protocol.receive(right)
    sender.join()
    np.testing.assert_array_equal(got["big"], value["big"])
    assert [int(a[0]) for a in got["many"]] == list(range(2500)) and got["empty"].shape == (0, 3)
    assert got["huge"].sum() == 2_200_000 and got["big"].flags.writeable
    left.close()
    right.close()
