"""The project's URLs plus the benchmark's floor: a minimal view rendering the base template."""

from django.shortcuts import render
from django.urls import include, path


def floor(request):
    return render(request, "base.html", {})


urlpatterns = [
    path("bench/floor/", floor),
    path("", include("config.urls")),
]
