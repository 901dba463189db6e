"""HTML element kinds the cleaner and the text extractor agree on."""

WRAPPER_TAGS = frozenset({"div", "section", "article", "aside", "header", "footer", "nav", "main", "center", "span"})
BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "aside", "header", "footer", "nav", "main", "center", "figure",
    "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col", "pre", "hr",
})  # fmt: skip
# Blocks that hold other blocks, each on its own line.
CONTAINER_BLOCKS = frozenset({"ul", "ol", "dl", "blockquote", "table", "thead", "tbody", "tfoot", "tr", "figure"})
