"""The grading engine; it knows no assignment. Its rooms: ``sandbox`` (runs beside student code),
``grading`` (judges, trusted), ``reports`` (records and their renderings), ``authoring`` (derives
student files and bundles from the single source)."""
