"""A student's server: jupyterhub-singleuser without two costs paid at every start for nothing.

    python -m hub.singleuser [jupyterhub-singleuser's options]     # the hub's Spawner.cmd

Profiled (`make hub-benchmark`, README.md "Class hub"), a server start spent about a third of its
CPU on two things a student's server never uses:
- rfc3987_syntax, which jsonschema imports to check the "iri" formats, builds 38 Lark parsers when it
  is imported (1.1-1.6 s); Jupyter's event schemas use no such format, and without the module
  jsonschema simply does not check it;
- JupyterLab asks Node for yarn's registry when it is imported (a Node process, about 0.3 s of CPU);
  a registry is for building JupyterLab extensions, which a student's server never does.
"""

import sys

sys.modules["rfc3987_syntax"] = None  # import fails at once; jsonschema then skips that format


def _no_yarn_config(logger=None):
    return {"yarn config": {}, "npm config": {}}


def main() -> int:
    import jupyterlab.commands

    jupyterlab.commands._yarn_config = _no_yarn_config
    from jupyterhub.singleuser import main as singleuser

    return singleuser()


if __name__ == "__main__":
    sys.exit(main())
