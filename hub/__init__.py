"""The class hub: JupyterHub on one machine for a class (README.md, "Class hub").

JupyterHub loads hub/jupyterhub_config.py by path; the rest are modules of this package.
"""
