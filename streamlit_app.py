"""ftdraft's page from the checkout: `streamlit run streamlit_app.py`. The page itself is ftdraft/ui/page.py
(inside the package, so an installed wheel serves the same page with `ftdraft app`).

One file, two roles. `streamlit run` finds `app` (an st.App) and imports this file once as the server starts:
the page's code and the database then load in the background (ftdraft/ui/preload.py) while the first browser
loads Streamlit's scripts. Each browser session runs this same file as the page script, inside a script run.
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
