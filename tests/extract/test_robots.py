from extract.robots import parse_robots, unreadable_robots

ROBOTS = """
User-agent: *
Disallow: /admin/
Disallow: /*.pdf$
Allow: /public/*.pdf$
Disallow: /search?

User-agent: BadBot
Disallow: /
"""


def test_wildcards_and_longest_match():
    rules = parse_robots(ROBOTS, "govreports")
    assert not rules.allows("http://a.cn/admin/x.html")
    assert not rules.allows("http://a.cn/files/report.pdf")
    assert rules.allows("http://a.cn/files/report.pdf?v=1")  # $ anchors the end
    assert rules.allows("http://a.cn/public/report.pdf")
    assert not rules.allows("http://a.cn/search?q=1")
    assert rules.allows("http://a.cn/xxgk/t20240101_1.html")


def test_agent_groups():
    assert not parse_robots(ROBOTS, "BadBot/1.0").allows("http://a.cn/anything")
    assert parse_robots(
        "User-agent: govreports\nAllow: /\n\nUser-agent: *\nDisallow: /\n", "govreports/0.1"
    ).allows("http://a.cn/x")


def test_empty_and_unreadable():
    assert parse_robots("", "govreports").allows("http://a.cn/x")
    rules = unreadable_robots("http status 503")
    assert not rules.allows("http://a.cn/x")
    assert rules.refusal("http://a.cn/x") == (
        "refused: robots.txt could not be read (http status 503); not fetched this run"
    )


def test_percent_encoded_rules_and_crawl_delay():
    rules = parse_robots(
        "User-agent: *\nDisallow: /zwgk/%E6%8A%A5%E5%91%8A/\nCrawl-delay: 4\n", "govreports"
    )
    assert not rules.allows("http://a.cn/zwgk/报告/t1.html")
    assert not rules.allows("http://a.cn/zwgk/%E6%8A%A5%E5%91%8A/t1.html")
    assert rules.allows("http://a.cn/zwgk/其他/t1.html")
    assert rules.crawl_delay == 4.0 and parse_robots("", "govreports").crawl_delay is None
