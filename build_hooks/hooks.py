"""MkDocs hooks: adapt MkDocs events to the Grimoire engine (``grimoire``).

Nothing here decides anything about content; each handler hands MkDocs' data
to ``grimoire.site_build.SiteBuild`` and reports what it found. Problems are
logged as they are found (warnings under ``mkdocs.plugins.grimoire``, so
``--strict`` counts them) and the build fails once at the end (at the first
problem with ``GRIMOIRE_FAIL_FAST=1``). Under ``mkdocs serve`` it keeps
serving, showing broken formulas, failed checks and figures in place. Formula
checks and figures start in worker processes in ``on_files``; their results
go into the page in ``on_post_page``.
"""

from __future__ import annotations

import importlib
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

    from grimoire.navigation import NavPlan
    from grimoire.site_build import SiteBuild

log = logging.getLogger("mkdocs.plugins.grimoire")

_command = "build"
_dirty = False  # `mkdocs serve --dirty`: only pages whose inputs changed are rendered again
_build: SiteBuild | None = None
# Kept across `mkdocs serve` rebuilds: failed figures and checks are not run again until their inputs change.
_session: dict = {}


def on_startup(command: str, dirty: bool) -> None:
    global _command, _dirty
    _command, _dirty = command, dirty
    if dirty:
        logging.getLogger("mkdocs.commands.build").addFilter(_dirty_warning)


def _dirty_warning(record: logging.LogRecord) -> bool:
    # MkDocs warns that a dirty build may leave links and navigation stale; the engine renders
    # again every page whose links, navigation or results changed (grimoire/incremental.py).
    return "'dirty' build" not in record.getMessage()


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    if _build is not None:
        _build.close()
    engine = _load_engine(fresh=_command == "serve")
    if _command == "serve":  # no full garbage collection while the author waits (grimoire/idle_collection.py)
        _session.setdefault("collector", engine.idle_collection.IdleCollector()).rebuild_started()
    layout = engine.layout.ProjectLayout.for_config_dir(Path(config.config_file_path).parent)
    _build = engine.site_build.SiteBuild(layout, session=_session if _command == "serve" else None)
    _build.configure_figures(config.extra.get("grimoire"))
    config.extra_css.extend(css for css in _build.stylesheets() if css not in config.extra_css)
    config.extra_javascript.extend(js for js in _build.scripts() if js not in config.extra_javascript)
    # Term links carry their class and data-term through attr_list; "Used in" is Markdown in a <div>.
    for extension in ("attr_list", "md_in_html"):
        if extension not in config.markdown_extensions:
            config.markdown_extensions.append(extension)
    # Material's search plugin (its on_config ran before this hook's) would parse every page into a full-text
    # index that Pagefind's replaces: it gets an index taking no pages (grimoire/search/stub_index.py).
    search = config.plugins.get("material/search")
    if search is not None and getattr(search, "search_index", None) is not None:
        search.search_index = engine.search.stub_index.ConfigOnlyIndex(search.config)
    return config


# Before other plugins (mkdocs-jupyter must see the notebooks among the files).
@event_priority(100)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    build = _current()
    content, assets, generated = build.plan_files()
    for src_path in content:
        files.append(
            File(
                src_path,
                src_dir=str(build.layout.root),
                dest_dir=config.site_dir,
                use_directory_urls=config.use_directory_urls,
            )
        )
    for abs_src_path, dest in assets:
        files.append(File.generated(config, dest, abs_src_path=str(abs_src_path)))
    for uri, text in generated:
        files.append(File.generated(config, uri, content=text))
    # The engine decides the sidebar order; MkDocs builds the nav (and prev/next) from it.
    plan = build.navigation(_page_uris(files))
    config.nav = plan.nav
    # Checks and figures start in the worker pool now, while MkDocs renders pages.
    pages = set(_page_uris(files))
    build.start_jobs((f.src_uri, Path(f.abs_src_path)) for f in files if f.src_uri in pages and f.abs_src_path)
    if _command == "serve":
        _plan_rebuild(build, files, pages, plan, config)
    return files


