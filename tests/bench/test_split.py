from bench.split import part, split


def test_part_is_a_fixed_function_of_the_id() -> None:
    ids = [f"event-{i}" for i in range(400)]
    parts = [part(i) for i in ids]
    assert parts == [part(i) for i in ids]
    share = parts.count("check") / len(parts)
    assert 0.3 < share < 0.5  # about four tenths go to the check part


def test_split_keeps_input_order() -> None:
    items = [f"doc-{i}" for i in range(50)]
    got = split(items, key=str)
    assert got["fit"] + got["check"] != []
    assert sorted(got["fit"] + got["check"]) == sorted(items)
    assert got["fit"] == [x for x in items if part(x) == "fit"]
