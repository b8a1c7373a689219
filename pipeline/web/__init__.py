"""``dti serve``: the units' upload page and the analyst's page (Flask, run by waitress).

- :mod:`.links` — the private links: issued (only the token's hash stored), found, revoked;
- :mod:`.app` — the pages and their routes; :mod:`.security` — headers, CSRF, rate limit, the
  access log; :mod:`.pages` — what the pages show, read from the store;
- :mod:`.uploads` — an upload from its body to the store and its feedback; :mod:`.worker` — the
  guard and reader in capped worker processes;
- :mod:`.serve` — the production server (waitress) and its logging.
"""
