from extract.robots import RobotsRules, parse_robots

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
    assert not RobotsRules(disallow_all=True).allows("http://a.cn/x")
