"""The script `ftdraft app` hands to `streamlit run`: one run of the page."""

from ftdraft.ui import page_runner

page_runner()()
