"""The Streamlit page, inside the package so a wheel carries it: page.run() draws one run of it."""
