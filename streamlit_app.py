"""ftdraft's page from the checkout: `streamlit run streamlit_app.py`. The page itself is ftdraft/ui/page.py
(inside the package, so an installed wheel serves the same page with `ftdraft app`)."""

from ftdraft.ui import page_runner

page_runner()()
