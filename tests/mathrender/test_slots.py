from grimoire.mathrender.slots import FormulaSlots


def test_parked_formulas_come_back_in_place() -> None:
    slots = FormulaSlots()
    a, b = slots.park("<b>A</b>"), slots.park("<i>B</i>")
    assert a != b and "<" + "!--" in a
    page = f"<p>x {a} y</p><div>{b}</div><p>{a}</p>"
    assert slots.fill(page) == "<p>x <b>A</b> y</p><div><i>B</i></div><p><b>A</b></p>"


def test_fill_leaves_other_comments_alone() -> None:
    assert FormulaSlots().fill("<!-- note --><p>x</p>") == "<!-- note --><p>x</p>"
