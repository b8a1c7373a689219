"""A generated corpus of hostile and messy returns (see ``build.py``); nothing binary is committed."""
