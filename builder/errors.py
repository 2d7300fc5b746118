"""The engine's error codes: each defined once, with its meaning, message and fix.

A study adds its own codes (see `Study.errors`). The maintainers' guide prints its table of
codes from these definitions. Templates are filled with `str.format`; `{detail}` and
`{fix}` carry wording that depends on the occurrence (a Frictionless constraint, say).
"""

from __future__ import annotations

from builder.input_errors import INPUT_ERRORS
from builder.problems import ErrorCatalogue, ErrorCode

ALLOWLIST_FIX = "if it is not personal data, add a reviewed entry to privacy-allowlist.json"
RESTORE = "restore releases/{version} from version control"


def personal(code: str, what: str, meaning: str, remedy: str) -> ErrorCode:
    return ErrorCode(
        code,
        meaning,
        "Remove it; see *Personal data*.",
        f"the {{place}} contains {what} ({{found!r}}), which must never be published",
        f"{remedy}; {ALLOWLIST_FIX}",
    )


def frictionless(code: str, meaning: str, remedy: str) -> ErrorCode:
    """A code Frictionless reports; the builder rewords each occurrence (`builder.validate`)."""
    return ErrorCode(code, meaning, remedy, "{detail}", "{fix}")


ENGINE_ERRORS = ErrorCatalogue(
    [
        # The descriptor and what the engine needs of it.
        ErrorCode(
            "descriptor-missing",
            "There is no `datapackage.json` at the path given.",
            "Pass the path of the package's `datapackage.json`.",
            "no package descriptor here",
            "pass the path of a datapackage.json",
        ),
        ErrorCode(
            "descriptor-not-json",
            "`datapackage.json` has a syntax error.",
            "Fix the JSON at the line given.",
            "the descriptor is not valid JSON ({error})",
            "fix the JSON syntax, e.g. with a JSON-aware editor",
        ),
        ErrorCode(
            "descriptor-invalid",
            "The descriptor lacks the structure of a data package.",
            "Start from the project's `datapackage.json` and keep its structure.",
            "{detail}",
            "{fix}",
        ),
        ErrorCode(
            "descriptor-property-missing",
            "The descriptor lacks a property the site and releases need (version, licence, source).",
            "Add the property; the message says what it must hold.",
            "the descriptor has no {what}",
            "add {example}",
        ),
        ErrorCode(
            "missing-disclosure",
            "Resources are marked reconstructed but the package does not say so in words.",
            "Add `reconstruction.disclosure` to the descriptor.",
            "resources {names} are reconstructed but the package has no reconstruction disclosure",
            "add reconstruction.disclosure saying the records are not the original observations",
        ),
        ErrorCode(
            "provenance-missing",
            "A resource does not say whether it is published, observed or reconstructed.",
            "Add `provenance` to the resource.",
            "the resource does not say whether it is published, observed or reconstructed",
            'add "provenance": "published" (as printed), "observed" (original records) or "reconstructed"',
        ),
        ErrorCode(
            "unit-missing",
            "A numeric field has no unit.",
            "Add a `unit` to the field.",
            "a measured field has no unit",
            'add a "unit" to the field, e.g. "CNY" or "pictures"',
        ),
        # What the study needs of the package.
        ErrorCode(
            "resource-missing",
            "The study needs a resource that the package does not declare.",
            "Add the resource to `datapackage.json`, with its file.",
            "the study needs the resource {resource}, which the package does not declare",
            "add a resource named {resource} to datapackage.json (see the study's requirements)",
        ),
        ErrorCode(
            "field-missing",
            "The study needs a field that a resource's schema does not declare.",
            "Add the field to the resource's schema and its column to the file.",
            "the study needs the field {field} of {resource}, which its schema does not declare",
            "add {field} to the schema of {resource} and the column to its file",
        ),
        ErrorCode(
            "setting-missing",
            "The descriptor's `study` object lacks a setting the study needs.",
            "Add the setting under `study` in `datapackage.json`.",
            "the study needs the setting study.{setting}, which the descriptor does not give",
            'add "{setting}" to the "study" object of datapackage.json',
        ),
        ErrorCode(
            "setting-invalid",
            "A setting in the descriptor's `study` object has the wrong form.",
            "Correct the setting as the message says.",
            "study.{setting} is {value!r}: {problem}",
            "{fix}",
        ),
        ErrorCode(
            "figure-missing",
            "The pages cite a printed figure that the package does not hold.",
            "Add the figure to the printed-figures resource.",
            "the pages cite the printed figure {figure_id}, which {resource} does not hold",
            "add a row for {figure_id} to {resource}",
        ),
        # Paths and files.
        ErrorCode(
            "path-missing",
            "A resource has no path to a file.",
            "Give the resource a relative path.",
            "the resource has no path to a file",
            "give the resource a relative path such as data/name.csv",
        ),
        ErrorCode(
            "remote-path",
            "A resource points at the web.",
            "Download the file into the package and use a relative path.",
            "'{path}' is a URL; the builder never fetches from the network",
            "download the file into the package folder and give its relative path",
        ),
        ErrorCode(
            "path-escapes-package",
            "A resource points outside the package folder.",
            "Copy the file into the package and use a relative path.",
            "'{path}' points outside the package folder",
            "move the file into the package folder and give a relative path without '..'",
        ),
        ErrorCode(
            "symlink-escapes-package",
            "A resource is a link, or is in a linked folder, outside the package.",
            "Copy the file into the package instead of linking it.",
            "'{path}' leads outside the package folder, to {target}, through the symbolic link '{link}'",
            "copy the file into the package folder instead of linking it or a folder that holds it",
        ),
        ErrorCode(
            "file-missing",
            "A resource's file is not there.",
            "Restore the file or fix its path.",
            "the resource's file does not exist",
            "create {path} or correct the resource path in datapackage.json",
        ),
        ErrorCode(
            "file-too-large",
            "The file is over the size limit.",
            "Check it is the right file; raise `BUILDER_MAX_RESOURCE_BYTES` if it is.",
            "the file is {size:,} bytes, over the limit of {limit:,}",
            "check it is the right file; to allow larger files set {variable}",
        ),
        ErrorCode(
            "byte-order-mark",
            'Excel\'s "CSV UTF-8" added an invisible mark.',
            "Save again without it (LibreOffice, or a text editor).",
            "the file starts with a byte-order mark (Excel's 'CSV UTF-8' adds one)",
            "save it again without the mark, e.g. from LibreOffice or a text editor, as UTF-8 CSV",
        ),
        ErrorCode(
            "not-utf8",
            "The file is in another encoding.",
            "Save it as UTF-8 CSV.",
            "the file is not UTF-8: byte 0x{byte:02X} on row {row} is not valid UTF-8",
            "save the file as UTF-8 (in Excel: Save As, 'CSV UTF-8'; then remove the byte-order mark)",
        ),
        ErrorCode(
            "empty-resource",
            "The file has a header but no rows.",
            "Add the rows or remove the resource.",
            "the file has no data rows",
            "add the rows, or remove the resource from datapackage.json",
        ),
        ErrorCode(
            "merged-rows",
            "A stray double quote swallowed the rows below it.",
            "Close or remove the quote on the row given.",
            "rows {first} to {last} were read as one record: a quote opened on row {first} is never closed",
            'close or remove the stray double quote (") on row {first}',
        ),
        # Frictionless's own checks, reworded by builder.validate.
        frictionless("extra-cell", "A row has more cells than the header.", "Quote text that contains commas."),
        frictionless("missing-cell", "A row has fewer cells than the header.", "Restore the lost comma or cell."),
        frictionless("incorrect-label", "A header does not match the schema.", "Rename the column as the schema says."),
        frictionless("missing-label", "A column of the schema is missing from the header.", "Add the column."),
        frictionless("extra-label", "The header has a column the schema does not declare.", "Remove or declare it."),
        frictionless("blank-label", "A column has no header.", "Give every column a header."),
        frictionless("duplicate-label", "Two columns have the same header.", "Give every column a distinct header."),
        frictionless("blank-row", "A row is empty.", "Delete the empty row."),
        frictionless(
            "type-error",
            "A value is not a number or date as required.",
            "Write whole numbers without separators, dates as YYYY-MM-DD.",
        ),
        frictionless("constraint-error", "A value is outside the allowed values or range.", "Use an allowed value."),
        frictionless("primary-key", "An id is used twice.", "Give each row its own id."),
        frictionless("unique-error", "A value that must be unique is used twice.", "Give each row its own value."),
        frictionless(
            "foreign-key",
            "A row refers to a row of another resource that does not exist.",
            "Add the missing row or correct the reference.",
        ),
        frictionless("encoding-error", "Frictionless could not decode the file.", "Save the file as UTF-8."),
        frictionless(
            "scheme-error", "A resource path cannot be read as a local file.", "Point it at a file in the package."
        ),
        frictionless("format-error", "The file is not CSV.", "Save the file as CSV."),
        frictionless("source-error", "The file could not be read.", "Check that it exists and is a readable CSV."),
        frictionless("hash-count", "A file's checksum differs from the descriptor's `hash`.", "Restore the file."),
        frictionless("byte-count", "A file's size differs from the descriptor's `bytes`.", "Restore the file."),
        frictionless(
            "package-error", "Frictionless cannot read the descriptor.", "Fix the descriptor as the message says."
        ),
        frictionless("resource-error", "Frictionless cannot read a resource.", "Fix the resource as the message says."),
        frictionless("schema-error", "A resource's schema is not a valid Table Schema.", "Fix the schema."),
        # Personal data and spreadsheet safety.
        ErrorCode(
            "formula-cell",
            "Text starts with `=`, `+`, `-` or `@`, which spreadsheets run.",
            "Reword the text.",
            "the cell starts with {first!r}, which a spreadsheet runs as a formula",
            "remove the leading character, or reword the text",
        ),
        personal(
            "phone-number",
            "a phone number",
            "A phone number in a text cell.",
            "remove it: contact details are never published",
        ),
        personal(
            "identity-number",
            "a PRC identity number",
            "A PRC identity number in a text cell.",
            "remove it: identity numbers are never published",
        ),
        personal(
            "email-address",
            "an e-mail address",
            "An e-mail address in a text cell.",
            "remove it: contact details are never published",
        ),
        personal(
            "url",
            "a web address",
            "A web address in a text cell.",
            "remove the link; cite sources in the descriptor's sources instead",
        ),
        personal(
            "wechat-id",
            "a WeChat id",
            "A WeChat id in a text cell.",
            "remove it; people appear here only under pseudonymous ids",
        ),
        personal(
            "qq-number", "a QQ number", "A QQ number in a text cell.", "remove it: account numbers are never published"
        ),
        personal(
            "ip-address",
            "an IP address",
            "An IP address in a text cell.",
            "remove it: a network address can identify a person",
        ),
        ErrorCode(
            "small-group",
            "Too few records share a published attribute.",
            "Merge the value into a broader one.",
            "only {size} record(s) have {values}, fewer than k = {k}: so few could single out an account",
            "merge that value into a broader one, or stop publishing {fields}",
        ),
        # Printed figures and their recompute keys.
        ErrorCode(
            "figure-contradicted",
            "The records no longer give a figure the report printed.",
            "Correct the records, or explain the difference in `discrepancy`.",
            "figure {figure_id} is printed as {printed_as} but the records give {recomputed:.6g}",
            "correct the records, or explain the difference in the discrepancy column",
        ),
        ErrorCode(
            "figure-not-computable",
            "A figure's recompute key does not fit this package.",
            "Fix the key, or mark the figure as context.",
            "figure {figure_id} cannot be recomputed from this package: {reason}",
            "correct the recompute key, or set comparison to context and clear the key",
        ),
        ErrorCode(
            "unknown-figure",
            "A recompute key names a figure the study does not define.",
            "Use a figure of the study's registry.",
            "'{name}' is not a figure of this study",
            "use one of: {known}",
        ),
        ErrorCode(
            "key-comparison-mismatch",
            "A figure has a recompute key but is marked context, or the reverse.",
            "Add a key, or set comparison to context.",
            "a figure has a recompute key exactly when it is not 'context'",
            "add a key, or set comparison to context",
        ),
        ErrorCode(
            "tolerance-missing",
            "An 'about' figure has no tolerance.",
            "Give the distance the printed wording allows.",
            "an 'about' figure needs a tolerance",
            "give the distance the printed wording allows, in the figure's unit",
        ),
        ErrorCode(
            "precision-missing",
            "A 'rounded' figure has no precision.",
            "Give the printed rounding step.",
            "a 'rounded' figure needs its printed precision",
            "give the rounding step: 1 for a whole number, 0.1 for one decimal",
        ),
        # Frozen releases.
        ErrorCode(
            "sums-missing",
            "A frozen release has lost its checksums.",
            "Restore it from version control.",
            "{sums} is missing",
            RESTORE,
        ),
        ErrorCode(
            "frozen-file-missing",
            "A checksummed file of a frozen release is missing.",
            "Restore it from version control.",
            "a checksummed file is missing",
            RESTORE,
        ),
        ErrorCode(
            "checksum-mismatch",
            "A frozen release was altered.",
            "Restore it from version control; correct data in a new release.",
            "the file does not match its SHA-256 in {sums} (line {line}): the frozen release was altered",
            "restore it with git checkout -- datapackage/{where}; publish corrections as a new release",
        ),
        ErrorCode(
            "file-unlisted",
            "A frozen release holds a file that is not in its checksums.",
            "Remove it; add notes in `release-notes/` instead.",
            "a file in the release is not in its checksums",
            "remove it; add notes in release-notes/ instead",
        ),
        ErrorCode(
            "edition-damaged",
            "A frozen site edition is missing a file or one was altered.",
            "Restore `editions/` from version control; an edition is never rebuilt.",
            "{detail}",
            "restore the editions folder with git checkout -- datapackage/editions; a frozen edition is never rebuilt",
        ),
        ErrorCode(
            "edition-unreleased",
            "A frozen site edition has no release of that version.",
            "Remove the stray manifest, or restore the release it belongs to.",
            "there is an edition {version} but no release {version}",
            "restore releases/{version} from version control, or remove editions/{version}.json if it was copied by mistake",
        ),
        # Monitoring sheets.
        ErrorCode(
            "sheet-empty",
            "A monitoring sheet has no rows.",
            "Fill it in, one row per record.",
            "the sheet has no rows",
            "fill in the monitoring sheet, one row per record",
        ),
        ErrorCode(
            "sheet-column-missing",
            "A monitoring sheet lacks a required column.",
            "Start from the template and keep its header row.",
            "the sheet has no column {columns}",
            "start from the monitoring-sheet template; keep its header row",
        ),
        ErrorCode(
            "sheet-row-too-long",
            "A sheet row has more cells than the header.",
            "Remove the extra cells; nothing was changed.",
            "the row has more cells than the header, so its values have shifted",
            "a value with a comma, such as {example}, must be in double quotes",
        ),
        ErrorCode(
            "sheet-value",
            "A sheet cell cannot be read.",
            "Fix the cell named; nothing was changed.",
            "{detail}",
            "{fix}",
        ),
    ]
)
# Codes for malformed or hostile input are kept apart, in builder.input_errors.
ENGINE_ERRORS = ENGINE_ERRORS | INPUT_ERRORS
