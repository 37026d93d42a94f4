"""Closed forms, pure numpy/scipy, one module per paper key (``dropmc.theory.<paper_key>``).

Each function's docstring quotes the printed equation and its number. Nothing here knows
about claims or samplers.
"""
