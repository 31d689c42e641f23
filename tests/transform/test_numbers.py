from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from transform.numbers import find_quantities, parse_chinese_numeral


def quantities(text):
    return [(q.value, q.value_high, q.unit, q.unit_text) for q in find_quantities(text)]


def test_scale_words_use_exact_decimals():
    assert quantities("16.4亿元") == [(Decimal("1640000000.0"), None, "CNY", "亿元")]
    assert float(find_quantities("16.4亿元")[0].value) == 1640000000.0
    assert quantities("3.12万亿元")[0][0] == Decimal("3120000000000")
    assert quantities("6540万美元") == [(Decimal("65400000"), None, "USD", "万美元")]


def test_units_normalise_to_base_units():
    assert quantities("110万人")[0][:3] == (Decimal("1100000"), None, "person")
    assert quantities("5吨")[0][:3] == (Decimal("5000"), None, "kg")
    assert quantities("100斤")[0][:3] == (Decimal("50.0"), None, "kg")
    assert quantities("2平方公里")[0][:3] == (Decimal("2000000"), None, "m2")
    assert quantities("6‰")[0][2] == "per_mille"
    assert quantities("0.5个百分点")[0][2:] == ("pp", "个百分点")


def test_ranges():
    assert quantities("5%-5.5%") == [(Decimal(5), Decimal("5.5"), "percent", "%")]
    assert quantities("10-15个")[0][:2] == (Decimal(10), Decimal(15))
    assert quantities("5至6个")[0][:2] == (Decimal(5), Decimal(6))
    assert quantities("5-10亿元")[0][:2] == (Decimal("500000000"), Decimal("1000000000"))


def test_not_quantities():
    assert quantities("2017-2018年") == []
    assert quantities("第三个") == []
    assert quantities("一带一路") == []
    assert quantities("三分之一") == []


def test_chinese_numerals():
    assert parse_chinese_numeral("一千") == 1000
    assert parse_chinese_numeral("两") == 2
    assert parse_chinese_numeral("三十") == 30
    assert parse_chinese_numeral("十五") == 15
    assert parse_chinese_numeral("一万二千") == 12000
    assert parse_chinese_numeral("三点五") == Decimal("3.5")
    assert parse_chinese_numeral("一二") is None
    assert quantities("新增一千人")[0][:3] == (Decimal(1000), None, "person")


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=99))
def test_arabic_amounts_roundtrip(whole, cents):
    text = f"完成{whole}.{cents:02d}万元"
    (q,) = find_quantities(text)
    assert q.value == Decimal(f"{whole}.{cents:02d}") * 10000
    assert q.unit == "CNY"


@given(st.integers(min_value=1, max_value=9999))
def test_chinese_numerals_match_arabic(n):
    digits = "零一二三四五六七八九"
    parts, rest = [], n
    for value, name in ((1000, "千"), (100, "百"), (10, "十")):
        if rest >= value:
            parts.append(digits[rest // value] + name)
            rest %= value
        elif parts and rest:
            parts.append("零")
    if rest:
        parts.append(digits[rest])
    text = "".join(parts).replace("零零", "零")
    assert parse_chinese_numeral(text) == n


@given(
    st.decimals(min_value=0, max_value=1000, places=2),
    st.decimals(min_value=0, max_value=1000, places=2),
)
def test_ranges_are_ordered(a, b):
    low, high = sorted((a, b))
    found = find_quantities(f"增长{low}%-{high}%")
    if low < high:
        assert [(q.value, q.value_high) for q in found] == [(low, high)]
    else:
        assert all(q.value_high is None for q in found)


def test_minus_signs_and_a_bare_scale_word():
    from transform.numbers import find_quantities

    def values(text):
        return [
            (float(q.value), q.value_high and float(q.value_high)) for q in find_quantities(text)
        ]

    assert values("增长-2.1%") == [(-2.1, None)]
    assert values("增长5%-5.5%") == [(5.0, 5.5)]  # a range dash, not a sign
    assert values("突破万亿元") == [(1e12, None)]
    assert values("达到1.2万亿元") == [(1.2e12, None)]


def test_the_character_before_a_number_decides_whether_it_starts_one():
    # the quantity pattern tests the character before a number after reading its first one
    assert quantities("第12项") == []
    assert quantities("XX.27%") == [] and quantities("29XX6万元") == []
    assert quantities("12项") == [(Decimal(12), None, "item", "项")]
    assert quantities("共1,234家企业")[0][:2] == (Decimal(1234), None)
    assert quantities("完成三点五万吨")[0][:3] == (Decimal(35_000_000), None, "kg")
    assert quantities("增长6.5%-7%")[0][:2] == (Decimal("6.5"), Decimal(7))


def test_the_quantity_pattern_keeps_its_group_order():
    # find_quantities unpacks the groups by position
    from transform.numbers import _quantity_re

    assert list(_quantity_re().groupindex) == ["n1", "m1", "s1", "m2", "u1", "n2", "s2", "u2"]
    assert _quantity_re().groups == 8


def test_a_hundred_million_standing_alone_at_a_clause_end_is_yuan():
    (q, _) = find_quantities("全县完成生产总值56.7亿，增长7.5%")
    assert (q.value, q.unit, q.unit_text) == (Decimal("5670000000.0"), "CNY", "亿")
    # with its own unit, or another word after it, it is what that says
    assert [x.unit for x in find_quantities("人口1.4亿人")] == ["person"]
    assert find_quantities("1.4亿立方") == []


def test_a_range_of_two_units_keeps_only_the_first_figure_and_its_span():
    text = "增长8%-10个"
    (q,) = find_quantities(text)
    assert (text[q.start : q.end], q.unit_text) == ("8%", "%")