def _plan_rebuild(build: SiteBuild, files: Files, pages: set[str], plan: NavPlan, config: MkDocsConfig) -> None:
    """Under `mkdocs serve`: which pages to render again (all of them unless --dirty)."""
    sources = {f.src_uri: Path(f.abs_src_path) if f.abs_src_path else None for f in files if f.src_uri in pages}
    settings = Path(config.config_file_path).read_text("utf-8", errors="replace") if config.config_file_path else ""
    fingerprints = build.page_fingerprints(sources, plan, settings)
    stale, gone = build.pages_to_render(fingerprints)
    _session["stale"] = stale
    if not _dirty:
        return
    shown = ", ".join(sorted(stale)[:8]) + (", ..." if len(stale) > 8 else "")
    log.info(f"Grimoire: rendering {len(stale)} of {len(fingerprints)} pages again: {shown}")
    for f in files:
        if f.src_uri in pages:
            f.is_modified = (lambda render=f.src_uri in stale: render)  # type: ignore[method-assign]
    for uri in gone:  # a dirty build does not clean the site folder
        dest = _session.setdefault("dest", {}).pop(uri, None)
        if dest is not None:
            Path(dest).unlink(missing_ok=True)


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    build = _current()
    # Here notebooks are pages too (mkdocs-jupyter's on_files ran), so every page has its URL.
    build.glossary.urls = {f.src_uri: f.url for f in files.documentation_pages()}
    if _dirty:  # a page that is not rendered again is not read: its title is the one it had
        titles = _session.setdefault("titles", {})
        for page in nav.pages:
            if page.file.src_uri not in _session.get("stale", ()) and page.file.src_uri in titles:
                page.title = titles[page.file.src_uri]
    # MkDocs linked every page of the nav in one prev/next chain; the author's pages get their own.
    plan = build.navigation(_page_uris(files))
    by_uri = {page.file.src_uri: page for page in nav.pages}
    for chain in (plan.reading, plan.authoring):
        pages = [by_uri[uri] for uri in chain if uri in by_uri]
        for i, page in enumerate(pages):
            page.previous_page = pages[i - 1] if i > 0 else None
            page.next_page = pages[i + 1] if i + 1 < len(pages) else None
    return nav


def _page_uris(files: Files) -> list[str]:
    # Notebooks become pages only in mkdocs-jupyter's on_files, after ours.
    return [f.src_uri for f in files if f.is_documentation_page() or f.src_uri.endswith(".ipynb")]


def on_env(env, config: MkDocsConfig, files: Files):  # -> jinja2.Environment
    if _command == "serve":  # the theme's templates, compiled once per serve session
        env.bytecode_cache = _session.setdefault("templates", _current().template_cache())
    return env


def on_page_read_source(page: Page, config: MkDocsConfig) -> str | None:
    # The engine reads Markdown pages (decoded, size-bounded), so MkDocs and every stage see one text.
    src = page.file.abs_src_path
    if src is None or not src.endswith(".md"):
        return None
    return _current().page_source(Path(src))


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    build = _current()
    # Before the tags plugin and any template read it: text escaped, malformed values dropped.
    page.meta = build.theme_meta(page.meta, page.file.src_uri)
    if page.file.abs_src_path is None:  # generated pages (the A-Z index) hold plain links
        return markdown
    src = Path(page.file.abs_src_path)
    markdown = build.guarded(
        page.file.src_uri, "linking terms", lambda: build.link_terms(markdown, page.file.src_uri, src), markdown
    )
    _report(build)
    return markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    build = _current()

    def content() -> str:
        if page.file.abs_src_path is None:  # a generated page
            return build.typeset(html, page.file.src_uri, None, page.file.content_string)
        src = Path(page.file.abs_src_path)
        return build.typeset(build.embed_figures(html, page.file.src_uri, src), page.file.src_uri, src)

    result = build.guarded(page.file.src_uri, "typesetting the page", content, html)
    # Equation ids are made while typesetting, after MkDocs listed the page's anchors for link validation.
    if page.present_anchor_ids is not None:
        page.present_anchor_ids.update(build.anchor_ids(page.file.src_uri))
    _label_headings(page.toc, build.heading_labels(result))
    _report(build)
    return result


