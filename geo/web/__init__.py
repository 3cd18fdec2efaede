"""The app's map and panels built from layer frames with folium (no streamlit here)."""
