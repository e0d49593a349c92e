"""The HTML checks used on the built site must themselves catch what they claim to."""

from tests.support.html_checks import raw_tex, remote_resources


def test_raw_tex_is_found_in_text() -> None:
    assert raw_tex("<p>see $x_i^2$ here</p>")
    assert raw_tex("<p>$$a$$</p>")
    assert raw_tex('<div class="arithmatex">\\[x\\]</div>')
    assert raw_tex("<p>the \\frac{a}{b} leak</p>")


def test_code_katex_annotations_and_money_are_not_raw_tex() -> None:
    assert not raw_tex("<p>costs $5 and $6 each</p>")
    assert not raw_tex("<code>$x_i$</code><pre>$$y$$</pre>")
    assert not raw_tex('<math><annotation encoding="application/x-tex">\\frac{a}{b}</annotation></math>')


def test_remote_resources() -> None:
    html = (
        '<script src="https://cdn.x/a.js"></script><script src="../a.js"></script>'
        '<link rel="stylesheet" href="//fonts.example/css"><link rel="canonical" href="https://x/">'
        '<img src="http://x/i.png">'
    )
    assert remote_resources(html) == ["script https://cdn.x/a.js", "stylesheet //fonts.example/css", "img http://x/i.png"]
