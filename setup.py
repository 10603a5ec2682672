"""Package discovery, kept here because pyproject.toml cannot map one folder into a package.

The bundled seeds live in the top-level ``seeds/`` folder (the default corpus of a source
checkout) and ship in the wheel as the package data ``bot/seeds``, so an installed
quotebot finds them from any working directory. Everything else is in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["bot", "bot.*", "retrieval", "retrieval.*"]), "bot.seeds"],
    package_dir={"bot.seeds": "seeds"},
)
