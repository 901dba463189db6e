from articles.text.soup import fragment, serialize


def test_text_and_attributes_are_escaped():
    root = fragment('<p title="it\'s &quot;b&quot; &amp; &lt;c&gt;">x &amp; y &lt; z</p>')
    assert serialize(root) == '<p title="it\'s &quot;b&quot; &amp; &lt;c&gt;">x &amp; y &lt; z</p>'


def test_a_value_with_double_quotes_only_is_single_quoted():
    assert serialize(fragment("<abbr title='say \"hi\"'>x</abbr>")) == "<abbr title='say \"hi\"'>x</abbr>"


def test_urls_are_written_percent_encoded():
    root = fragment('<a href=" https://例子.com/路 径?q=1&amp;r=2">x</a><img src="https://x.example/a b.jpg">')
    assert serialize(root) == (
        '<a href="https://%E4%BE%8B%E5%AD%90.com/%E8%B7%AF%20%E5%BE%84?q=1&amp;r=2">x</a>'
        '<img src="https://x.example/a%20b.jpg">'
    )


def test_leading_text_and_whitespace_stay_in_place():
    root = fragment("  lead <b>b</b> tail")
    assert root.contents[0] == "  lead "
    assert serialize(root) == "lead <b>b</b> tail"


def test_void_elements_have_no_end_tag():
    assert serialize(fragment("<p>a<br>b</p><hr>")) == "<p>a<br>b</p><hr>"


def test_threads_parse_at_the_same_time():
    # Each thread has its own lxml parser: one shared by two threads crashes the process.
    from concurrent.futures import ThreadPoolExecutor

    from articles.importer.clean import clean_html

    html = "<div><p>段落 <b>粗体</b></p><ul><li>一</li><li>二</li></ul></div>" * 20
    expected = clean_html(html)
    with ThreadPoolExecutor(4) as pool:
        assert set(pool.map(lambda _: clean_html(html), range(400))) == {expected}
