"""Payment operations: authorizations, captures, refunds and cancellations of order lines."""
