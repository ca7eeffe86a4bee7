"""Everything that runs beside student code or speaks to it.

``zygote`` (the clean parent that forks workers), ``confine`` (namespaces, chroot, limits),
``worker`` (the runtime serving calls inside a worker) and ``protocol`` (the data-only wire format)
run in the untrusted worker process and import nothing of ``graders`` outside this package;
``parent`` is the trusted process's handle on the zygote and its workers. A test holds this in the
import graph (tests/test_architecture.py).
"""
