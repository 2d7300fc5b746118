"""Error codes for input that is malformed or hostile: files that are not what they claim,
descriptors Frictionless cannot read, numbers out of range, settings and records the builder
cannot trust, and releases that went missing. Part of the engine's catalogue (`builder.errors`).
"""

from __future__ import annotations

from builder.problems import ErrorCatalogue, ErrorCode

RECORD = "releases/index.json"

INPUT_ERRORS = ErrorCatalogue(
    [
        ErrorCode(
            "descriptor-property-invalid",
            "A descriptor property the builder reads has the wrong form.",
            "Correct it as the message says.",
            "{what} is {value}: {problem}",
            "{fix}",
        ),
        ErrorCode(
            "resource-name-repeated",
            "Two resources have the same name.",
            "Give every resource its own name.",
            "resources {first} and {second} are both named {name!r}",
            "rename one of them; every resource needs its own name",
        ),
        ErrorCode(
            "schema-missing",
            "A resource has no Table Schema written in the descriptor.",
            "Write the schema inside the resource.",
            "{detail}",
            'write the columns inside the resource as "schema": {{"fields": [{{"name": ..., "type": ...}}]}}',
        ),
        ErrorCode(
            "schema-invalid",
            "A resource's Table Schema cannot be used as written.",
            "Correct the schema as the message says.",
            "{detail}",
            "{fix}",
        ),
        ErrorCode(
            "not-a-regular-file",
            "A resource path names a folder, a pipe or a device instead of a file.",
            "Put the file itself in the package.",
            "'{path}' is {what}, not a file; the builder reads only regular files",
            "replace it with the file itself: a CSV file, or the datapackage.json, inside the package folder",
        ),
        ErrorCode(
            "file-unreadable",
            "A file cannot be read (permissions, a loop of links, a disk error).",
            "Make the file readable.",
            "'{path}' cannot be read: {error}",
            "make it readable (e.g. chmod a+r) and check the disk; then run the command again",
        ),
        ErrorCode(
            "number-out-of-range",
            "A number is infinite, not a number, or too large to be stored.",
            "Correct the value; a number this large is a typing error.",
            "{value} {problem}",
            "{fix}",
        ),
        ErrorCode(
            "control-character",
            "Text holds a control character or a bidirectional override.",
            "Delete the character; retype the text if it was pasted from elsewhere.",
            "the text holds {character}, which is never shown as written (at character {position})",
            "delete it: control characters and direction overrides can hide or reorder what a reader sees",
        ),
        ErrorCode(
            "allowlist-invalid",
            "An entry of `privacy-allowlist.json` is malformed.",
            "Give each entry resource, field, value, reason and reviewed_by.",
            "{detail}",
            'write a list of {{"resource": ..., "field": ..., "value": ..., "reason": ..., "reviewed_by": ...}}',
        ),
        ErrorCode(
            "release-missing",
            f"A release recorded in `{RECORD}` is gone or was renamed.",
            "Restore the release folder from version control.",
            "release {version} ({created}) is recorded in " + RECORD + " but {problem}",
            "restore releases/{version} from version control (git checkout -- datapackage/releases/{version}); "
            "a release is never deleted or renamed",
        ),
        ErrorCode(
            "release-unrecorded",
            f"A release folder is not recorded in `{RECORD}`.",
            "Cut releases with `builder release`; never copy them in by hand.",
            "releases/{folder} is not recorded in " + RECORD,
            "remove the folder if it was copied in by mistake; releases are cut with python -m builder release",
        ),
        ErrorCode(
            "release-record-invalid",
            f"`{RECORD}`, the record of every release, is missing or malformed.",
            "Restore it from version control.",
            "{detail}",
            "{fix}",
        ),
        ErrorCode(
            "package-file-invalid",
            "A file the builder keeps beside the descriptor (`imports.json`, `pseudonym-key.json`) is malformed.",
            "Restore it from version control.",
            "{detail}",
            "restore {file} from version control (git checkout -- {file}); never edit it by hand",
        ),
        ErrorCode(
            "sheet-encoding",
            "A monitoring sheet is not in an encoding the importer can read without guessing.",
            "Save it as UTF-8 CSV or as XLSX.",
            "{detail}",
            "save the sheet as UTF-8 CSV (Excel: Save As, 'CSV UTF-8') or as an Excel workbook (.xlsx)",
        ),
        ErrorCode(
            "sheet-formula",
            "A sheet cell holds a formula whose value was never computed.",
            "Open the sheet in Excel or LibreOffice and save it again.",
            "the cell holds the formula {formula} but no value computed by a spreadsheet",
            "open the sheet in Excel or LibreOffice and save it, so that the value is stored; or type the value",
        ),
    ]
)
