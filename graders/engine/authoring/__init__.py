"""From the single source ``solutions/<name>.py`` to what students and course admins get: reading the
source (``source``), the derived stub and notebooks (``derive``), the release bundle (``release``) and
the nbgrader course source (``nbgrader``)."""
