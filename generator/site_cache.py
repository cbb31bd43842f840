"""Incremental ``mkdocs build``: render only the pages whose inputs changed, copy the rest.

A year of papers is about 14,000 pages and MkDocs renders every one of them on
every build (about 150 s). Almost all of them are generated pages that are not
in the navigation and are excluded from the theme's search (``not_in_nav`` in
mkdocs.yml, ``search: exclude`` in their front matter): the HTML of such a page
is a function of

- the *global inputs*: mkdocs.yml as MkDocs resolved it (``SITE_URL``
  included), the theme overrides, the hand-written files of docs/, the code
  and templates of the generator (the hook is part of it), the installed
  distributions and their versions, and the Python version;
- the navigation *as the theme renders it*: its items' titles and URLs, and
  ``404.html`` as this build rendered it (the theme's page layout around the
  navigation with no page in it: whatever a theme shows of the nav pages, such
  as their front matter's icon or status, shows there too);
- the page's own Markdown bytes;
- the answers MkDocs gave while rendering it to "which file is at this path?"
  (a link's target exists or not, and its URL).

Each rendered page is recorded in a state file (``DAILY_PAPERS_SITE_STATE``)
with those inputs and the hash of the HTML it produced. The next build
(``DAILY_PAPERS_PREVIOUS_SITE`` names the folder the previous build went to)
skips MkDocs' per-page work for every page whose recorded inputs are all equal
and whose previous HTML file still has the recorded hash, and links or copies
that file instead: the bytes are the ones MkDocs produced from the same inputs,
so the site equals a full build by construction. A state that does not match
the previous folder (a failed build, a cache from elsewhere) can only make
pages be rendered again, never copied wrong.

Everything else MkDocs does runs as in a full build: the site folder is
cleaned, every file is read into ``Files`` and every page gets its ``Page``
(so the sitemap lists all of them), static files are copied (the generated
ones under search/ and cards/ are linked by the hook), ``404.html`` and
``sitemap.xml`` are rendered, pages in the navigation and every page that is
not cacheable (in the search index, a draft, or one that logged a warning) are
rendered, and the search plugin indexes what it indexes in a full build. A
skipped page gets back its title and anchors (``present_anchor_ids``,
``links_to_anchors``) so that anchor validation reports what a full build
reports.

MkDocs has no API for skipping a page: this wraps the module functions
``mkdocs.commands.build._populate_page`` and ``_build_page`` for the length of
one build, after checking MkDocs' version and their signatures; anything
unexpected (another MkDocs, another plugin that may collect pages, ``serve``,
``--dirty``) gives a full build, as without the cache.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import inspect
import json
import logging
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path

from generator import paths
from generator.assets import link_or_copy
from generator.store import write_atomic

log = logging.getLogger("mkdocs.hooks.generator")

ROOT = Path(__file__).resolve().parent.parent

STATE_ENV = "DAILY_PAPERS_SITE_STATE"
PREVIOUS_SITE_ENV = "DAILY_PAPERS_PREVIOUS_SITE"

FORMAT = 1  # of the state file; part of the global key
# The MkDocs versions whose build loop this was written against (commands/build.py).
SUPPORTED_MKDOCS = ("1.6.0", "1.6.1")
POPULATE_PARAMETERS = ["page", "config", "files", "dirty"]
BUILD_PARAMETERS = ["page", "config", "doc_files", "nav", "env", "dirty", "excluded"]
# Plugins known to look at a page only while it is built (or, search, only at pages it indexes).
PAGE_LOCAL_PLUGINS = frozenset({"search", "material/search"})
SEARCH_PLUGINS = PAGE_LOCAL_PLUGINS

# What the last build in this process did, for tests and the benchmark.
LAST_BUILD: dict = {}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read(path: str | os.PathLike | None) -> bytes | None:
    if path is None:
        return None
    try:
        with open(path, "rb") as stream:
            return stream.read()
    except OSError:
        return None


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def plain(value):
    """``value`` as JSON data that does not depend on the process (no object addresses)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted((plain(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True))
    if inspect.ismodule(value):
        return f"module {getattr(value, '__file__', None) or value.__name__}"
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    config = getattr(value, "config", None)
    if isinstance(config, Mapping):  # a plugin: its class and options
        return {"class": f"{type(value).__module__}.{type(value).__qualname__}", "config": plain(config)}
    return f"{type(value).__module__}.{type(value).__qualname__}:{_ADDRESS.sub('', str(value))}"


def _tree_files(folder: Path, keep=lambda relative: True):
    """(relative path, bytes) of every file under ``folder``, sorted; dot-names and ``__pycache__`` left out."""
    found = []
    for directory, folders, names in os.walk(folder):
        base = Path(directory)
        folders[:] = sorted(f for f in folders if not f.startswith(".") and f != "__pycache__")
        for name in sorted(names):
            if name.startswith("."):
                continue
            relative = (base / name).relative_to(folder).as_posix()
            if keep(relative):
                found.append((relative, _read(base / name)))
    return found


def installed_distributions() -> list[list[str]]:
    return sorted({(d.metadata["Name"] or "").lower(): d.version for d in importlib.metadata.distributions()}.items())


def global_inputs(config) -> dict:
    """Everything but the navigation and the page itself that a page's HTML may depend on, as JSON data."""
    docs = Path(config["docs_dir"])
    sources = {}
    folders = {"generator": ROOT / "generator", "templates": ROOT / "templates"}
    if config.theme.custom_dir:
        folders["theme"] = Path(config.theme.custom_dir)
    for name, folder in folders.items():
        sources[name] = {relative: _sha(data or b"") for relative, data in _tree_files(folder)}
    # Hand-written pages and assets (the generator's output is the pages' own input, or static).
    sources["docs"] = {
        relative: _sha(data or b"") for relative, data in _tree_files(docs, lambda relative: not paths.is_generated(relative))
    }
    sources["config_file"] = _sha(_read(config.config_file_path) or b"") if config.config_file_path else None
    sources["hooks"] = {name: _sha(_read(getattr(module, "__file__", "") or os.devnull) or b"") for name, module in config["hooks"].items()}
    settings = {key: plain(value) for key, value in config.items() if key not in ("site_dir", "docs_dir", "config_file_path")}
    return {
        "format": FORMAT,
        "python": sys.version,
        "distributions": installed_distributions(),
        "sources": sources,
        "config": settings,
    }


def _key(data) -> str:
    return _sha(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8"))


def unsupported_reason(config) -> str | None:
    """Why this MkDocs or configuration cannot be built incrementally, or None."""
    import mkdocs
    from mkdocs.commands import build as build_module
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

    if mkdocs.__version__ not in SUPPORTED_MKDOCS:
        return f"MkDocs {mkdocs.__version__} is not one of {', '.join(SUPPORTED_MKDOCS)}"
    try:
        populate = list(inspect.signature(build_module._populate_page).parameters)
        build = list(inspect.signature(build_module._build_page).parameters)
    except (AttributeError, TypeError, ValueError):
        return "MkDocs' build loop has changed"
    if populate != POPULATE_PARAMETERS or build != BUILD_PARAMETERS:
        return "MkDocs' build loop has changed"
    if not (hasattr(Files, "get_file_from_path") and hasattr(Page, "present_anchor_ids") and hasattr(Page, "links_to_anchors")):
        return "MkDocs' pages have changed"
    hook_files = {getattr(module, "__file__", None) for module in config["hooks"].values()}
    own_hook = str(ROOT / "generator" / "mkdocs_hook.py")
    others = [
        name for name in config.plugins
        if name not in PAGE_LOCAL_PLUGINS and not (name in config["hooks"] and getattr(config["hooks"][name], "__file__", None) == own_hook)
    ]
    if others:
        return f"plugins that may collect pages are configured: {', '.join(others)}"
    if hook_files - {own_hook}:
        return "other hooks are configured"
    return None


class SiteCache:
    """One incremental build: created at ``on_config``, finished at ``on_post_build`` (or dropped on error)."""

    def __init__(self, config, state_file: Path, previous_site: Path):
        self.config = config
        self.state_file = Path(state_file)
        self.previous_site = Path(previous_site)
        self.site_dir = Path(config["site_dir"])
        inputs = global_inputs(config)
        # One key per kind of input (each folder of sources apart), so that a full build says why.
        self.input_keys = {name: _key(value) for name, value in inputs.items() if name != "sources"}
        self.input_keys.update({f"sources/{name}": _key(value) for name, value in inputs["sources"].items()})
        self.inputs_key = _key(self.input_keys)
        self.state = self._load_state()
        self.reason = None if self.state is not None else "no previous build state"
        if self.state is not None and self.state.get("inputs") != self.inputs_key:
            previous = self.state.get("input_keys") if isinstance(self.state.get("input_keys"), dict) else {}
            changed = sorted(name for name in {*self.input_keys, *previous} if self.input_keys.get(name) != previous.get(name))
            self.reason = "global inputs changed: " + ", ".join(changed)
        self.nav_files: set[str] = set()
        self.key: str | None = None  # inputs + navigation, known when the first page is built
        self.search = any(name in SEARCH_PLUGINS for name in config.plugins)
        self.records: dict[str, dict] = {}
        self.tentative: dict[str, dict] = {}  # skipped at reading, to be copied (or read late) when built
        self.recording: dict[str, dict] = {}
        self.warned: set[str] = set()
        self.built: list[str] = []
        self.copied: list[str] = []
        self._installed = None
        self._counter = None
        self._found: dict[str, object] = {}  # path -> File or None: what the build's Files answer
        self._found_in = None  # the Files those answers came from

    # -- state -------------------------------------------------------------------------------

    def _load_state(self) -> dict | None:
        data = _read(self.state_file)
        if data is None:
            return None
        try:
            state = json.loads(data)
        except ValueError:
            return None
        if not isinstance(state, dict) or state.get("format") != FORMAT or not isinstance(state.get("pages"), dict):
            return None
        if self.previous_site.resolve() == self.site_dir.resolve():
            return None  # MkDocs cleans the site folder before pages are built
        return state

    # -- installing --------------------------------------------------------------------------

    def install(self) -> None:
        from mkdocs.commands import build as build_module

        original_populate, original_build = build_module._populate_page, build_module._build_page

        def populate(page, config, files, dirty=False):
            if self._installed is None or config is not self.config:
                return original_populate(page, config, files, dirty)
            return self._populate(original_populate, page, config, files, dirty)

        def build(page, config, doc_files, nav, env, dirty=False, excluded=False):
            if self._installed is None or config is not self.config:
                return original_build(page, config, doc_files, nav, env, dirty, excluded)
            return self._build(original_populate, original_build, page, config, doc_files, nav, env, dirty, excluded)

        self._installed = (build_module, original_populate, original_build, populate, build)
        build_module._populate_page, build_module._build_page = populate, build
        self._counter = _PageWarnings(self)
        logging.getLogger("mkdocs").addHandler(self._counter)

    def uninstall(self) -> None:
        if self._installed is None:
            return
        build_module, original_populate, original_build, populate, build = self._installed
        if build_module._populate_page is populate:
            build_module._populate_page = original_populate
        if build_module._build_page is build:
            build_module._build_page = original_build
        self._installed = None
        logging.getLogger("mkdocs").removeHandler(self._counter)

    # -- MkDocs events ---------------------------------------------------------------------------

    def on_nav(self, nav, files) -> None:
        self.files = files
        self.nav = nav
        self.nav_files = {page.file.src_uri for page in nav.pages}

    def _populate(self, original, page, config, files, dirty):
        uri = page.file.src_uri
        record = self._reusable(page, files) if self.reason is None else None
        if record is not None:
            self._restore(page, record, files)
            self.tentative[uri] = record
            return None
        return self._populate_recorded(original, page, config, files, dirty)

    def _populate_recorded(self, original, page, config, files, dirty):
        uri = page.file.src_uri
        lookups: dict[str, str | None] = {}
        lookup = files.get_file_from_path

        def recording(path):
            found = lookup(path)
            lookups[path] = None if found is None else found.url
            return found

        files.get_file_from_path = recording  # the instance's, for this page only
        try:
            original(page, config, files, dirty)
        finally:
            del files.get_file_from_path
        source = _read(page.file.abs_src_path)
        self.recording[uri] = {"deps": lookups, "md": None if source is None else _sha(source)}

    def _reusable(self, page, files) -> dict | None:
        """The recorded page when everything it was rendered from is unchanged and its HTML is still there."""
        uri = page.file.src_uri
        if uri in self.nav_files:
            return None
        record = self.state["pages"].get(uri)
        if not isinstance(record, dict) or record.get("dest") != page.file.dest_uri:
            return None
        source = _read(page.file.abs_src_path)
        if source is None or record.get("md") != _sha(source):
            return None
        for path, url in record["deps"].items():
            found = self._file_at(files, path)
            if (None if found is None else found.url) != url:
                return None
        return record

    def _file_at(self, files, path: str):
        """``files.get_file_from_path(path)``, asked once a build for each path: pages share most of their links."""
        if files is not self._found_in:
            self._found, self._found_in = {}, files
        try:
            return self._found[path]
        except KeyError:
            found = self._found[path] = files.get_file_from_path(path)
            return found

    def _restore(self, page, record, files) -> None:
        if record.get("title") is not None:
            page.title = record["title"]
        page.present_anchor_ids = set(record["anchors"])
        if record.get("links") is not None:
            links = {}
            for uri, anchors in record["links"].items():
                target = self._file_at(files, uri)
                if target is not None:
                    links[target] = dict(anchors)
            page.links_to_anchors = links

    def _navigation_key(self) -> str:
        """The inputs' key with the navigation as this build renders it (its items and 404.html)."""

        def item(entry):
            kind = "section" if entry.is_section else "link" if entry.is_link else "page"
            children = [item(child) for child in (entry.children or [])]
            return [kind, entry.title, getattr(entry, "url", None), children]

        error_page = self.site_dir / "404.html"
        return _key([self.inputs_key, [item(entry) for entry in self.nav.items], _sha(_read(error_page) or b"")])

    def _build(self, original_populate, original_build, page, config, doc_files, nav, env, dirty, excluded):
        uri = page.file.src_uri
        if self.key is None:
            self.key = self._navigation_key()
            if self.reason is None and self.state.get("key") != self.key:
                self.reason = "navigation changed"
        record = self.tentative.pop(uri, None)
        if record is not None and self.reason is None and self._copy(page, record):
            self.records[uri] = record
            self.copied.append(uri)
            return None
        if record is not None:  # read late: the navigation changed or its HTML is gone
            page.__dict__.pop("title", None)
            self._populate_recorded(original_populate, page, config, self.files, dirty)
        original_build(page, config, doc_files, nav, env, dirty, excluded)
        self.built.append(uri)
        self._record(page, excluded)
        return None

    def _copy(self, page, record) -> bool:
        # os.path, not pathlib: this runs for every page of the archive.
        source = os.path.join(self.previous_site, page.file.dest_uri)
        data = _read(source)
        if data is None or _sha(data) != record.get("html"):
            return False
        link_or_copy(source, page.file.abs_dest_path)
        return True

    def _record(self, page, excluded) -> None:
        uri = page.file.src_uri
        recorded = self.recording.pop(uri, None)
        if recorded is None or recorded["md"] is None or uri in self.nav_files or excluded or uri in self.warned:
            return
        search = page.meta.get("search") if isinstance(page.meta, Mapping) else None
        if self.search and not (isinstance(search, Mapping) and search.get("exclude")):
            return
        html = _read(page.file.abs_dest_path)
        if html is None:
            return
        self.records[uri] = {
            "dest": page.file.dest_uri,
            "md": recorded["md"],
            "html": _sha(html),
            "deps": recorded["deps"],
            "title": page.title if isinstance(page.title, str) else None,
            "anchors": sorted(page.present_anchor_ids or ()),
            "links": None if page.links_to_anchors is None else {
                target.src_uri: dict(anchors) for target, anchors in page.links_to_anchors.items()
            },
        }

    def finish(self) -> dict:
        """Write the new state (unless a strict build is about to fail) and report what was done."""
        self.uninstall()
        stats = {
            "mode": "incremental" if self.reason is None else "full",
            "reason": self.reason,
            "built": len(self.built),
            "copied": len(self.copied),
        }
        if not _strict_failure(self.config):
            state = {
                "format": FORMAT, "inputs": self.inputs_key, "input_keys": self.input_keys, "key": self.key, "last": stats,
                "pages": self.records,
            }
            write_atomic(self.state_file, json.dumps(state, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        LAST_BUILD.clear()
        LAST_BUILD.update(stats, rendered=sorted(self.built), reused=sorted(self.copied))
        if self.reason is None:
            log.info(f"site cache: {len(self.copied)} pages copied from {self.previous_site}, {len(self.built)} rendered")
        else:
            log.info(f"site cache: full build ({self.reason}), {len(self.built)} pages rendered")
        return stats


class _PageWarnings(logging.Handler):
    """Notes the pages that logged a warning while read or built: those are always rendered again."""

    def __init__(self, cache: SiteCache):
        super().__init__(logging.WARNING)
        self.cache = cache

    def emit(self, record):
        page = getattr(self.cache.config, "_current_page", None)
        if page is not None:
            self.cache.warned.add(page.file.src_uri)


def _strict_failure(config) -> bool:
    from mkdocs.utils import CountHandler

    if not config.strict:
        return False
    return any(isinstance(h, CountHandler) and h.get_counts() for h in logging.getLogger("mkdocs").handlers)


def start(config, command: str | None, dirty: bool) -> SiteCache | None:
    """The cache for this build, when one is asked for (``DAILY_PAPERS_SITE_STATE``) and possible."""
    state_file = os.environ.get(STATE_ENV)
    if not state_file:
        LAST_BUILD.clear()
        return None
    reason = None
    if command == "serve" or dirty:
        reason = "serve and --dirty builds are not cached"
    else:
        reason = unsupported_reason(config)
    if reason is not None:
        LAST_BUILD.clear()
        LAST_BUILD.update({"mode": "full", "reason": reason, "built": None, "copied": 0})
        log.info(f"site cache: off ({reason})")
        return None
    previous = os.environ.get(PREVIOUS_SITE_ENV) or os.devnull
    cache = SiteCache(config, Path(state_file), Path(previous))
    cache.install()
    return cache
