import pandas as pd

from helpers import tables


def test_csv_fixed_format_and_atomic(tmp_path):
    frame = pd.DataFrame({"lan": ["Skåne län"], "beviljat_mkr": [1.23456]})
    path = tables.write_csv(frame, tmp_path / "t" / "x.csv")
    assert path.read_bytes() == "lan,beviljat_mkr\nSkåne län,1.23\n".encode("utf-8")
    assert not list((tmp_path / "t").glob("*.tmp"))
