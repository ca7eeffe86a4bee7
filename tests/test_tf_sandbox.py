"""TensorFlow in the sandbox: workers forked from a zygote that imported TensorFlow (and ran no
op) use it at once; tensors travel as data both ways; the grading process never imports it."""
import subprocess
import sys
import time

import numpy as np
import pytest

from graders.engine.sandbox.confine import Limits
from graders.engine.sandbox.parent import Zygote
from graders.engine.sandbox.protocol import AsTF, TFValue

CODE = '''
import tensorflow as tf

def scale(x, v):
    v.assign(v * 2.0)
    return x * 3.0, v, tf.constant([1, 2], dtype=tf.int64)

def step(x):
    w = tf.Variable(tf.ones((3, 1)))
    opt = tf.keras.optimizers.Adam(0.1)
    @tf.function
    def inner():
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.matmul(tf.transpose(w), x) ** 2)
        opt.apply_gradients(zip(tape.gradient(loss, [w]), [w]))
        return loss
    return inner(), w

def scikit_learn():
    import sys
    imported_by_tensorflow = "sklearn" in sys.modules
    from sklearn.preprocessing import OneHotEncoder
    return imported_by_tensorflow, OneHotEncoder(sparse_output=False).fit_transform([[0], [2]]).tolist()
'''


@pytest.fixture(scope="module")
def zygote():
    with Zygote((), limits=Limits(call_seconds=60, address_space=4 << 30, processes=256), warm=("tensorflow",)) as z:
        yield z


def test_tensors_travel_as_data_both_ways(zygote):
    worker = zygote.spawn()
    assert worker.request({"op": "load", "cells": [["f", CODE]], "keep_all": True}, 30)["functions"]
    x = AsTF("constant", np.ones((2, 2), dtype=np.float32))
    v = AsTF("variable", np.full((2,), 5.0, dtype=np.float32))
    answer = worker.request({"op": "call", "fn": "scale", "args": [x, v], "kwargs": {}}, 30)
    times, variable, ints = answer["value"]
    assert isinstance(times, TFValue) and not times.is_variable and times.array.dtype == np.float32
    np.testing.assert_array_equal(times.array, np.full((2, 2), 3.0))
    assert variable.is_variable and variable.array.tolist() == [10.0, 10.0]
    assert ints.array.dtype == np.int64
    worker.close()


def test_many_consecutive_tf_function_workers_neither_hang_nor_leak(zygote):
    x = AsTF("constant", np.arange(6, dtype=np.float32).reshape(3, 2))
    start = time.monotonic()
    for _ in range(20):
        worker = zygote.spawn()
        worker.request({"op": "load", "cells": [["f", CODE]], "keep_all": True}, 30)
        loss, w = worker.request({"op": "call", "fn": "step", "args": [x], "kwargs": {}}, 30)["value"]
        assert np.isfinite(loss.array) and w.is_variable
        worker.close()
    assert time.monotonic() - start < 60


def test_tensorflow_is_imported_without_scikit_learn_which_a_student_can_still_import(zygote):
    # Keras imports scikit-learn for wrappers no grading uses (about 1 s of the import): the
    # zygote imports TensorFlow without it, and a student's own `import sklearn` still works
    worker = zygote.spawn()
    worker.request({"op": "load", "cells": [["f", CODE]], "keep_all": True}, 30)
    answer = worker.request({"op": "call", "fn": "scikit_learn", "args": [], "kwargs": {}}, 60)
    assert answer["value"] == (False, [[1.0, 0.0], [0.0, 1.0]])
    worker.close()


def test_the_grading_process_imports_tensorflow_for_the_reference_without_scikit_learn():
    probe = ("import sys; from graders.engine.grading.classrun import lean_packages, load_suite; "
             "from graders.engine.grading.oracle import LiveOracle; "
             "LiveOracle('tf_intro', lean_packages(load_suite('tf_intro'))); "
             "print('tensorflow' in sys.modules, 'sklearn' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert run.stdout.split() == ["True", "False"], run.stderr[-2000:]


def test_the_grading_process_does_not_import_tensorflow():
    probe = "import sys, graders.engine.grading.runner, graders.engine.sandbox.parent, graders.engine.grading.judge; print('tensorflow' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True).stdout.strip() == "False"
