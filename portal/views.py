from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from portal.health import run_checks


@login_required
def home(request):
    return render(request, "home.html")


@never_cache
@transaction.non_atomic_requests
def healthz(request):
    healthy, checks = run_checks()
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)
