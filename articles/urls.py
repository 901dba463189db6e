from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("<int:year>/<str:month>/<str:day>/<str:slug>/", views.article_detail, name="detail"),
    path("category/<str:slug>/", views.article_list, name="category"),
]
