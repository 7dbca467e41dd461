"""Notes in, DraftBundle out: checks the input, extracts the facts, renders every draft, records provenance."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from .config import EngineChoice, Settings, get_settings
from .inputs import check_notes
from .schemas import DRAFT_NAMES, CallFacts, Check, DraftBundle, Engagement, Flag, Person, Provenance

if TYPE_CHECKING:
    from .llm import ChatModel  # the model path is imported lazily: offline never loads openai/langchain

Progress = Callable[[str], None]
TokenSink = Callable[[str], None]


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def with_fm(engagement: Engagement | None, settings: Settings) -> Engagement | None:
    """The engagement with the FM's identity from the settings (FTDRAFT_FM_NAME / FTDRAFT_FM_EMAIL, or the app's
    sidebar) where the engagement does not name the FM; unchanged when the settings know nothing."""
    name, email = (settings.fm_name or "").strip(), (settings.fm_email or "").strip()
    if not name and not email:
        return engagement
    engagement = engagement or Engagement()
    fm = engagement.fm or Person(role="FM")
    update = {"name": fm.name or name or None, "email": fm.email or email or None}
    return engagement.model_copy(update={"fm": fm.model_copy(update=update)})


def flag_unknown_fm(bundle: DraftBundle) -> DraftBundle:
    """Flags for what the drafts could not fill (issue 10): the FM's name (the drafts then sign with a visible
    "[your name]"), and the people the drafts name in the body because they have no email address for To/Cc."""
    e = bundle.engagement
    flags: list[Flag] = []
    # the drafts sign with the FM the notes name when no name is set: the flag is for a visible "[your name]" only
    if not (e.fm is not None and e.fm.name and e.fm.name.strip()) and "[your name]" in bundle.drafts.model_dump_json():
        flags.append(
            Flag(
                field="engagement.fm.name",
                message="Your name is unknown: the drafts say [your name]. "
                "Set FTDRAFT_FM_NAME or the FM name in the sidebar.",
            )
        )
    people = [*e.account_team, *([e.fta] if e.fta else [])]
    missing = [
        f"{p.name.strip()} ({p.role})" for p in people if p.name and p.name.strip() and not (p.email or "").strip()
    ]
    if missing:
        flags.append(
            Flag(
                field="engagement.emails",
                message="No email address for " + ", ".join(missing) + ": the drafts name them in the body "
                "instead of To/Cc. Add their addresses to the account team to address them.",
            )
        )
    known = {f.field for f in bundle.facts.flags}
    flags = [f for f in flags if f.field not in known]
    if not flags:
        return bundle
    facts = bundle.facts.model_copy(update={"flags": [*bundle.facts.flags, *flags]})
    return bundle.model_copy(update={"facts": facts})


def offline_bundle(
    notes: str,
    engagement: Engagement | None = None,
    agenda_answers: dict[str, str] | None = None,
) -> DraftBundle:
    """The deterministic engine end to end: no model, no network, no key."""
    from .drafts import render_drafts
    from .extract import extract_facts

    engagement, facts = extract_facts(notes, engagement or Engagement(), agenda_answers or {})
    drafts = render_drafts(engagement, facts)
    provenance = {name: Provenance(engine="offline") for name in ("extraction", *DRAFT_NAMES)}
    return DraftBundle(generated_at=_now(), engagement=engagement, facts=facts, drafts=drafts, provenance=provenance)


def build_bundle(
    notes: str,
    engagement: Engagement | None = None,
    agenda_answers: dict[str, str] | None = None,
    *,
    engine: EngineChoice | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
    on_follow_up_token: TokenSink | None = None,
    model: ChatModel | None = None,
) -> DraftBundle:
    """Draft everything from the FM's notes with the chosen engine (auto: the model when a key is set).

    progress gets short status lines; on_follow_up_token gets the follow-up email's body as the model
    streams it, on the calling thread (never called offline). The streamed text is a preview: show
    `bundle.drafts.follow_up` once this returns, since a reply cut off midway falls back to the offline
    draft. `model` replaces the OpenAI-compatible client the settings describe (tests, other providers).
    Raises InputError for notes that cannot be drafted from; any model failure falls back to the offline
    engine part by part and is recorded in the provenance.
    """
    settings = settings or get_settings()
    check_notes(notes, settings.max_notes_bytes)  # before any model call: oversized notes are never sent
    engagement = with_fm(engagement, settings)
    say = progress or (lambda _msg: None)
    choice = engine or settings.engine
    # the model drafts unless offline was chosen, and only with something to call: a key, or a model passed in
    use_model = choice != "offline" and (model is not None or settings.has_key)
    if not use_model:
        say("Reading the notes (offline engine)")
        bundle = offline_bundle(notes, engagement, agenda_answers)
        if choice == "llm":  # asked for the model explicitly, but there is no key: say so, don't crash
            reason = "No API key: set OPENAI_API_KEY (in the environment or .env) to draft with the model."
            bundle.provenance = {
                part: p.model_copy(update={"fallback_reason": reason}) for part, p in bundle.provenance.items()
            }
        say("Drafts ready")
        from . import guards

        return guards.guard_bundle(flag_unknown_fm(bundle), notes, agenda_answers, engagement)
    bundle = _model_bundle(
        notes,
        engagement or Engagement(),
        agenda_answers or {},
        settings=settings,
        model=model,
        say=say,
        on_follow_up_token=on_follow_up_token,
    )
    from . import guards  # imported while the extraction request was in flight (llm.drafting.prepare_drafting)

    secrets = guards.secret_values() + guards.secret_values(settings)  # the key this run used, wherever it came from
    return guards.guard_bundle(flag_unknown_fm(bundle), notes, agenda_answers, engagement, secrets=secrets)


def _model_bundle(
    notes: str,
    engagement: Engagement,
    agenda_answers: dict[str, str],
    *,
    settings: Settings,
    model: ChatModel | None,
    say: Progress,
    on_follow_up_token: TokenSink | None,
) -> DraftBundle:
    """The model path: one extraction call with the notes, then every draft from the facts in parallel.
    Everything shares one time budget (Settings.total_budget); each part falls back on its own.

    Only what the extraction request needs is imported before it leaves; the rules engine, the drafting
    round (offline drafts, prompt templates, schemas) and the guardrails load while it is in flight, the
    openai SDK too when a reply will stream (on_follow_up_token; otherwise every request goes through the
    standard library and the SDK is never imported), and the guardrails' caches warm while the draft
    requests are in flight."""
    from .llm import Budget, total_usage
    from .llm.extraction import extract_with_model

    budget = Budget(settings.total_budget)
    if model is None:
        from .llm.openai_chat import model_from_settings

        model = model_from_settings(settings)
    say(f"Reading the notes with the model ({model.name})")
    given = engagement
    rules: list[CallFacts] = []  # the rules engine's facts for the notes, read while the request was in flight
    engagement, facts, extraction = extract_with_model(
        model,
        notes,
        engagement,
        agenda_answers,
        settings=settings,
        budget=budget,
        while_waiting=_prepare_drafting,
        rules_facts=rules,
        prepare_model=on_follow_up_token is not None,
    )
    from . import guards
    from .llm.drafting import draft_with_model

    fact_checks: list[Check] = []
    if extraction.engine == "llm" and not extraction.fallback_reason:
        # A model can obey orders pasted in the notes: its owners, dates and statuses must be what the cited
        # lines say, or what the offline engine reads there (guards/model_facts.py).
        if rules:
            offline_facts = rules[0]
        else:
            from .extract import extract_facts

            offline_facts = extract_facts(notes, given, agenda_answers)[1]
        facts, fact_checks = guards.check_model_facts(notes, facts, offline_facts, engagement)
    say("Writing the drafts with the model")
    drafts, provenance, checks = draft_with_model(
        model,
        engagement,
        facts,
        settings=settings,
        budget=budget,
        on_follow_up_token=on_follow_up_token,
        while_waiting=_warm_guards,
    )
    provenance = {"extraction": extraction, **provenance}
    say("Drafts ready")
    return DraftBundle(
        generated_at=_now(),
        engagement=engagement,
        facts=facts,
        drafts=drafts,
        provenance=provenance,
        checks=[*fact_checks, *checks],
        tokens=total_usage(provenance),
    )


def _prepare_drafting() -> None:
    from .llm.drafting import prepare_drafting

    prepare_drafting()


def _warm_guards() -> None:
    """The guardrails' cached set-up (the system prompt's sentences, the templates' vocabulary) built ahead
    of guard_bundle; only what is cached, since anything else would be built twice."""
    from . import guards

    for setup in (guards.system_prompt_fingerprints, guards.template_vocabulary):
        if hasattr(setup, "cache_info"):  # functools.lru_cache
            setup()


def redraft(
    bundle: DraftBundle,
    facts: CallFacts | None = None,
    engagement: Engagement | None = None,
    *,
    notes: str | None = None,
    agenda_answers: dict[str, str] | None = None,
) -> DraftBundle:
    """Re-render every draft from corrected facts, without extracting again (notes/agenda: for the guardrails)."""
    from .drafts import render_drafts

    engagement = engagement or bundle.engagement
    facts = facts or bundle.facts
    drafts = render_drafts(engagement, facts)
    provenance = dict(bundle.provenance)
    provenance.update({name: Provenance(engine="offline") for name in DRAFT_NAMES})
    bundle = bundle.model_copy(
        update={
            "engagement": engagement,
            "facts": facts,
            "drafts": drafts,
            "provenance": provenance,
            "generated_at": _now(),
        }
    )
    from . import guards

    return guards.guard_bundle(bundle, notes, agenda_answers, engagement, trusted_facts=True)


def redraft_with_model(
    bundle: DraftBundle,
    names: list[str],
    *,
    settings: Settings | None = None,
    notes: str | None = None,
    agenda_answers: dict[str, str] | None = None,
    on_follow_up_token: TokenSink | None = None,
    model: ChatModel | None = None,
) -> DraftBundle:
    """Re-write the drafts `names` through the model from the bundle's current facts (no new extraction);
    every other draft is left exactly as it is. The follow-up streams to on_follow_up_token (calling thread).
    Each part falls back to its template on its own, the reason recorded in its provenance; the bundle's
    token totals are recomputed. Issue 13: Regenerate / "Rewrite with the model" in the app."""
    from . import guards
    from .drafts import render_draft
    from .llm import Budget, total_usage
    from .llm.drafting import MODEL_DRAFTS, draft_one, prepare_drafting, shared_prefix

    settings = settings or get_settings()
    if model is None:
        from .llm.openai_chat import model_from_settings

        model = model_from_settings(settings)
    prepare_drafting()
    budget = Budget(settings.total_budget)
    e, facts = bundle.engagement, bundle.facts
    prefix = shared_prefix(e, facts)
    drafts, provenance, checks = bundle.drafts, dict(bundle.provenance), [c for c in bundle.checks]
    for name in names:
        template = render_draft(name, e, facts)
        if template is None or name not in MODEL_DRAFTS:
            drafts = drafts.model_copy(update={name: template})
            provenance[name] = Provenance(engine="offline")
            continue
        token = on_follow_up_token if name == "follow_up" else None
        result = draft_one(
            name, model, e, facts, template, settings=settings, budget=budget, on_token=token, prefix=prefix
        )
        drafts = drafts.model_copy(update={name: result.draft})
        provenance[name] = result.provenance
        checks = [c for c in checks if c.draft != name] + result.checks
    fresh = bundle.model_copy(
        update={"drafts": drafts, "provenance": provenance, "checks": checks, "tokens": total_usage(provenance)}
    )
    secrets = guards.secret_values() + guards.secret_values(settings)
    return guards.guard_bundle(fresh, notes, agenda_answers, e, trusted_facts=True, secrets=secrets)
