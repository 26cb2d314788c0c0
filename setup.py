"""Build hook only (the project is described in pyproject.toml): a wheel carries the top-level
``rules/`` and ``features/`` folders as ``engine/_shipped/``, where ``engine.shipped`` finds them
once installed. Drafters keep editing the top-level folders."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithShippedData(build_py):
    def run(self) -> None:
        super().run()
        root = Path(__file__).resolve().parent
        target = Path(self.build_lib) / "engine" / "_shipped"
        for name in ("rules", "features"):
            if (root / name).is_dir():
                shutil.rmtree(target / name, ignore_errors=True)
                shutil.copytree(root / name, target / name, ignore=shutil.ignore_patterns("__pycache__", ".*"))


setup(cmdclass={"build_py": BuildWithShippedData})
