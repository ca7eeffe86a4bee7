"""Pieces of the Regularization grader that judge what a training driver sends back."""
import pytest

from graders.engine.grading.judge import CheckFailed
from graders.engine.sandbox.protocol import Unsupported
from graders.regularization import PARAMETERS, train_run


class Answers:
    """A stand-in for a worker: every drive returns the same (already decoded) answer."""

    check = ""

    def __init__(self, answer):
        self.answer = answer

    def drive(self, driver, args, kwargs, seconds):
        return self.answer


@pytest.mark.parametrize("answer", [Unsupported("Rigged"), ({}, []), ({k: 0 for k in PARAMETERS}, [])])
def test_a_rigged_training_result_is_a_wrong_answer_not_a_grader_error(answer):
    with pytest.raises(CheckFailed):
        train_run(Answers(answer), "yours", {"lambd": 0.7}, 10)


def test_costs_that_are_not_a_list_are_a_wrong_answer():
    import numpy as np

    parameters = {"W1": np.zeros((20, 2)), "b1": np.zeros((20, 1)), "W2": np.zeros((3, 20)),
                  "b2": np.zeros((3, 1)), "W3": np.zeros((1, 3)), "b3": np.zeros((1, 1))}
    with pytest.raises(CheckFailed):
        train_run(Answers((parameters, Unsupported("Rigged"))), "yours", {"lambd": 0.7}, 10)
