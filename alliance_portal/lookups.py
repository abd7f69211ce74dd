"""Integers a database cannot hold never reach it.

Django (5.0+) answers "no rows" for an out-of-range integer in ``exact``, ``gt``, …
lookups, but not in ``in``: a posted id like 10**30 in a multiple choice
(``pk__in=[…]``) overflowed SQLite's driver and PostgreSQL's integer, a 500. Here
``in`` on every integer field (ids included) drops the values outside the column's
range, which no row can match anyway, so the form says "not one of the choices"."""

from django.db.models import IntegerField
from django.db.models.lookups import In


class InRangeIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            try:
                low, high = connection.ops.integer_field_range(
                    self.lhs.output_field.get_internal_type()
                )
            except KeyError:  # an integer type the backend has no range for
                low = high = None
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def register() -> None:
    IntegerField.register_lookup(InRangeIn)
