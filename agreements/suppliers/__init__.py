"""External suppliers and their contact persons, kept by service managers and administrators."""
