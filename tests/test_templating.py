"""ftdraft.templating: the compiled-template cache saves work and never breaks a render."""

from __future__ import annotations

from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from ftdraft.drafts import render_drafts
from ftdraft.schemas import CallFacts, Engagement
from ftdraft.templating import PROMPTS_DIR, bytecode_cache, environment

TEMPLATE = "offline/follow_up_email.j2"


def env_with(cache_dir: str) -> SandboxedEnvironment:
    return SandboxedEnvironment(
        loader=FileSystemLoader(str(PROMPTS_DIR)),
        undefined=StrictUndefined,
        bytecode_cache=bytecode_cache(cache_dir),
    )


def test_the_cache_folder_receives_compiled_templates_and_a_new_process_reads_them(tmp_path: Path) -> None:
    first = env_with(str(tmp_path))
    compiled = first.get_template(TEMPLATE)
    cached = list(tmp_path.iterdir())
    assert len(cached) == 1 and cached[0].stat().st_size > 0
    second = env_with(str(tmp_path))  # what a new process does: load the compiled template from the folder
    loaded = second.get_template(TEMPLATE)
    assert loaded.blocks.keys() == compiled.blocks.keys() and loaded.name == compiled.name


def test_a_cache_folder_that_cannot_be_written_costs_only_a_recompile(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x", encoding="utf-8")
    env = env_with(str(not_a_folder))  # writing the cache fails (not a directory): the template still compiles
    assert env.get_template(TEMPLATE) is not None


def test_a_damaged_cache_entry_is_recompiled(tmp_path: Path) -> None:
    env_with(str(tmp_path)).get_template(TEMPLATE)
    (entry,) = tmp_path.iterdir()
    entry.write_bytes(b"not a compiled template")
    assert env_with(str(tmp_path)).get_template(TEMPLATE) is not None


def test_the_shared_environment_uses_a_cache_and_the_drafts_still_render() -> None:
    assert environment().bytecode_cache is not None
    drafts = render_drafts(Engagement(customer="Contoso"), CallFacts())
    assert "Contoso" in drafts.intro_request.email.body
