import matplotlib.pyplot as plt

from helpers import figures


def _figure():
    figures.style()
    fig, ax = plt.subplots()
    ax.bar(["SO1", "SO2"], [1, 2], color=[figures.AREA_COLOURS["SO1"], figures.AREA_COLOURS["SO2"]])
    figures.caption(fig, "test", synthetic=True)
    return fig


def test_png_and_svg_are_the_same_bytes_twice(tmp_path):
    figures.save(_figure(), tmp_path / "a.png", tmp_path / "a.svg")
    figures.save(_figure(), tmp_path / "b.png", tmp_path / "b.svg")
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()
    assert b"<dc:date>" not in (tmp_path / "a.svg").read_bytes()
    assert not list(tmp_path.glob("*.tmp"))


def test_one_colour_per_area_all_distinct():
    assert set(figures.AREA_COLOURS) == {"SO1", "SO2", "SO3", "SO4", "ANNAT"}
    assert len(set(figures.AREA_COLOURS.values())) == 5
