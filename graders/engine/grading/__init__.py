"""Judging, in the trusted process: the suite API checks are written in (``suite``), the verdicts
on decoded data (``judge``, ``tolerances``), where expected values come from (``oracle``, frozen
``expectations``), running checks against a worker or in-process (``runner``, ``inprocess``),
reading submissions (``submission``) and grading a whole class (``classrun``)."""
