"""The wheel carries the bundled seeds as package data (``bot/seeds``).

pyproject.toml cannot map the top-level ``seeds/`` folder into a package, so the build
copies it into the built ``bot`` package. A build from a partial copy of the tree (the
Docker image's, which keeps its corpus in /data/corpus) has no seeds and needs none.
Everything else about the package is in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SEEDS = Path(__file__).resolve().parent / "seeds"


class BuildWithSeeds(build_py):
    """build_py, then the seeds into bot/seeds."""

    def run(self) -> None:
        super().run()
        if SEEDS.is_dir() and not self.editable_mode:
            shutil.copytree(SEEDS, Path(self.build_lib, "bot", "seeds"), dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithSeeds})
