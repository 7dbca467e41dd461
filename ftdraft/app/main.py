"""The script `ftdraft app` hands to `streamlit run`: the server's st.App and one run of the page.

Like the checkout's streamlit_app.py: imported once as the server starts (no script run: `app`, and the page's
code and the database load in the background, ftdraft/ui/preload.py), then run as the page script per session.
"""

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

if get_script_run_ctx(suppress_warning=True) is None:  # the server starting, not a session
    from ftdraft.ui.preload import start

    start()
    app = st.App(__file__)
else:
    from ftdraft.ui.page import run

    run()
