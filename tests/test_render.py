import re

import nbformat

from helpers import render

EXTERNAL = re.compile(r"""<(script|link|img|iframe)[^>]+(src|href)\s*=\s*["']?(https?:)?//""", re.I)


def _executed_notebook(path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("secret_code_line = 1 + 1\nsecret_code_line")
    cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "2"}, execution_count=1)]
    cell.execution_count = 1
    nb.cells = [nbformat.v4.new_markdown_cell("# Rubrik <script>alert(1)</script>"), cell]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def test_reader_hides_code_auditor_shows_it_both_offline(tmp_path):
    executed = _executed_notebook(tmp_path / "nb.ipynb")
    pages = render.render_notebook(executed, tmp_path / "out", "01_test", "01 Test", synthetic=True)
    reader = pages["reader"].read_text(encoding="utf-8")
    auditor = pages["auditor"].read_text(encoding="utf-8")
    assert "secret_code_line = 1" not in reader and "secret_code_line" in auditor
    for page in (reader, auditor):
        assert "SYNTETISKA EXEMPELDATA" in page
        assert not EXTERNAL.search(page), EXTERNAL.search(page)
        assert "cdnjs" not in page and "require.js" not in page.lower().replace("require.js.", "")
    assert 'href="01_test.kod.html"' in reader and 'href="01_test.html"' in auditor


def test_real_data_pages_carry_no_synthetic_banner(tmp_path):
    executed = _executed_notebook(tmp_path / "nb.ipynb")
    pages = render.render_notebook(executed, tmp_path / "out", "01_test", "01 Test", synthetic=False)
    assert "SYNTETISKA" not in pages["reader"].read_text(encoding="utf-8")


def test_quality_page_escapes_values(tmp_path):
    results = [{"suite": "s", "description": "d", "success": False, "evaluated": 1, "successful": 0, "rows": 3,
                "results": [{"expectation": "expect_column_values_to_be_in_set", "description": "x", "column": "lan",
                             "success": False, "unexpected_count": 1, "unexpected_percent": 33.3,
                             "observed_value": None, "examples": ["<b>bad</b>"], "error": None}]}]
    page = render.render_quality_page(tmp_path, "01_test", "01 Test", results, synthetic=False).read_text()
    assert "&lt;b&gt;bad&lt;/b&gt;" in page and "<b>bad</b>" not in page
    assert "ej uppfylld" in page


def test_key_figures_in_swedish_number_format():
    assert render._number(8.6) == "8,6"
    assert render._number(6922.7) == "6 922,7"
    assert render._number(13273379153.23) == "13 273 379 153"
    assert render._number(6000) == "6 000" and render._number(5.0) == "5"
    assert render._number("text") == "text"
