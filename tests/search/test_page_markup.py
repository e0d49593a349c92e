"""Pages marked for Pagefind and wired to Grimoire's worker; Material's index cut to a stub."""

from __future__ import annotations

import html
import json
from pathlib import Path

from grimoire.search.page_markup import mark_for_index, name_key, point_to_worker
from grimoire.search.stub_index import ConfigOnlyIndex, write_stub_index

PAGE = """<html><head><title>t</title></head><body><header>Site</header>
<article class="md-content__inner md-typeset"><h1 id="kl">KL</h1><p>Text.</p></article>
<script id="__config" type="application/json">{"base": "../..", "features": [], "search": "../../assets/javascripts/workers/search.a7633da7.min.js", "tags": null, "translations": {"x": "\\u003cy\\u003e"}}</script>
</body></html>"""


def test_the_article_is_the_indexed_body_and_names_are_escaped_metadata() -> None:
    names = ['KL divergence', 'KL', '"><img src=x onerror=alert(1)>']
    marked, found = mark_for_index(PAGE, "KL <b>divergence</b> & co", names)
    assert found
    assert '<article class="md-content__inner md-typeset" data-pagefind-body>' in marked
    assert marked.count("data-pagefind-body") == 1 and "<header>Site</header>" in marked
    title = '<meta data-pagefind-meta="title[content]" content="KL &lt;b&gt;divergence&lt;/b&gt; &amp; co">'
    assert title + "<meta data-pagefind-meta=" in marked and marked.index(title) < marked.index("</head>")
    value = marked.split('data-pagefind-meta="names[content]" content="')[1].split('"')[0]
    assert "<" not in value and json.loads(html.unescape(value)) == names
    keys = '<meta data-pagefind-meta="keys[content]" content="zqnkldivergencezqx zqnklzqx zqnimgsrcxonerroralert1zqx">'
    assert keys in marked


def test_a_names_key_is_its_letters_and_digits_between_marks() -> None:
    assert name_key("Kullback–Leibler divergence") == "zqnkullbackleiblerdivergencezqx"
    assert name_key("p-value") == name_key("P value") == "zqnpvaluezqx"
    assert name_key("Bayes' theorem (2nd form)") == "zqnbayestheorem2ndformzqx"
    assert name_key("Ökonomie") == "zqnökonomiezqx"


def test_a_page_without_an_article_is_left_as_it_is() -> None:
    page = PAGE.replace("<article class=", "<section class=")
    assert mark_for_index(page, "KL", ["KL"]) == (page, False)


def test_the_config_names_grimoires_worker_and_keeps_the_rest() -> None:
    wired, ok = point_to_worker(PAGE)
    assert ok
    config = json.loads(wired.split('type="application/json">')[1].split("</script>")[0])
    assert config["search"] == "../../assets/search-worker.js"
    assert config["translations"] == {"x": "<y>"} and config["base"] == "../.."
    assert "\\u003cy\\u003e" in wired  # still safe inside <script>, as Jinja's tojson writes it
    assert wired.replace("assets/search-worker.js", "assets/javascripts/workers/search.a7633da7.min.js") == PAGE


def test_an_absolute_worker_path_keeps_its_prefix_and_an_unknown_config_is_reported() -> None:
    page404 = PAGE.replace('"../../assets/javascripts', '"/docs/assets/javascripts')
    assert '"search": "/docs/assets/search-worker.js"' in point_to_worker(page404)[0]
    for broken in (PAGE.replace('"search": "../../assets/javascripts/workers/search.a7633da7.min.js"', '"search": null'),
                   PAGE.replace('{"base"', '{base'), PAGE.replace('id="__config"', 'id="config"')):
        assert point_to_worker(broken) == (broken, False)


def test_the_stub_index_keeps_materials_config_and_no_documents(tmp_path: Path) -> None:
    index = tmp_path / "search" / "search_index.json"
    index.parent.mkdir()
    config = {"lang": ["en"], "separator": "[\\s\\-]+", "pipeline": ["stopWordFilter"]}
    index.write_text(json.dumps({"config": config, "docs": [{"location": "", "title": "Home", "text": "x" * 5000}]}))
    assert write_stub_index(tmp_path) == []
    assert json.loads(index.read_text()) == {"config": config, "docs": []}
    assert index.stat().st_size < 200
    assert write_stub_index(tmp_path / "elsewhere") == []  # no search plugin, no index: nothing to do


def test_the_stand_in_index_takes_no_page_and_writes_what_materials_would_without_documents() -> None:
    from material.plugins.search.plugin import SearchIndex

    settings = {"lang": ["en"], "separator": "[\\s\\-]+", "pipeline": ["stopWordFilter"],
                "fields": {"title": {"boost": 1e3}}, "enabled": True, "jieba_dict": None}
    stand_in = ConfigOnlyIndex(settings)
    stand_in.add_entry_from_context(object())  # a page is never read (Pagefind indexes the site afterwards)
    assert stand_in.entries == []
    materials = json.loads(SearchIndex(**settings).generate_search_index(None))
    assert json.loads(stand_in.generate_search_index(None)) == materials and materials["docs"] == []


def test_an_unreadable_index_is_one_problem(tmp_path: Path) -> None:
    index = tmp_path / "search" / "search_index.json"
    index.parent.mkdir()
    index.write_text("{not json")
    (problem,) = write_stub_index(tmp_path)
    assert problem.path == "search/search_index.json" and "cannot be read" in problem.message and problem.hint
