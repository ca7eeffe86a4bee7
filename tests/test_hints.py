"""Every known mistake of every assignment has its hint wording in templates/hints/."""
import importlib

import jinja2
import pytest

from graders.engine.grading.classrun import ASSIGNMENTS
from graders.engine.reports.records import Hint
from graders.engine.reports.render import environment


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_known_mistake_has_a_hint(assignment):
    mistakes = importlib.import_module(f"solutions.{assignment}").MISTAKES
    module = environment().get_template(f"hints/{assignment}.j2").module
    for variants in mistakes.values():
        for mistake in variants:
            macro = getattr(module, mistake.hint, None)
            assert isinstance(macro, jinja2.runtime.Macro), f"{assignment}: no hint macro {mistake.hint!r}"
            assert len(str(macro(**Hint(mistake.hint, dict(mistake.args)).args)).strip()) > 40
