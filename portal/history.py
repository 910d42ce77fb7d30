"""`LeanHistory`: a model's django-simple-history with only the indexes and constraints its readers need.

simple_history indexes every history row by when and by whom it was written and by each foreign key the model
has, and checks the user's id against the user table: an import's national file writes hundreds of thousands
of history rows at once, each paying for index entries and look-ups that nothing reads (docs/performance.md,
measure 4). A lean history keeps the index on the recorded row's id (its admin page,
a row's own history) and the `indexes` given (lists of field names) for the pages that read it otherwise.
The user's id is kept without a constraint: Django still sets it to NULL when a user is deleted (users are
deactivated, and rarely deleted; the deletion then scans the history table).
"""
from django.db import models
from simple_history.models import HistoricalRecords


class LeanHistory(HistoricalRecords):
    def __init__(self, *args, indexes=(), **kwargs):
        super().__init__(*args, user_db_constraint=False, **kwargs)
        self.indexes = [list(fields) for fields in indexes]

    def copy_fields(self, model):
        fields = super().copy_fields(model)
        for field in fields.values():
            if field.is_relation:
                field.db_index = False
        return fields

    def get_extra_fields(self, model, fields):
        extra = super().get_extra_fields(model, fields)
        extra["history_date"].db_index = extra["history_user"].db_index = False
        return extra

    def get_meta_options(self, model):
        return super().get_meta_options(model) | {"indexes": [models.Index(fields=fields) for fields in self.indexes]}
