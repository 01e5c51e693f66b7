"""Rendering for readers and auditors: each executed notebook as two offline HTML pages (the
reader's, without code, and the auditor's, with code), the data-quality tables, and the
index page that ties a run together."""
from __future__ import annotations

import json
from pathlib import Path

import jinja2

from .files import write_text_atomic

TEMPLATES = Path(__file__).parent / "templates"
NBCONVERT_TEMPLATES = TEMPLATES / "nbconvert"


def notebook_pages(stage_slug: str) -> dict[str, str]:
    """Paths, relative to the output folder, of a stage's executed notebook and its pages."""
    return {
        "ipynb": f"notebooks/{stage_slug}.ipynb",
        "reader": f"notebooks/{stage_slug}.html",
        "auditor": f"notebooks/{stage_slug}.kod.html",
        "log": f"loggar/{stage_slug}.log",
        "quality": f"kvalitet/{stage_slug}.html",
    }


def render_notebook(executed: Path, output_dir: Path, stage_slug: str, title: str, synthetic: bool) -> dict[str, Path]:
    """Write the reader's and the auditor's HTML of an executed notebook."""
    import nbformat
    from nbconvert import HTMLExporter

    pages = notebook_pages(stage_slug)
    nb = nbformat.read(executed, as_version=4)
    out = {}
    for version, exclude_input in (("reader", True), ("auditor", False)):
        other = "auditor" if version == "reader" else "reader"
        nb.metadata["studie"] = {
            "syntetisk": synthetic,
            "steg": title,
            "version": "Läsversion: koden är dold" if exclude_input else "Granskningsversion: med all kod",
            "annan_version": Path(pages[other]).name,
            "annan_version_text": "Granskningsversion med kod" if exclude_input else "Läsversion utan kod",
        }
        nb.metadata["title"] = title
        exporter = HTMLExporter(
            template_name="studie",
            extra_template_basedirs=[str(NBCONVERT_TEMPLATES)],
            exclude_input=exclude_input,
            exclude_input_prompt=exclude_input,
            exclude_output_prompt=exclude_input,
            embed_images=True,
        )
        body, _ = exporter.from_notebook_node(nb)
        path = output_dir / pages[version]
        write_text_atomic(path, body)
        out[version] = path
    return out


def _number(value):
    """Key figures in Swedish format: whole numbers as such, large amounts in whole kronor,
    other decimals with one decimal."""
    from .display import sv_number

    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if isinstance(value, int) or value.is_integer() or abs(value) >= 1e6:
        return sv_number(value)
    return sv_number(value, 1)


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["json"] = lambda v: json.dumps(v, ensure_ascii=False)
    env.filters["tal"] = _number
    return env


def render_quality_page(output_dir: Path, stage_slug: str, title: str, suite_results: list[dict], synthetic: bool) -> Path:
    """One page per stage listing every expectation of its suites, offline, no scripts."""
    text = _env().get_template("quality.html.j2").render(
        title=title, suites=suite_results, synthetic=synthetic
    )
    path = output_dir / notebook_pages(stage_slug)["quality"]
    write_text_atomic(path, text)
    return path


def render_answers(answers: dict) -> str:
    """The answers in brief (stage 05's verdicts) as an HTML fragment, links relative to the
    output folder: the top of the front page and of the report."""
    return _env().get_template("_answers.html.j2").render(answers=answers)


def render_index(output_dir: Path, manifest: dict, stage_views: list[dict], failed: dict | None = None,
                 answers: dict | None = None, report: dict | None = None) -> Path:
    """The front page of a run: the answers in brief, every stage with its status, quality,
    pages, figures, the tables, and the run itself."""
    text = _env().get_template("index.html.j2").render(
        manifest=manifest, stages=stage_views, failed=failed, answers=answers, report=report
    )
    path = output_dir / "index.html"
    write_text_atomic(path, text)
    return path
