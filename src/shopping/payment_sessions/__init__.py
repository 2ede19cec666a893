"""Payment (checkout) sessions started for order lines (reference §3.12, §10.26).

Named so they never clash with database sessions.
"""
