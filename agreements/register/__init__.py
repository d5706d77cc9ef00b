"""The application register (OD requirements 92 and 93): who may see and change which
applications, the coverage of applications by current supplier agreements, and the import from
and export to the service-management tool's spreadsheet format."""
