"""`IdIn(F("unit_id"), ids)`: a filter on many ids that PostgreSQL gets as one array (`= ANY(%s)`).

Django's `__in` prepares and compiles one parameter per id, which for the thousand units of an import's chunk
cost more than running the query; elsewhere it is `IN` as usual.
"""
from django.core.exceptions import EmptyResultSet
from django.db.models import Lookup


class IdIn(Lookup):
    lookup_name = "id_in"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        ids = [int(pk) for pk in self.rhs]
        if not ids:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", [*lhs_params, *ids]

    def as_postgresql(self, compiler, connection):
        ids = [int(pk) for pk in self.rhs]
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, ids]
