"""Image work without Qt and without SQL: reading scanned paper forms (issue 16).

OpenCV and numpy are imported inside the functions that use them, never at start-up.
"""
