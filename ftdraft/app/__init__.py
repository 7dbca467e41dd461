"""The packaged app entry: `ftdraft app` runs `streamlit run` on main.py here.

Streamlit puts the entry script's folder first on sys.path, so this folder holds nothing else: no module of
ftdraft can shadow another package's name.
"""
