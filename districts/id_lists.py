"""`IdIn(F("unit_id"), ids)`: a filter on many ids that PostgreSQL gets as one array (`= ANY(%s)`); `PairIn` the same
for pairs of ids.

Django's `__in` prepares and compiles one parameter per id, which for the thousand units of an import's chunk
cost more than running the query; elsewhere it is `IN` as usual. The array goes as one text literal
(`'{1,2,3}'::bigint[]`): psycopg2 adapts a list of integers one by one in Python (0.66 ms for a thousand, against
0.02 ms to join them), and PostgreSQL parses one literal faster than an `ARRAY[…]` of a thousand constants.
"""
from django.core.exceptions import EmptyResultSet
from django.db.models import BooleanField, Expression, Lookup


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
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::{self.lhs.output_field.db_type(connection)}[])", [*lhs_params, _array(self.rhs)]


class PairIn(Expression):
    """`PairIn(F("unit_id"), F("period_id"), pairs)`: the rows whose two columns are one of `pairs`.

    PostgreSQL gets the pairs as two arrays, joined to the table's index on both columns: filtering each column by
    its own list lets the planner walk an index on one of them, which a long transaction's new rows, not yet in the
    statistics, make slower with every row it adds.
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, first, second, pairs):
        super().__init__()
        self.first, self.second, self.pairs = first, second, [(int(a), int(b)) for a, b in pairs]

    def get_source_expressions(self):
        return [self.first, self.second]

    def set_source_expressions(self, expressions):
        self.first, self.second = expressions

    def _columns(self, compiler) -> tuple[str, list]:
        if not self.pairs:
            raise EmptyResultSet
        (first, first_params), (second, second_params) = compiler.compile(self.first), compiler.compile(self.second)
        return f"({first}, {second})", [*first_params, *second_params]

    def as_sql(self, compiler, connection):
        columns, params = self._columns(compiler)
        values = ", ".join(["(%s, %s)"] * len(self.pairs))
        return f"{columns} IN (VALUES {values})", [*params, *(value for pair in self.pairs for value in pair)]

    def as_postgresql(self, compiler, connection):
        columns, params = self._columns(compiler)
        first, second = (column.output_field.db_type(connection) for column in (self.first, self.second))
        return (f"{columns} IN (SELECT * FROM unnest(%s::{first}[], %s::{second}[]))",  # noqa: S608 (column types)
                [*params, _array([a for a, _b in self.pairs]), _array([b for _a, b in self.pairs])])


def _array(ids) -> str:
    """PostgreSQL's text of an array of `ids` (int(): only integers reach the literal)."""
    return "{" + ",".join(str(int(pk)) for pk in ids) + "}"
