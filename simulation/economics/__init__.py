"""Health-economic evaluation: costs of illness and perspectives, discounting, and the incremental
analysis across strategies (`simulation.economics.incremental`).

Kept free of imports from the rest of the package at module level, so that the parameter groups
(`simulation.economics.costs`) can be assembled into `simulation.parameters` without a cycle.
"""
