"""Streamlit-side helpers: cached data access, the shared sidebar, common widgets."""
