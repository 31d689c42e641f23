from transform.decode import decode_bytes
from transform.documents import read_document, sniff_format
from transform.text import normalise_text

TEXT = "地区生产总值增长8%，城镇新增就业1.2万人。"


def test_gbk_declared_only_in_meta():
    page = f'<html><head><meta charset="gb2312"></head><body><p>{TEXT}</p></body></html>'
    text, enc = decode_bytes(page.encode("gbk"), "text/html")
    assert TEXT in text and enc == "gb18030"


def test_http_header_wins_and_bom_and_utf16():
    assert decode_bytes(TEXT.encode("gb18030"), "text/html; charset=GBK")[0] == TEXT
    assert decode_bytes(b"\xef\xbb\xbf" + TEXT.encode(), None)[0] == TEXT
    assert decode_bytes(TEXT.encode("utf-16"), None)[0] == TEXT
    assert decode_bytes(TEXT.encode("utf-16-le"), None)[0] == TEXT


def test_undeclared_gbk_is_detected():
    assert decode_bytes(TEXT.encode("gbk"))[0] == TEXT


def test_binary_noise_never_raises():
    text, _ = decode_bytes(bytes(range(256)) * 10)
    assert isinstance(text, str)


def test_normalise_fullwidth_spaced_numbers_and_chrome():
    raw = "当前位置：首页 > 政务公开\r\n【字体：大 中 小】\r\n增长６．５％，比重为8.5 %，增长9 ．2 ％\r\n打印 关闭\n&nbsp;"
    assert normalise_text(raw) == "增长6.5%，比重为8.5%，增长9.2%"


def test_sniff_formats():
    assert sniff_format(b"%PDF-1.4 ...") == "pdf"
    assert sniff_format(b"PK\x03\x04....") == "docx"
    assert sniff_format(b"<!DOCTYPE html><html>") == "html"
    assert sniff_format("地区生产总值".encode()) == "text"


def test_empty_and_garbage_documents_are_refused_or_give_no_facts():
    """An empty or undecodable document is a failed report (UnreadableDocument), never an ok
    one with 0 facts; a readable text without figures gives none."""
    import pytest

    from transform.documents import UnreadableDocument
    from transform.facts import extract_facts

    for data in (b"", b"\x00\x01\x02" * 1000, bytes(range(256)) * 100):
        with pytest.raises(UnreadableDocument):
            read_document(data)
    assert extract_facts(read_document("增长%%%亿元".encode())) == []


def test_traditional_script_reads_as_simplified():
    from transform.documents import read_document
    from transform.facts import extract_facts

    trad = "一、2019年工作回顧\n2019年，全市生產總值增長6.3%，固定資產投資增長10.6%，社會消費品零售總額增長10.4%。"
    doc = read_document(trad.encode("utf-8"))
    assert "生产总值增长6.3%" in doc.text
    assert [(f.indicator, f.value) for f in extract_facts(doc)] == [
        ("gdp", 6.3),
        ("fixed_asset_investment", 10.6),
        ("retail_sales", 10.4),
    ]
    simplified = "效果显著，著力推进工作。"
    assert normalise_text(simplified) == simplified  # simplified text is left alone


def test_letter_spaced_pdf_lines_are_closed_up_and_normal_lines_kept():
    from transform.text import normalise_text

    spaced = "地 区 生 产 总 值 增 长 6 . 5 % ， 一 般 公 共 预 算 收 入 1 2 . 3 亿 元 。"
    assert normalise_text(spaced) == "地区生产总值增长6.5%，一般公共预算收入12.3亿元。"
    normal = "各位代表：现在我代表 市人民政府，向大会报告工作。"
    assert normalise_text(normal) == normal
    row = "地区生产总值增速 | % | 6.2 | 6左右"
    assert normalise_text(row) == row
