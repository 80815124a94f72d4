#!/usr/bin/env python3
"""Generate each addon's README.rst from its readme/ fragments, the OCA way.

The layout is the one of OCA's ``oca-gen-addon-readme`` (maintainer-tools), offline:
the manifest's name as title, a "generated" banner with the digest of the sources,
badges computed from the manifest (maturity and licence, no network), the manifest's
summary, readme/DESCRIPTION.rst, a table of contents, then the sections of the
fragments that exist, in this order:

    CONTEXT      Use Cases / Context
    INSTALL      Installation
    CONFIGURE    Configuration
    USAGE        Usage
    ROLES        Roles                    (ours: the role table of each addon)
    DEVELOP      Development
    ROADMAP      Known issues / Roadmap
    HISTORY      Changelog

and Credits: Authors (the manifest's ``author``), Contributors (readme/CONTRIBUTORS.rst)
and Other credits (readme/CREDITS.rst). Sections are underlined with ``=``, the
subsections of a fragment with ``~`` (as Credits' own).

    python3 tests/gen_readme.py              # write addons/*/README.rst
    python3 tests/gen_readme.py --check      # exit 1 when a README.rst is out of date
    python3 tests/gen_readme.py addons/X ... # only these addons

Every ``addons/*/`` holding a ``__manifest__.py`` (installable) is an addon; each must
have readme/DESCRIPTION.rst, and a file of readme/ that is not a known fragment is an
error (a misspelt fragment would silently vanish). When docutils is importable (the
lint venv of tests/lint.sh installs it), the generated text is also parsed as
reStructuredText and any warning is an error, as OCA's tool does.

Pure Python 3 standard library (3.9+), docutils optional.
"""

import argparse
import ast
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRAGMENTS_DIR = "readme"
# (fragment, section title) in the order of the README, after DESCRIPTION
SECTIONS = [
    ("CONTEXT", "Use Cases / Context"),
    ("INSTALL", "Installation"),
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("ROLES", "Roles"),
    ("DEVELOP", "Development"),
    ("ROADMAP", "Known issues / Roadmap"),
    ("HISTORY", "Changelog"),
]
CREDITS_SECTIONS = [("CONTRIBUTORS", "Contributors"), ("CREDITS", "Other credits")]
FRAGMENTS = {"DESCRIPTION"} | {name for name, _title in SECTIONS + CREDITS_SECTIONS}
SUB = "~"  # underline of the subsections (Credits' Authors, Contributors...)

MATURITY_BADGES = {
    "alpha": ("Alpha", "red"),
    "beta": ("Beta", "yellow"),
    "production/stable": ("Production/Stable", "green"),
    "mature": ("Mature", "brightgreen"),
}
LICENSE_URLS = {
    "AGPL-3": "http://www.gnu.org/licenses/agpl-3.0-standalone.html",
    "GPL-3": "http://www.gnu.org/licenses/gpl-3.0-standalone.html",
    "LGPL-3": "http://www.gnu.org/licenses/lgpl-3.0-standalone.html",
}


class ReadmeError(Exception):
    """An addon whose README cannot be generated (message for the user)."""


# ---------------------------------------------------------------------------
# sources
# ---------------------------------------------------------------------------
def read_manifest(addon_dir):
    path = addon_dir / "__manifest__.py"
    try:
        return ast.literal_eval(path.read_text(encoding="utf-8"))
    except (SyntaxError, ValueError) as exc:
        raise ReadmeError(f"{path}: not a literal dict ({exc})") from exc


def find_addons(addons_root):
    """The installable addons under addons_root, sorted by name."""
    return sorted(
        path.parent
        for path in addons_root.glob("*/__manifest__.py")
        if read_manifest(path.parent).get("installable", True)
    )


def read_fragments(addon_dir):
    """{name: text} of readme/NAME.rst, each ending with exactly one newline."""
    readme = addon_dir / FRAGMENTS_DIR
    if not (readme / "DESCRIPTION.rst").is_file():
        raise ReadmeError(
            f"{addon_dir.name}: {FRAGMENTS_DIR}/DESCRIPTION.rst is missing"
        )
    fragments = {}
    for path in sorted(readme.iterdir()):
        if path.suffix != ".rst" or path.stem not in FRAGMENTS:
            known = ", ".join(sorted(f"{name}.rst" for name in FRAGMENTS))
            raise ReadmeError(
                f"{addon_dir.name}: {FRAGMENTS_DIR}/{path.name} is not a README "
                f"fragment (known: {known})"
            )
        lines = [
            line.rstrip() for line in path.read_text(encoding="utf-8").splitlines()
        ]
        text = "\n".join(lines).strip("\n")
        if text:
            fragments[path.stem] = text + "\n"
    return fragments


