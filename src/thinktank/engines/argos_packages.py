"""Argos model packages: list, install from the package index or from a file.

A thin layer over argostranslate's own ``package`` module, so packages land
where argostranslate expects them (``ARGOS_PACKAGES_DIR``) and the index can
be argos' public one or a local ``file://`` index. Imports are lazy.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import EngineError

SOURCE = "en"


@dataclass(frozen=True)
class ModelInfo:
    name: str
    """argospm name, e.g. "translate-en_tr"."""
    version: str
    source: str
    target: str
    installed: bool


NOT_INSTALLED = "argostranslate is not installed; install the engine with: pip install -e '.[argos]'"


def _argos_package() -> Any:
    try:
        from argostranslate import package
    except ImportError:
        raise EngineError(None, NOT_INSTALLED) from None
    return package


def describe(pkg: Any) -> str:
    """Provenance string of a package: "translate-en_tr 1.9"."""
    return f"{_argos_package().argospm_package_name(pkg)} {pkg.package_version}"


def installed_package(source: str, target: str) -> Any | None:
    """The newest installed package for ``source``→``target``, or None."""
    from packaging.version import InvalidVersion, Version

    def version(pkg: Any) -> Version:
        try:
            return Version(pkg.package_version)
        except InvalidVersion:
            return Version("0")

    matches = [pkg for pkg in _installed() if pkg.from_code == source and pkg.to_code == target]
    return max(matches, key=version) if matches else None


def _installed() -> list[Any]:
    try:
        return list(_argos_package().get_installed_packages())
    except FileNotFoundError as exc:  # a package folder without metadata.json
        raise EngineError(None, f"broken argos package folder: {exc}") from exc


def list_models(index: str | None = None) -> list[ModelInfo]:
    """Installed packages, plus those the index offers when ``index`` is given."""
    package = _argos_package()
    models = [ModelInfo(package.argospm_package_name(p), p.package_version, p.from_code, p.to_code, True)
              for p in _installed()]
    if index is not None:
        names = {(m.name, m.version) for m in models}
        for p in _available(index):
            key = (package.argospm_package_name(p), p.package_version)
            if key not in names:
                models.append(ModelInfo(key[0], key[1], p.from_code, p.to_code, False))
    return sorted(models, key=lambda m: (m.source, m.target, not m.installed, m.version))


def index_url(index: str) -> str:
    """The index.json URL for an index given as a folder URL, a file URL or a path."""
    if "://" not in index:
        index = Path(index).resolve().as_uri()
    return index if index.endswith(".json") else index.rstrip("/") + "/index.json"


def _available(index: str) -> list[Any]:
    package = _argos_package()
    from argostranslate import settings

    settings.remote_package_index = index_url(index)
    Path(settings.local_package_index).unlink(missing_ok=True)
    package.update_package_index()
    if not Path(settings.local_package_index).exists():
        raise EngineError(None, f"could not read the package index {settings.remote_package_index}")
    try:
        return list(package.get_available_packages())
    except (ValueError, KeyError, TypeError) as exc:
        raise EngineError(None, f"package index {settings.remote_package_index} is not valid: {exc}") from exc


def install_languages(targets: list[str], index: str) -> list[str]:
    """Install the en→target package of each language from ``index``; returns what was installed."""
    available = _available(index)
    chosen = []
    for target in targets:
        matches = [p for p in available if p.from_code == SOURCE and p.to_code == target]
        if not matches:
            raise EngineError(None, f"the package index offers no {SOURCE}→{target} model")
        chosen.append(matches[-1])
    installed = []
    for pkg in chosen:
        with tempfile.TemporaryDirectory() as tmp:
            installed.append(install_file(_download(pkg, Path(tmp))))
    return installed


def _download(pkg: Any, folder: Path) -> Path:
    """The package file: copied for file:// links, else argostranslate's own download."""
    for link in pkg.links:
        parsed = urllib.parse.urlparse(link)
        if parsed.scheme == "file":
            source = Path(urllib.request.url2pathname(parsed.path))
            if not source.exists():
                raise EngineError(source, "package file named by the index does not exist")
            target = folder / source.name
            shutil.copyfile(source, target)
            return target
    return Path(pkg.download())


def install_file(path: Path) -> str:
    """Install one ``.argosmodel`` file with argostranslate; returns its description."""
    metadata = _read_metadata(path)
    _argos_package().install_from_path(path)
    pkg = installed_package(metadata["from_code"], metadata["to_code"])
    if pkg is None:
        raise EngineError(path, "argostranslate did not install the package")
    return describe(pkg)


def _read_metadata(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise EngineError(path, "no such file")
    if not zipfile.is_zipfile(path):
        raise EngineError(path, "not an argos model (an .argosmodel file is a zip archive)")
    with zipfile.ZipFile(path) as archive:
        names = [name for name in archive.namelist() if name.count("/") == 1 and name.endswith("/metadata.json")]
        if not names:
            raise EngineError(path, "not an argos model: no <package>/metadata.json inside")
        try:
            metadata = json.loads(archive.read(names[0]))
        except ValueError as exc:
            raise EngineError(path, f"metadata.json is not valid JSON: {exc}") from exc
    if not isinstance(metadata, dict) or not metadata.get("from_code") or not metadata.get("to_code"):
        raise EngineError(path, "metadata.json names no from_code/to_code")
    return metadata
