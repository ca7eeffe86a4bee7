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
#: on the digits test set: proof that the loop trains, not a race. The reference, which reshuffles
#: every epoch, reaches 0.931; the course's own loop, which never shuffles, 0.801 (measured on the
#: mid-2021 release's model); a loss read the wrong way round gives 0.431, probabilities taken for
#: logits 0.097, chance is 0.167.
TRAINED_TEST_ACCURACY = 0.70
#: Cosine between a student's and the reference's parameter movement over the training-step check
#: below which the student's step goes up the gradient (gradient descent moving the same way is +1).
ASCENT_COSINE = -0.5

# ------------------------------------------------------------------------------ gradient_checking
#: A gradient check's returned difference against the reference's on the same inputs passes when
#: |got - want| <= GC_DIFFERENCE_RTOL * |want| + a rounding allowance. The allowance is what
#: rounding in the cost can move a two-sided difference by, GC_ROUNDING * 2**-52 * sqrt(n) *
#: max(1, |J|) / (epsilon * ||grad||) for n parameters, cost J and exact gradient grad: at the
#: default epsilon = 1e-7 the difference of correct gradients is rounding noise (the course's
#: 1.19e-07), and any value within the allowance is as right as the reference's.
GC_DIFFERENCE_RTOL = 1e-6
GC_ROUNDING = 64.0
#: How far ``parameters`` may be from their values before a gradient check (perturbing an entry in
#: place and restoring it by subtraction rounds; not restoring it moves it by epsilon = 1e-3).
GC_RESTORED = Tolerance(rtol=1e-12, atol=1e-15)

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

# --------------------------------------------------------------------------------- initialization
#: Random initial weights are judged per layer by statistics whose sampling error is known for n
#: normal draws: the mean (standard error 1 / sqrt(n) in units of the intended standard deviation)
#: and the ratio of the standard deviation to the intended one (standard error 1 / sqrt(2 n)). Each
#: may stray by INIT_SIGMAS standard errors: a correct draw fails with probability about 2e-9 per
#: statistic, while the known wrong spreads (Xavier's is 0.71 of He's) are off by many more.
INIT_SIGMAS = 6.0
#: Normality: the Kolmogorov-Smirnov distance between the pooled standardized weights (n values)
#: and the standard normal distribution must stay below INIT_KS / sqrt(n); a normal sample exceeds
#: it with probability below 1e-5 (standardizing with the sample's own mean and deviation only makes
#: the distance smaller), a uniform draw is about 0.06 away (0.008 is the bound for 100k values).
INIT_KS = 2.5
#: Fraction of a layer's weights that must be distinct values (float32 draws of 440k values
#: coincide in 0.3%, fewer for smaller layers; a constant or a tiled row or column is far below).
INIT_DISTINCT = 0.99
#: Fraction of a layer's weights (divided by their intended spread, rounded to 9 decimals) that may
#: also occur in another layer; independent draws share none, re-seeding before every layer shares
#: all of the smaller layer's.
INIT_SHARED = 0.5
#: The He training check: rounds of HE_TRAIN_ITERATIONS full-batch steps of HE_TRAIN_LEARNING_RATE
#: on the circles from the student's He weights, at most HE_TRAIN_ROUNDS, must reach a training
#: accuracy of HE_TRAIN_ACCURACY. Measured over correct He draws (Generator seeds): 68% pass after
#: 500 steps, 97-98% after 1000, all 400 after 2000 (the lowest best accuracy is 0.973); He weights
#: times ten never pass within 3000 steps (80 draws, best 0.797), constant weights stay near 0.5.
#: A single short run is not safe: a few percent of correct draws start slowly, and even the
#: course's 15,000 steps of 0.01 leave about 2% of them below 85% (at least 9 of 400).
HE_TRAIN_ITERATIONS = 500
HE_TRAIN_ROUNDS = 6
HE_TRAIN_LEARNING_RATE = 0.3
HE_TRAIN_ACCURACY = 0.9
