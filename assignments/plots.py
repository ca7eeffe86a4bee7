"""Plots the numpy assignments share (student side): decision regions of a 2-D classifier, cost
curves, and rendering a figure to PNG for reports.

matplotlib is imported inside each function (workers preload only numpy); the figures use the
object-oriented API and no pyplot state, except ``plot_decision_boundary``, which is for notebooks.
"""

import numpy as np

from assignments.network import predict_dec


def decision_grid(parameters, X, steps=200, margin=0.1):
    """A network's predictions on the steps x steps grid that its decision-region plot fills.

    Arguments:
    parameters -- dict of the trained network, or a callable mapping points of shape (k, 2) to k
                  predictions
    X -- the points the plot shows, shape (2, m): the grid covers them plus ``margin``

    Returns:
    xx, yy -- the grid's coordinates, each (steps, steps)
    zz -- the predicted class at each grid point, (steps, steps) floats
    """
    if callable(parameters):
        predict_fn = parameters
    else:
        predict_fn = lambda points: predict_dec(parameters, points.T)  # noqa: E731
    X = np.asarray(X, dtype=float)
    x_min, x_max = X[0, :].min() - margin, X[0, :].max() + margin
    y_min, y_max = X[1, :].min() - margin, X[1, :].max() + margin
    xx, yy = np.meshgrid(np.linspace(x_min, x_max, steps), np.linspace(y_min, y_max, steps))
    points = np.c_[xx.ravel(), yy.ravel()]
    zz = np.asarray(predict_fn(points), dtype=float).reshape(xx.shape)
    return xx, yy, zz


def _draw_decision_boundary(ax, parameters, X, Y, title):
    """Draw the filled decision regions and the labelled points of X (2, m), Y (1, m) on ax."""
    X = np.asarray(X, dtype=float)
    xx, yy, zz = decision_grid(parameters, X)
    ax.contourf(xx, yy, zz, levels=[-0.5, 0.5, 1.5], cmap="Spectral", alpha=0.8)
    ax.scatter(X[0, :], X[1, :], c=np.ravel(Y), cmap="Spectral", s=18, edgecolors="k",
               linewidths=0.4)
    ax.set_xlim(xx.min(), xx.max())
    ax.set_ylim(yy.min(), yy.max())
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    if title:
        ax.set_title(title)


def decision_boundary_figure(parameters, X, Y, title):
    """A figure of the network's decision regions with the labelled points on top.

    Arguments:
    parameters -- dict of the trained network (see forward_propagation), or a callable mapping points
                  of shape (k, 2) to k predictions (the course's ``lambda x: predict_dec(p, x.T)``)
    X -- points to draw, shape (2, m)
    Y -- their labels (0 or 1), shape (1, m)
    title -- the figure's title

    Returns:
    fig -- a matplotlib.figure.Figure (not registered with pyplot; render it with figure_png)
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5, 4))
    ax = fig.add_subplot(1, 1, 1)
    _draw_decision_boundary(ax, parameters, X, Y, title)
    fig.tight_layout()
    return fig


def decision_boundaries_figure(panels, X, Y):
    """Decision regions of several networks side by side (e.g. yours beside the reference's).

    Arguments:
    panels -- sequence of k (title, parameters) pairs
    X -- points to draw, shape (2, m)
    Y -- their labels (0 or 1), shape (1, m)

    Returns:
    fig -- a matplotlib.figure.Figure with k panels in one row
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4 * len(panels), 3.6))
    for i, (title, parameters) in enumerate(panels):
        _draw_decision_boundary(fig.add_subplot(1, len(panels), i + 1), parameters, X, Y, title)
    fig.subplots_adjust(left=0.1, right=0.97, bottom=0.14, top=0.9, wspace=0.3)  # tight_layout costs 0.1 s
    return fig


def cost_curve_figure(costs, title, record_every=1000):
    """A figure of the recorded training cost against the iteration number.

    Arguments:
    costs -- sequence of k floats, the cost at iterations 0, record_every, ..., (k - 1) * record_every
    title -- the figure's title
    record_every -- number of iterations between two recorded costs

    Returns:
    fig -- a matplotlib.figure.Figure (not registered with pyplot; render it with figure_png)
    """
    from matplotlib.figure import Figure

    costs = np.asarray(costs, dtype=float).ravel()
    fig = Figure(figsize=(5, 3.5))
    ax = fig.add_subplot(1, 1, 1)
    ax.plot(np.arange(costs.size) * record_every, costs)
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def figure_png(fig, dpi=80):
    """Render a figure to PNG with the Agg canvas (no display, no pyplot state).

    Arguments:
    fig -- a matplotlib.figure.Figure
    dpi -- resolution; 80 keeps the images small enough to embed in reports

    Returns:
    png -- bytes of a PNG file (they start with b"\\x89PNG")
    """
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)  # attaches an Agg canvas to the figure
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def plot_decision_boundary(parameters, X, Y, title=""):
    """Show the decision regions of a network with pyplot, for notebooks.

    Arguments:
    parameters -- dict of the trained network, or a callable mapping points of shape (k, 2) to k
                  predictions (the course's ``lambda x: predict_dec(parameters, x.T)``)
    X -- points to draw, shape (2, m)
    Y -- their labels (0 or 1), shape (1, m)
    title -- optional title

    Returns:
    None (the figure is shown with matplotlib.pyplot.show)
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 4))
    _draw_decision_boundary(ax, parameters, X, Y, title)
    plt.show()
