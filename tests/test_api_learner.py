"""The API learner on the answer and call shapes real sites use (site-archetypes.md §1.2, §1.4, §1.9, §5 A8).

Keys are whatever the site calls them (unitName/link, realtitle/infourl, title/url); the page parameter sits in
the query string, in a JSON document inside a query parameter, in a form body or in a JSON body; answers are
JSON, JSONP or XML datastores.  Each test gives the learner one call and its answer and checks the rows and
the further calls it makes, as the spider would send them.
"""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import parse_qsl, quote, urlsplit

from crawlers.api_learner import ApiLearner, Call, ShellTemplates, answer_rows, find_paging, page_call

BASE = "http://x.gov.cn/xxgk/index.html"
TITLE = "青川县商务局2023年政府信息公开工作年度报告"


def learn(call: Call, answer: str, **data: str):
    fetch = call.fetch(BASE)
    return ApiLearner().parse(call.url, answer, {**dict(fetch.data), **data})


def query_json(url: str, key: str = "query") -> dict:
    return json.loads(dict(parse_qsl(urlsplit(url).query))[key])


def test_rows_are_found_by_the_shape_of_values_whatever_the_keys_are_called():
    answer = json.dumps({"code": 200, "data": {"total": 2, "list": [
        {"unitId": "a1", "unitName": "青川县商务局", "type": "department", "link": "/xxgk/unit.html?unitId=a1"},
        {"unitId": "a2", "unitName": "青川县教育局", "type": "department", "link": "/xxgk/unit.html?unitId=a2"},
    ]}}, ensure_ascii=False)
    rows, extent = answer_rows(answer, BASE)
    assert [(r.url, r.title) for r in rows] == [("http://x.gov.cn/xxgk/unit.html?unitId=a1", "青川县商务局"),
                                                ("http://x.gov.cn/xxgk/unit.html?unitId=a2", "青川县教育局")]
    assert extent == {"total": 2}
    epoint = json.dumps({"custom": {"data": [{"infourl": "/xxgk/002/20240116/1.html", "realtitle": TITLE,
                                              "infodate": "2024-01-16"}], "total": 31}}, ensure_ascii=False)
    rows, extent = answer_rows(epoint, BASE)
    assert [(r.url, r.title, r.date) for r in rows] == [("http://x.gov.cn/xxgk/002/20240116/1.html", TITLE, date(2024, 1, 16))]
    cut = TITLE[:24] + "..."  # EWB's display title cut short beside the whole one, a few characters longer
    both = json.dumps({"custom": {"data": [{"infourl": "/a/1.html", "title": cut, "realtitle": TITLE}]}}, ensure_ascii=False)
    assert [r.title for r in answer_rows(both, BASE)[0]] == [TITLE]
    unix = json.dumps({"articles": [{"url": "/gkmlpt/content/1/1.html", "title": TITLE, "create_time": 1705370000}]},
                      ensure_ascii=False)
    assert answer_rows(unix, BASE)[0][0].date == date(2024, 1, 16)  # a Unix time, read in Beijing time


def test_jsonp_and_xml_datastores():
    jsonp = 'jQuery1124({"html":"<ul><li><a href=\\"/art/1.html\\">%s</a><span>2024-01-16</span></li></ul>"})' % TITLE
    assert [r.url for r in answer_rows(jsonp, BASE)[0]] == ["http://x.gov.cn/art/1.html"]
    xml = (f"<datastore><totalrecord>120</totalrecord><totalpage>3</totalpage><recordset><record><![CDATA["
           f"<li><a href='/art/2.html'>{TITLE}</a></li>]]></record></recordset></datastore>")
    rows, extent = answer_rows(xml, BASE)
    assert [r.url for r in rows] == ["http://x.gov.cn/art/2.html"] and extent == {"total": 120, "pages": 3}


def test_the_page_parameter_wherever_it_lives():
    in_json = Call("GET", "http://x.gov.cn/api/article/list?query=" + quote(json.dumps({"channel": "gknb", "page": 1, "size": 10})))
    paging = find_paging(in_json)
    assert paging["where"] == "query" and paging["path"] == ["query", "page"]
    assert query_json(page_call(in_json, paging, 2).url) == {"channel": "gknb", "page": 3, "size": 10}
    jpaas = Call("GET", "http://x.gov.cn/api-gateway/jpaas-publish-server/front/page/build/unit?webId=1&paramJson="
                 + quote('{"pageNo":1,"pageSize":15}'))
    assert query_json(page_call(jpaas, find_paging(jpaas), 1).url, "paramJson") == {"pageNo": 2, "pageSize": 15}
    window = Call("POST", "http://x.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=45&perpage=15",
                  "col=1&appid=1&webid=3&columnid=9")
    paging = find_paging(window)
    assert (paging["kind"], paging["step"]) == ("offset", 45)
    assert dict(parse_qsl(urlsplit(page_call(window, paging, 1).url).query))["startrecord"] == "46"
    assert page_call(window, paging, 1).body == window.body
    ewb = Call("POST", "http://x.gov.cn/EWB-FRONT/rest/lightfrontaction/getgovinfolist",
               json.dumps({"siteGuid": "7eb5f7f1", "deptcode": "001", "pageIndex": 0, "pageSize": 10}))
    paging = find_paging(ewb)
    assert paging["where"] == "json" and json.loads(page_call(ewb, paging, 2).body)["pageIndex"] == 2
    form = Call("POST", "http://x.gov.cn/module/xxgk/search.jsp", "infotypeId=1&area=330&currpage=1&sortfield=,")
    assert find_paging(form)["path"] == ["currpage"]


