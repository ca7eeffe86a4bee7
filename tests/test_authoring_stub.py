"""A solution region with its own stub text (code handed out for the student to fix), in
graders.engine.authoring.source. Used by the Gradient Checking assignment (backward_propagation_n is
handed out with two planted bugs)."""
from __future__ import annotations

import textwrap

import pytest

from graders.engine.authoring import derive, source

# The marker strings are written out here on purpose: this file never ships.
SOURCE = textwrap.dedent('''\
    # %%
    def double(x):
        """Twice x."""
        ### BEGIN SOLUTION
        result = 2 * x
        return result
        ### BEGIN STUB
        # result = 3 * x  # handed out with a bug
        #
        # return result
        ### END STUB
        ### END SOLUTION


    # %%
    def square(x):
        """x squared."""
        ### BEGIN SOLUTION
        return x * x
        ### END SOLUTION
''')


def test_a_region_with_a_stub_block_hands_out_that_block():
    stub = derive.derive_stub(SOURCE)
    assert "    result = 3 * x  # handed out with a bug\n\n    return result\n" in stub
    assert "2 * x" not in stub and "STUB" not in stub and "SOLUTION" not in stub
    assert stub.count("raise NotImplementedError()") == 1  # square keeps the default stub
    namespace: dict = {}
    exec(stub, namespace)
    assert namespace["double"](2) == 6


def test_the_notebook_shows_the_block_and_keeps_a_check_cell():
    nb = derive.derive_notebook(SOURCE, "demo")
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "result = 3 * x" in code and "result = 2 * x" not in code
    assert 'check("demo", double)' in code


def test_region_lines_leave_out_what_the_stub_hands_out():
    secret = set(source.iter_region_lines(SOURCE))
    assert "result = 2 * x" in secret and "return x * x" in secret
    assert "return result" not in secret  # handed out in the stub too
    assert not any("3 * x" in line for line in secret)


@pytest.mark.parametrize("bad", [
    SOURCE.replace("    # result = 3 * x", "    result = 3 * x"),  # a stub line that is not a comment
    SOURCE.replace("    ### END STUB\n", ""),  # never closed
    SOURCE.replace("    ### END STUB\n    ### END SOLUTION\n", "    ### END STUB\n    pass\n    ### END SOLUTION\n"),
    SOURCE + "# ### BEGIN STUB\n",  # outside a region
])
def test_malformed_stub_blocks_are_errors(bad):
    with pytest.raises(source.BuildError):
        derive.derive_stub(bad)
