"""Placeholder views; the public-site issue replaces them."""

from django.shortcuts import get_object_or_404, render

from .models import Article


def article_list(request, slug=None):
    articles = Article.objects.published()[:20]
    return render(request, "articles/article_list.html", {"articles": articles})


def article_detail(request, year, month, day, slug):
    article = get_object_or_404(Article.objects.visible_to(request.user), slug=slug)
    return render(request, "articles/article_detail.html", {"article": article})
