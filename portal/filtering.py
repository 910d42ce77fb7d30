"""The API's filters refuse what a list page forgives: a parameter whose value means nothing."""
from django.utils.translation import gettext as _
from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

EMPTY = (None, "", [])


class StrictFilterBackend(DjangoFilterBackend):
    """`?active=maybe` or `?updated_after=` is a 400 naming the parameter, not a filter silently dropped: the
    FilterSets (shared with the list pages) read both as "no condition", which a client never means."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise utils.translate_validation(filterset.errors)
        meaningless = {
            name: [_("“%(value)s”不是 %(name)s 能接受的值；不用这个条件时请省略这个参数。")
                   % {"value": request.query_params[name], "name": name}]
            for name in filterset.form.fields
            if name in request.query_params and filterset.form.cleaned_data.get(name) in EMPTY
        }
        if meaningless:
            raise ValidationError(meaningless)
        return filterset.qs
