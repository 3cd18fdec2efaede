"""The Streamlit app's parts: small *_ui() helpers and cached loaders (with app.py, the only code that imports streamlit)."""