def source_digest(addon_dir):
    """sha256 of the manifest and the fragments: what the README is made from."""
    digest = hashlib.sha256()
    sources = [addon_dir / "__manifest__.py"]
    sources += sorted((addon_dir / FRAGMENTS_DIR).glob("*.rst"))
    for path in sources:
        digest.update(path.relative_to(addon_dir).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return "sha256:" + digest.hexdigest()


# ---------------------------------------------------------------------------
# rendering
# ---------------------------------------------------------------------------
def _heading(title, char="=", overline=False):
    line = char * len(title)
    return f"{line}\n{title}\n{line}\n" if overline else f"{title}\n{line}\n"


def badges(manifest):
    """[(image, target, alt)] from the manifest alone (no network)."""
    result = []
    status = manifest.get("development_status", "Beta").lower()
    if status in MATURITY_BADGES:
        label, colour = MATURITY_BADGES[status]
        image_label = label.replace("/", "%2F")
        result.append(
            (
                f"https://img.shields.io/badge/maturity-{image_label}-{colour}.png",
                "https://odoo-community.org/page/development-status",
                label,
            )
        )
    licence = manifest.get("license")
    if licence in LICENSE_URLS:
        result.append(
            (
                "https://img.shields.io/badge/licence-{}-blue.png".format(
                    licence.replace("-", "--")
                ),
                LICENSE_URLS[licence],
                f"License: {licence}",
            )
        )
    return result


def render(addon_dir):
    """The README.rst text of one addon."""
    manifest = read_manifest(addon_dir)
    fragments = read_fragments(addon_dir)
    name = manifest.get("name") or addon_dir.name
    parts = [
        _heading(name, overline=True),
        "..\n"
        "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
        "   !! This file is generated by tests/gen_readme.py from readme/*.rst  !!\n"
        "   !! and the manifest: edit those, then python3 tests/gen_readme.py   !!\n"
        "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
        f"   !! source digest: {source_digest(addon_dir)}\n"
        "   !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n",
    ]
    addon_badges = badges(manifest)
    if addon_badges:
        parts.append(
            "".join(
                f".. |badge{index}| image:: {image}\n"
                f"    :target: {target}\n"
                f"    :alt: {alt}\n"
                for index, (image, target, alt) in enumerate(addon_badges, 1)
            )
            + "\n"
            + " ".join(f"|badge{index}|" for index in range(1, len(addon_badges) + 1))
            + "\n"
        )
    if manifest.get("summary"):
        parts.append(manifest["summary"].strip() + "\n")
    parts.append(fragments["DESCRIPTION"])
    parts.append("**Table of contents**\n\n.. contents::\n   :local:\n")
    for fragment, title in SECTIONS:
        if fragment in fragments:
            parts.append(_heading(title) + "\n" + fragments[fragment])
    credits = [_heading("Credits")]
    authors = [
        author.strip()
        for author in manifest.get("author", "").split(",")
        if author.strip() and "(OCA)" not in author
    ]
    if authors:
        credits.append(
            _heading("Authors", SUB) + "\n" + "".join(f"* {a}\n" for a in authors)
        )
    for fragment, title in CREDITS_SECTIONS:
        if fragment in fragments:
            credits.append(_heading(title, SUB) + "\n" + fragments[fragment])
    parts.append("\n".join(credits))
    return "\n".join(parts)


def validate_rst(text, source):
    """Parse text as reStructuredText when docutils is there; warnings are errors."""
    try:
        from docutils.core import publish_doctree
        from docutils.utils import SystemMessage
    except ImportError:
        return False
    settings = {
        "file_insertion_enabled": False,
        "raw_enabled": False,
        "halt_level": 2,  # a warning stops the parse, as OCA's tool does
        "report_level": 5,  # no output on stderr: the exception says it
    }
    try:
        publish_doctree(text, source_path=str(source), settings_overrides=settings)
    except SystemMessage as exc:
        raise ReadmeError(f"{source}: not valid reStructuredText: {exc}") from exc
    return True


# ---------------------------------------------------------------------------
# command
# ---------------------------------------------------------------------------
def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when a README.rst differs from its sources",
    )
    parser.add_argument(
        "addons",
        nargs="*",
        type=Path,
        help="addon directories (default: every addons/*/ with a manifest)",
    )
    args = parser.parse_args(argv)
    addon_dirs = [path.resolve() for path in args.addons] or find_addons(
        ROOT / "addons"
    )
    problems = []
    for addon_dir in addon_dirs:
        readme = addon_dir / "README.rst"
        try:
            if not (addon_dir / "__manifest__.py").is_file():
                raise ReadmeError(f"{addon_dir}: no __manifest__.py")
            text = render(addon_dir)
            validate_rst(text, readme)
        except ReadmeError as exc:
            problems.append(str(exc))
            continue
        current = readme.read_text(encoding="utf-8") if readme.is_file() else None
        if current == text:
            continue
        if args.check:
            problems.append(
                f"{addon_dir.name}/README.rst is out of date "
                "(run: python3 tests/gen_readme.py)"
            )
        else:
            readme.write_text(text, encoding="utf-8")
            sys.stdout.write(f"written {readme}\n")
    for problem in problems:
        sys.stderr.write(problem + "\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
