"""Writers of the grading run's outputs, one module per format (see comprende.classgrade).

They sit at the edge: each takes plain results and returns or writes text; none grades.
"""
