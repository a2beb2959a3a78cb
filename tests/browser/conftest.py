"""Fixtures for the browser tests: one JupyterLab server and one Chromium per session, a fresh page per test.

The server and browser helpers live in `harness.py` so that `bench/browser.py` drives the same setup.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from .harness import CHROMIUM, LabServer, NotebookPage, launch_chromium, new_context

type OpenNotebook = Callable[..., NotebookPage]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def lab_server() -> Iterator[LabServer]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} is missing: `make system-deps` installs Debian's chromium")
    server = LabServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """The session's one sync Playwright (a second one on the same thread refuses to start)."""
    pw = sync_playwright().start()
    try:
        yield pw
    finally:
        pw.stop()


@pytest.fixture(scope="session")
def browser(lab_server: LabServer, playwright: Playwright) -> Iterator[Browser]:
    chromium = launch_chromium(playwright)
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = new_context(browser)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def _notebook_opener(server: LabServer, new_page: Callable[[], Page]) -> OpenNotebook:
    def open_notebook(name: str, cells: Sequence[str], *, ui: str = "lab", live_probe: bool = True) -> NotebookPage:
        filename = server.write_notebook(name, cells)
        nb = NotebookPage(new_page(), server, filename, ui=ui)
        if live_probe:
            nb.install_live_probe()
        return nb.open()

    return open_notebook


@pytest.fixture
def open_notebook(lab_server: LabServer, page: Page) -> Iterator[OpenNotebook]:
    """`open_notebook(name, cells, ui="lab"|"notebook")`: write the notebook, open it, wait for the kernel socket.

    Kernels are shut down after the test: on 2 cores an idle kernel per finished test adds up.
    """
    yield _notebook_opener(lab_server, lambda: page)
    lab_server.shutdown_kernels()


@pytest.fixture(scope="module")
def module_notebook(lab_server: LabServer, browser: Browser) -> Iterator[OpenNotebook]:
    """Like `open_notebook`, for a run that several test classes of one module inspect in turn."""
    ctx = new_context(browser)
    try:
        yield _notebook_opener(lab_server, ctx.new_page)
    finally:
        ctx.close()
        lab_server.shutdown_kernels()