def _label_headings(items, labels) -> None:
    # The table of contents named each heading from its Markdown, TeX and all; Material shows an
    # item's typeset.title (HTML) instead of its title when there is one.
    for item in items:
        label = labels.get(item.id)
        if label is not None:
            item.typeset, item.title = {"title": label.html}, label.text
        _label_headings(item.children, labels)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    build = _current()
    if _command == "serve":
        _session.setdefault("titles", {})[page.file.src_uri] = page.title
        _session.setdefault("dest", {})[page.file.src_uri] = page.file.abs_dest_path
    if page.file.abs_src_path is not None:
        src = Path(page.file.abs_src_path)
        drawn = output
        output = build.guarded(
            page.file.src_uri, "inlining figures", lambda: build.fill_figures(drawn, page.file.src_uri, src), output
        )
    final = output
    output = build.guarded(page.file.src_uri, "finishing the page", lambda: build.finish_page(final, page.file.src_uri), output)
    finished = output
    output = build.guarded(
        page.file.src_uri, "adding meta tags",
        lambda: build.open_graph(finished, page.meta, page.title or "", page.canonical_url, page.is_homepage), output,
    )
    tagged = output
    output = build.guarded(page.file.src_uri, "marking the page for search",
                           lambda: build.search_markup(tagged, page.file.src_uri, page.title or "", page.meta), output)
    _report(build)
    return output


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    # Material's 404 page has the search box too: it starts the same worker.
    return _current().search_worker(output_content) if template_name.endswith(".html") else output_content


# After Material's search plugin has written its index (priority 0), which finish_search cuts to a stub.
@event_priority(-100)
def on_post_build(config: MkDocsConfig) -> None:
    build = _current()
    build.finish_jobs()
    build.remember_rendered()
    # Under `mkdocs serve` the index is made in the background: the reloaded page does not wait for it.
    build.finish_search(Path(config.site_dir), _report_later if _command == "serve" else None)
    if build.checks.stats.checks:
        log.info(f"Grimoire: {build.checks.summary()}")
    if build.figures.stats.figures:
        log.info(f"Grimoire: {build.figures.summary()}")
    _report(build)
    _rebuild_finished()
    if build.problems and _command != "serve":
        if log.isEnabledFor(logging.WARNING):
            raise PluginError(f"Grimoire: {build.problems.summary()}; see the messages above.")
        # `mkdocs build -q` shows errors only, so the problems are told in the one error.
        raise PluginError(f"Grimoire: {build.problems.summary()}:\n{build.problems.report()}")


def on_build_error(error: Exception) -> None:
    if _build is not None:
        _build.close()  # stops figure workers at once
    _rebuild_finished()


def _rebuild_finished() -> None:
    collector = _session.get("collector")
    if collector is not None:
        collector.rebuild_finished()


def on_shutdown() -> None:
    global _build
    collector = _session.pop("collector", None)
    if collector is not None:
        collector.close()
    if _build is not None:
        _build.close()
        _build = None


def _report(build: SiteBuild) -> None:
    # Notices (an uncited bibliography entry) at INFO: --strict fails on every WARNING.
    for notice in build.new_notices():
        log.info(notice.format())
    fresh = build.new_problems()
    for problem in fresh:
        log.warning(problem.format())
    if fresh and build.fail_fast:
        raise PluginError("Grimoire: stopping at the first problem (GRIMOIRE_FAIL_FAST is set).")


def _report_later(problems) -> None:
    """Problems of a background step (search indexing under `mkdocs serve`), logged when it ends."""
    for problem in problems:
        log.warning(problem.format())


def _current() -> SiteBuild:
    if _build is None:
        raise PluginError("Grimoire hooks: on_config did not run")
    return _build


def _load_engine(fresh: bool):  # -> module
    """The engine package; under `mkdocs serve`, re-imported when its files changed, so edits take effect.

    (Snippet modules never load in this process: they run in the worker pool.)
    """
    signature = _engine_signature()
    if fresh and (not signature or signature != _session.get("engine")):  # unchanged since the last build: kept
        packages = ("grimoire",)
        for name in [n for n in sys.modules if n.split(".")[0] in packages]:
            del sys.modules[name]
    engine = importlib.import_module("grimoire")
    importlib.import_module("grimoire.layout")
    importlib.import_module("grimoire.site_build")
    importlib.import_module("grimoire.idle_collection")
    if fresh:
        _session["engine"] = _engine_signature()
    return engine


def _engine_signature() -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of every file of the loaded engine package (empty if not loaded)."""
    engine = sys.modules.get("grimoire")
    if engine is None:
        return ()
    files = sorted(p for folder in engine.__path__ for p in Path(folder).rglob("*") if p.is_file())
    return tuple((str(p), (s := p.stat()).st_size, s.st_mtime_ns) for p in files)