def test_a_stated_page_count_is_paged_at_once_and_headers_are_kept():
    call = Call("GET", "http://x.gov.cn/api/list?page=1&size=2", headers=(("Referer", BASE),))
    answer = json.dumps({"pages": 3, "list": [{"title": TITLE, "url": "/a/1.html"}, {"title": TITLE, "url": "/a/2.html"}]},
                        ensure_ascii=False)
    listing = learn(call, answer)
    assert [f.url for f in listing.fetches] == ["http://x.gov.cn/api/list?page=2&size=2", "http://x.gov.cn/api/list?page=3&size=2"]
    assert all(dict(f.headers) == {"Referer": BASE} for f in listing.fetches)
    later = listing.fetches[0]
    more = ApiLearner().parse(later.url, answer.replace("/a/", "/b/"), dict(later.data))
    assert more.fetches == []  # the count was known: page 2 asks for nothing further


def test_without_a_count_it_pages_until_nothing_new_comes():
    call = Call("GET", "http://x.gov.cn/api/list?pn=1")
    page1 = json.dumps({"rows": [{"t": TITLE, "u": "/a/1.html"}]}, ensure_ascii=False)
    first = learn(call, page1)
    assert [f.url for f in first.fetches] == ["http://x.gov.cn/api/list?pn=2"]
    second = first.fetches[0]
    nxt = ApiLearner().parse(second.url, page1.replace("/a/1", "/a/2"), dict(second.data))
    assert [f.url for f in nxt.fetches] == ["http://x.gov.cn/api/list?pn=3"]
    ignored = ApiLearner().parse(nxt.fetches[0].url, page1, dict(nxt.fetches[0].data))
    assert ignored.rows == [] and ignored.fetches == []  # the server answers page 1 again: the end
    empty = ApiLearner().parse(nxt.fetches[0].url, '{"rows": []}', dict(nxt.fetches[0].data))
    assert empty.fetches == []


def test_a_call_with_nothing_to_page_or_no_rows_is_read_once():
    assert learn(Call("GET", "http://x.gov.cn/api/unit/info?unitId=a1"), '{"data": {"unitName": "青川县商务局"}}').fetches == []
    assert learn(Call("GET", "http://x.gov.cn/api/list?page=1"), '{"list": []}').fetches == []


SHELL = "<html><body><ul id='list'></ul><script src='/js/xxgk.js'></script><script>TH.renderUnit();</script></body></html>"


def test_a_shell_page_teaches_its_siblings_their_calls():
    """Unit pages of one directory: same page, another query value (the practice world's JS-shell region)."""
    templates = ShellTemplates()
    learnt = Call("GET", "http://x.gov.cn/api/article/list?query=" + quote(json.dumps({"unitId": "thgov", "page": 1})),
                  headers=(("Referer", "http://x.gov.cn/xxgk/unit.html?unitId=thgov"),))
    templates.learn("http://x.gov.cn/xxgk/unit.html?unitId=thgov", SHELL, learnt)
    templates.learn("http://x.gov.cn/xxgk/unit.html?unitId=thgov", SHELL, Call("GET", "http://x.gov.cn/api/stats"))
    [derived] = templates.derive("http://x.gov.cn/xxgk/unit.html?unitId=thfgj", SHELL)
    assert query_json(derived.url) == {"unitId": "thfgj", "page": 1}
    assert dict(derived.headers)["Referer"].endswith("unitId=thfgj")
    other = SHELL.replace("renderUnit", "renderChannel")  # another script: not a sibling
    assert templates.derive("http://x.gov.cn/xxgk/unit.html?unitId=thfgj", other) == []


def column_shell(column_id: str) -> str:
    return ("<html><body><ul id='list'></ul><script>var pageConfig = {proxyUrl:'/truecms/messageController/getMessage.do',"
            f" columnId:'{column_id}', perpage:15}}; load(pageConfig);</script></body></html>")


def test_a_value_the_shell_s_script_holds_is_read_off_each_sibling():
    """Jiangsu truecms column shells: every column its own path, its id only in the inline script."""
    templates = ShellTemplates()
    first = "7581f7b6-cfbc-2953-9cef-846d53a21f34"
    call = Call("GET", f"http://x.gov.cn/truecms/messageController/getMessage.do?callback=cb&startrecord=1&endrecord=15"
                       f"&perpage=15&columnId={first}", headers=(("Referer", "http://x.gov.cn/nt/bm/bm.html"),))
    templates.learn("http://x.gov.cn/nt/bm/bm.html", column_shell(first), call)
    [derived] = templates.derive("http://x.gov.cn/nt/jd/jd.html", column_shell("0b9e2a44-1111-2222-3333-444455556666"))
    assert dict(parse_qsl(urlsplit(derived.url).query))["columnId"] == "0b9e2a44-1111-2222-3333-444455556666"
    assert dict(parse_qsl(urlsplit(derived.url).query))["startrecord"] == "1"
    assert dict(derived.headers)["Referer"] == "http://x.gov.cn/nt/jd/jd.html"  # truecms answers 404 without it
