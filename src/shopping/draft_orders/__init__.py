"""Draft orders ("carts"): create, read, list, update, and edit their item lines."""
