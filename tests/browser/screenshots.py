"""Take the explorer screenshots the README shows, from a build, in Debian's chromium.

    .venv/bin/kg build examples/corpus --out exports/example
    .venv/bin/python tests/browser/screenshots.py exports/example docs

writes, at 1400 x 900 CSS pixels and device scale 1 (so they read at 100 %):

    explorer.png        the first view, as the page opens
    explorer-panel.png  "Kataib Hezbollah" typed in the search box as "Kataeb Hizbollah", its panel open
    explorer-ego.png    `kg export html DIR --focus "Kataib Hezbollah" --hops 2`
    explorer-map.png    the map view, the most attacked point's panel open
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
VIEWPORT = {"width": 1400, "height": 900}
READY = "() => Boolean(window.kgExplorer && window.kgExplorer.ready)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build", type=Path, help="a build folder (kg build ... --out BUILD)")
    parser.add_argument("out", type=Path, help="where to write the PNG files")
    parser.add_argument("--focus", default="Kataib Hezbollah")
    parser.add_argument("--typed", default="Kataeb Hizbollah", help="what to type in the search box")
    args = parser.parse_args(argv)
    try:
        from playwright.sync_api import sync_playwright

        from kg.held import read_build_graph
        from kg.errors import KGError
        from kg.export.html import write_explorer
    except ImportError as missing:
        print(f"screenshots: {missing} (run .ci/install-browser.sh)", file=sys.stderr)
        return 2
    if not Path(CHROMIUM).exists():
        print(f"screenshots: {CHROMIUM} is missing (run .ci/install-browser.sh)", file=sys.stderr)
        return 2
    try:
        graph = read_build_graph(args.build)
    except KGError as error:
        print(f"screenshots: {error}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        whole = write_explorer(graph, Path(tmp) / "explorer.html")
        ego = write_explorer(graph, Path(tmp) / "ego.html", focus=args.focus, hops=2)
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport=VIEWPORT, device_scale_factor=1)
        page.goto(whole.as_uri())
        page.wait_for_function(READY, timeout=120_000)
        page.screenshot(path=str(args.out / "explorer.png"))

        page.fill("#kg-search", args.typed)
        page.locator("#kg-suggest li").first.wait_for()
        page.press("#kg-search", "Enter")
        page.wait_for_timeout(400)  # the focus animation
        page.screenshot(path=str(args.out / "explorer-panel.png"))

        page.goto(whole.as_uri())
        page.wait_for_function(READY, timeout=120_000)
        page.click("#kg-view-map")
        page.wait_for_function("() => window.kgMap.drawn()")
        page.locator("#kg-map circle.kg-point").first.dispatch_event("click")  # drawn biggest first
        page.wait_for_timeout(200)
        page.screenshot(path=str(args.out / "explorer-map.png"))

        page.goto(ego.as_uri())
        page.wait_for_function(READY, timeout=120_000)
        page.screenshot(path=str(args.out / "explorer-ego.png"))
        browser.close()
    for name in ("explorer.png", "explorer-panel.png", "explorer-ego.png", "explorer-map.png"):
        print(args.out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
