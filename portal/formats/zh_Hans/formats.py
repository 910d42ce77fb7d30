"""Chinese numbers as the bureau writes them: digits grouped in threes with a comma (79,603 家; 603,900.5 万元).
Django's zh_Hans locale groups in fours with no separator; only `floatformat:"…g"` and `intcomma` use this."""
from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
