"""The core of almen: models, money, the Danish legal calendar, balances and allocation.

This package imports nothing else from the project.
"""
