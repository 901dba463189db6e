"""The public site: views (pages, the JSON API, feeds, sitemaps, media) and their plumbing (URLs,
query parameters, pagination, the page cache, the search limit, redirects, privacy)."""
