"""What a grade becomes: immutable records (``records``), their rendering through the Jinja
templates (``render``), the gradebook exports (``gradebook``) and the resumable on-disk store
(``store``)."""
