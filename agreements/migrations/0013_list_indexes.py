"""Indexes for the agreements list: its sort, and free-text search on PostgreSQL.

The list shows the newest agreements first and searches reference and title with ``icontains``,
which Django writes as ``UPPER(col::text) LIKE UPPER('%...%')``: the trigram indexes are on
exactly those expressions. The EXPLAIN output is in docs/performance.md.
"""

from django.db import migrations

from agreements.pgindexes import create_index_concurrently, create_trigram_indexes


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("agreements", "0012_reminder_delivery_states"),
    ]

    operations = [
        create_index_concurrently(
            "agreement_created", "agreements_agreement (created_at DESC, id DESC)"
        ),
        create_trigram_indexes(
            {
                "agreement_reference_trgm": (
                    "agreements_agreement USING gin ((UPPER(reference::text)) gin_trgm_ops)"
                ),
                "agreement_title_trgm": (
                    "agreements_agreement USING gin ((UPPER(title::text)) gin_trgm_ops)"
                ),
            }
        ),
    ]
