"""tests/gen_readme.py: README.rst from readme/ fragments, the OCA layout, --check.

Plain files in a temporary folder (no database needed; it runs with the suite-level
tests of tests/run.sh)."""

import importlib.util
from pathlib import Path

import pytest

SPEC = importlib.util.spec_from_file_location(
    "daya_gen_readme", Path(__file__).with_name("gen_readme.py")
)
gen_readme = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(gen_readme)

MANIFEST = """{
    "name": "Daya Demo Addon",
    "summary": "One line of summary",
    "version": "16.0.1.0.0",
    "author": "Daya CRM, Someone Else",
    "license": "LGPL-3",
    "depends": ["base"],
}
"""


@pytest.fixture
def addon(tmp_path):
    addon_dir = tmp_path / "daya_demo"
    (addon_dir / "readme").mkdir(parents=True)
    (addon_dir / "__manifest__.py").write_text(MANIFEST)
    fragments = {
        "DESCRIPTION": "What it does.\n",
        "USAGE": "How to use it.\n",
        "ROLES": "Who may do it.\n\nScope\n~~~~~\n\n* own branches\n",
        "ROADMAP": "What is left.\n",
        "CONTRIBUTORS": "* Daya CRM team\n",
    }
    for name, text in fragments.items():
        (addon_dir / "readme" / f"{name}.rst").write_text(text)
    return addon_dir


def test_layout(addon):
    text = gen_readme.render(addon)
    lines = text.splitlines()
    assert lines[:3] == ["=" * 15, "Daya Demo Addon", "=" * 15]
    assert "!! source digest: sha256:" in text
    assert "|badge1| |badge2|" in text
    assert ":alt: License: LGPL-3" in text
    # summary, description, contents, then the sections in OCA's order, ROLES ours
    order = [
        "One line of summary",
        "What it does.",
        ".. contents::",
        "Usage",
        "Roles",
        "Scope",
        "Known issues / Roadmap",
        "Credits",
        "Authors",
        "* Daya CRM",
        "* Someone Else",
        "Contributors",
        "* Daya CRM team",
    ]
    positions = [lines.index(line) for line in order]
    assert positions == sorted(positions)
    # no section for a fragment that does not exist
    assert "Installation" not in lines and "Changelog" not in lines
    assert gen_readme.validate_rst(text, addon / "README.rst")


def test_write_then_check(addon, capsys):
    assert gen_readme.main(["--check", str(addon)]) == 1  # no README yet
    assert "out of date" in capsys.readouterr().err
    assert gen_readme.main([str(addon)]) == 0
    assert gen_readme.main(["--check", str(addon)]) == 0
    # a fragment edited without regenerating: out of date again
    (addon / "readme" / "USAGE.rst").write_text("How to use it, better.\n")
    assert gen_readme.main(["--check", str(addon)]) == 1
    # a README edited by hand: out of date too
    gen_readme.main([str(addon)])
    readme = addon / "README.rst"
    readme.write_text(readme.read_text() + "\nA hand-made line.\n")
    assert gen_readme.main(["--check", str(addon)]) == 1


def test_refuses_unknown_fragment_and_missing_description(addon, capsys):
    (addon / "readme" / "USAGES.rst").write_text("misspelt\n")
    assert gen_readme.main(["--check", str(addon)]) == 1
    assert "USAGES.rst is not a README fragment" in capsys.readouterr().err
    (addon / "readme" / "USAGES.rst").unlink()
    (addon / "readme" / "DESCRIPTION.rst").unlink()
    assert gen_readme.main([str(addon)]) == 1
    assert "DESCRIPTION.rst is missing" in capsys.readouterr().err


def test_invalid_rst_is_an_error(addon, capsys):
    (addon / "readme" / "USAGE.rst").write_text(
        "A title\n=====\n\nIts underline is too short.\n"
    )
    assert gen_readme.main([str(addon)]) == 1
    assert "not valid reStructuredText" in capsys.readouterr().err
    assert not (addon / "README.rst").exists()
