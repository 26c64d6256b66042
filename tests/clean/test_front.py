"""The front-matter step: headline, byline, date line and dateline move to metadata."""

from __future__ import annotations

import pytest

from newsprism.clean.front import date_line, is_byline, split_dateline, split_front_matter
from newsprism.clean.parts import CleanedParts

BODY = "The council approved the budget after a session that lasted more than nine hours."


@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("By Jane Smith and John Doe", "Jane Smith and John Doe"),
        ("By JANE SMITH, Associated Press", "JANE SMITH, Associated Press"),
        ("BY Ludwig van Beethoven", "Ludwig van Beethoven"),
        (
            "By Matthew Digby , Minh Do on Monday, November 18th, 2019 at 11:08 a.m.",
            "Matthew Digby , Minh Do on Monday, November 18th, 2019 at 11:08 a.m.",
        ),
        ("By Tuesday, officials had left the building.", None),
        ("By the time he came, it was over.", None),
        ("By March the river had risen", None),
        ("Bystanders said the car did not stop.", None),
    ],
)
def test_is_byline(line: str, author: str | None) -> None:
    assert is_byline(line) == author


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("Published March 3, 2019 5:30 PM ET", "March 3, 2019 5:30 PM ET"),
        ("Updated: Nov. 18, 2019", "Nov. 18, 2019"),
        ("November 19th, 2019 at 8:40 AM", "November 19th, 2019 at 8:40 AM"),
        ("March on Washington", None),
        ("In March 2019 he left.", None),
        ("May 2019 be a good year", None),
    ],
)
def test_date_line(line: str, date: str | None) -> None:
    assert date_line(line) == date


@pytest.mark.parametrize(
    ("block", "dateline"),
    [
        ("WASHINGTON — The president said.", "WASHINGTON"),
        ("LONDON (Reuters) - Britain will leave.", "LONDON (Reuters)"),
        ("NEW YORK, March 3 (AP) — Stocks fell.", "NEW YORK, March 3 (AP)"),
        ("Washington (CNN) — The vote failed.", "Washington (CNN)"),
        ("SAN FRANCISCO, Calif. — A quake struck.", "SAN FRANCISCO, Calif."),
        ("U.S. - China talks resumed on Monday.", None),
        ("The WASHINGTON — x", None),
        ("Washington — the capital — was quiet.", None),
    ],
)
def test_split_dateline(block: str, dateline: str | None) -> None:
    result = split_dateline(block)
    if dateline is None:
        assert result is None
    else:
        assert result is not None
        assert result[0] == dateline
        assert block.endswith(result[1]) and result[1][0].isupper()


def test_split_front_matter_moves_head_blocks_to_metadata() -> None:
    parts = CleanedParts(
        blocks=(
            "Council Approves Budget",
            "By Jane Smith",
            "Published March 3, 2019",
            "LONDON (Reuters) - " + BODY,
            "It takes effect in April.",
        ),
        title="Council approves budget",
    )
    out = split_front_matter(parts)
    assert out.blocks == (BODY, "It takes effect in April.")
    assert out.byline == "Jane Smith"
    assert out.published == "March 3, 2019"
    assert out.dateline == "LONDON (Reuters)"
    assert [d.reason for d in out.dropped] == ["headline", "byline", "date", "dateline"]


def test_split_front_matter_keeps_metadata_that_came_with_the_input() -> None:
    parts = CleanedParts(
        blocks=("By Someone Else", BODY), byline="Jane Smith", published="2019-03-03"
    )
    out = split_front_matter(parts)
    assert out.blocks == (BODY,)
    assert out.byline == "Jane Smith"


def test_split_front_matter_never_empties_the_body() -> None:
    parts = CleanedParts(blocks=("By Jane Smith",))
    assert split_front_matter(parts).blocks == ("By Jane Smith",)


def test_split_front_matter_is_idempotent() -> None:
    parts = CleanedParts(blocks=("WASHINGTON — " + BODY, "More text follows here."))
    once = split_front_matter(parts)
    twice = split_front_matter(CleanedParts(blocks=once.blocks))
    assert twice.blocks == once.blocks
