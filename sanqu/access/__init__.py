"""Who may see what: the access file (users; links and audit live beside them), identities, scopes.

No streamlit here: `ui/identity.py` resolves the viewer of a script run with these functions.
"""
