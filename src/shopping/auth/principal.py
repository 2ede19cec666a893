"""Who is calling. The class lives in `kit` (the `ApiCall` every service takes carries it, and
`kit` imports no domain); this is the name the auth domain and its users know it by."""

from __future__ import annotations

from shopping.kit.principal import Principal as Principal
