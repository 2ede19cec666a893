"""A local Dintero Checkout: sessions, the hosted payment page, transactions and callbacks."""
