"""Every numeric tolerance used in judging, in one place. Feedback quotes the one it used."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tolerance:
    """Elementwise closeness: |got - want| <= atol + rtol * |want| (numpy.isclose)."""

    rtol: float
    atol: float


#: Values against the reference (float64 numpy code; any equivalent formula passes).
VALUES = Tolerance(rtol=1e-5, atol=1e-8)
#: Relations a correct cache satisfies exactly up to rounding (Z1 == W1 X + b1, ...).
CONSISTENCY = Tolerance(rtol=1e-6, atol=1e-9)
#: Relative error ||g - g_fd|| / (||g|| + ||g_fd||) allowed between a gradient and central finite
#: differences of the cost (float64, step FD_STEP).
GRADIENT_CHECK = 1e-5
FD_STEP = 1e-6
#: How far the fraction of units a dropout mask keeps may stray from keep_prob on the large
#: statistics input (over 100k units: six standard deviations is about 0.009).
KEEP_FRACTION = 0.012
#: Values computed in float32 by TensorFlow (any equivalent formula or op order passes).
FLOAT32 = Tolerance(rtol=1e-4, atol=1e-5)
#: How far the spread of initial weights, in units of the Glorot-normal standard deviation, may be
#: from 1 (over the 300k pooled weights, sampling error is below 0.01).
GLOROT_STD = 0.05
#: Test accuracy three epochs of the student's model (Adam 0.0001, mini-batches of 32) must reach
#: on the digits test set (the reference reaches 0.931; softmax at the output gives 0.833).
TRAINED_TEST_ACCURACY = 0.88

# ----------------------------------------------------------------------------------- optimization
#: Update rules (gd, momentum, RMSprop, Adam) are judged with VALUES one step at a time, each step
#: from the reference's state after the step before, so rounding cannot pile up over a sequence.
#: The experiment check: ADAM_EXPERIMENT_STEPS full-batch steps on the moons at this learning rate,
#: from the He initialization. The reference's gradient descent ends at a mean cost of
#: ADAM_EXPERIMENT_GD_COST and its Adam at 0.184; a student's Adam must end at or below
#: ADAM_EXPERIMENT_COST, half of the reference's gain over gradient descent (so the trajectory's
#: rounding, where Adam moves an entry with a near-zero gradient by about the learning rate either
#: way, cannot decide it: correct variants end within 0.01 of the reference).
ADAM_EXPERIMENT_STEPS = 200
ADAM_EXPERIMENT_LEARNING_RATE = 0.01
ADAM_EXPERIMENT_GD_COST = 0.682
ADAM_EXPERIMENT_COST = 0.43
