"""The command line: parse, call the library, print. Errors become one line a person can act on."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from newsprism import __version__
from newsprism.errors import InputError, NewsprismError
from newsprism.model import Article, Failure, LeftOut, Rejection

# What a command needs is imported in it: `newsprism version` should not pay for the readers
# (httpx, feedparser, warcio), settings (pydantic) or the store, let alone the models.
if TYPE_CHECKING:
    from newsprism.config import Settings
    from newsprism.model import Brief
    from newsprism.pipeline import Outcome, RunStats
    from newsprism.store.base import Store
    from newsprism.timing import StageTimes

app = typer.Typer(
    name="newsprism",
    help="Read many outlets' reports of one event: agreements, conflicts and single-source details, each cited.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False)

ConfigOpt = Annotated[
    Path | None, typer.Option("--config", help="TOML settings file (default: ./newsprism.toml).")
]


def _settings(config: Path | None, **overrides: object) -> Settings:
    from newsprism.config import load_settings

    if config is not None:
        import os

        os.environ["NEWSPRISM_CONFIG"] = str(config)
    return load_settings(**overrides)


def _report(outcome: Outcome) -> None:
    if isinstance(outcome, Failure):
        err.print(f"[red]error[/red]: {escape(outcome.message)}", soft_wrap=True)
    elif isinstance(outcome, Rejection):
        what = f"{outcome.origin}: {outcome.reason}: {outcome.detail}"
        err.print(f"[yellow]rejected[/yellow]: {escape(what)}", soft_wrap=True)


#: What a person is told while a brief is built, by stage (see newsprism.timing).
_STAGE_WORDS = {
    "parse": "reading the articles (spaCy)",
    "values": "finding figures and dates",
    "quotes": "finding quotes and speakers",
    "embed": "comparing sentences (MiniLM)",
    "origins": "finding wire copies",
    "conflicts": "looking for disagreements",
    "align": "grouping what the sources agree on",
    "entities": "merging names and dates",
}


@contextmanager
def _progress(what: str) -> Iterator[StageTimes]:
    """A spinner naming the stage a brief is in, on a terminal: a brief takes seconds, and the
    first one of a process also loads the models."""
    from newsprism.timing import StageTimes

    if not err.is_terminal:
        yield StageTimes()
        return
    with err.status(f"{what}: starting", spinner="dots") as status:

        def show(stage: str) -> None:
            status.update(f"{what}: {_STAGE_WORDS.get(stage, stage)}")

        yield StageTimes(on_stage=show)


def sample_dir() -> Path:
    """The bundled sample articles (see sample/carverton/README.md)."""
    return Path(str(resources.files("newsprism") / "sample" / "carverton"))


@app.command()
def clean(
    sources: Annotated[
        list[str],
        typer.Argument(help="Files, directories, JSONL, WARC, feeds, URLs, or - for stdin."),
    ],
    dropped: Annotated[
        bool, typer.Option(help="Include what cleaning removed, with reasons.")
    ] = False,
    sentences: Annotated[bool, typer.Option(help="Include sentence spans.")] = False,
    config: ConfigOpt = None,
) -> None:
    """Clean articles and print each as one JSON line (body, title, outlet, date, byline)."""
    from newsprism.pipeline import RunStats, clean_sources

    settings = _settings(config)
    stats = RunStats()
    for outcome in clean_sources(sources, settings):
        stats.add(outcome)
        if isinstance(outcome, Article):
            record = outcome.to_json(with_dropped=dropped)
            if sentences:
                from newsprism.clean.segment import split_sentences

                record["sentences"] = [
                    {"start": s.start, "end": s.end}
                    for s in split_sentences(outcome.text, outcome.id)
                ]
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            _report(outcome)
    err.print(stats.summary())
    raise typer.Exit(1 if stats.failed else 0)


@app.command()
def demo(
    config: ConfigOpt = None,
    html: Annotated[
        Path | None, typer.Option(help="Also write the brief as a standalone HTML page here.")
    ] = None,
) -> None:
    """Clean the bundled sample articles, show what was kept and dropped, and brief them."""
    from rich.markdown import Markdown

    from newsprism.compare.brief import build_brief
    from newsprism.formats import render
    from newsprism.nlp import Models
    from newsprism.pipeline import RunStats, clean_sources

    settings = _settings(config)
    out = Console(highlight=False)
    stats = RunStats()
    root = sample_dir()
    out.print(f"[bold]newsprism {__version__}[/bold]: cleaning the sample articles in {root}\n")
    articles: list[Article] = []
    for outcome in clean_sources([str(root)], settings):
        stats.add(outcome)
        if not isinstance(outcome, Article):
            _report(outcome)
            continue
        articles.append(outcome)
        _show_cleaning(out, outcome)
    out.print(stats.summary())
    if not articles:
        raise typer.Exit(1)
    with _progress(f"briefing {len(articles)} articles") as timer:
        b = build_brief(articles, models=Models(settings), settings=settings, timer=timer)
    out.print()
    out.print(Markdown(render(b, "markdown")))
    if html is not None:
        html.write_text(render(b, "html"), encoding="utf-8")
        out.print(f"\nwrote {html}")
    raise typer.Exit(1 if stats.failed else 0)


def _show_cleaning(out: Console, a: Article) -> None:
    from rich.table import Table

    out.rule(f"[bold]{a.title or '(no title)'}[/bold]")
    meta = Table.grid(padding=(0, 2))
    for label, value in (
        ("source", a.origin),
        ("id", a.id),
        ("outlet", a.outlet),
        ("published", a.published.isoformat() if a.published else None),
        ("byline", a.byline),
        ("dateline", a.dateline),
        ("url", a.url),
    ):
        meta.add_row(f"[dim]{label}[/dim]", value or "-")
    out.print(meta)
    out.print(f"\n[green]kept[/green] {len(a.paragraphs)} paragraphs, {len(a.text)} characters:")
    for start, end in a.paragraphs:
        para = a.text[start:end]
        out.print(f"  [green]+[/green] {para[:110]}{'…' if len(para) > 110 else ''}")
    if a.dropped:
        out.print(f"[red]dropped[/red] {len(a.dropped)} blocks:")
        for d in a.dropped:
            out.print(f"  [red]-[/red] [dim]{d.reason:>14}[/dim]  {d.text[:90]}")
    out.print()


class Format(StrEnum):
    markdown = "markdown"
    json = "json"
    html = "html"


def _brief_of(sources: list[str], settings: Settings) -> tuple[Brief, RunStats]:
    from newsprism.compare.brief import build_brief
    from newsprism.nlp import Models
    from newsprism.pipeline import RunStats, clean_sources

    stats = RunStats()
    articles: list[Article] = []
    left_out: list[LeftOut] = []
    for outcome in clean_sources(sources, settings):
        stats.add(outcome)
        if isinstance(outcome, Article):
            articles.append(outcome)
            continue
        _report(outcome)
        left_out.append(
            LeftOut(outcome.origin, outcome.reason, outcome.detail)
            if isinstance(outcome, Rejection)
            else LeftOut(outcome.origin, "failed", outcome.message)
        )
    if not articles:
        raise InputError("no readable article among the inputs")
    with _progress(f"briefing {len(articles)} articles") as timer:
        built = build_brief(articles, models=Models(settings), settings=settings, timer=timer)
    # The rendered brief lists what it left out, as newsprism.brief() does.
    return replace(built, left_out=tuple(left_out)), stats


@app.command()
def brief(
    sources: Annotated[
        list[str], typer.Argument(help="Articles about one event: files, directories, or -.")
    ],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.markdown,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Brief articles about one event: summary, corroborated facts, conflicts, single-source details."""
    from newsprism.formats import render

    settings = _settings(config)
    b, stats = _brief_of(sources, settings)
    text = render(b, fmt.value)
    if output is not None:
        output.write_text(text, encoding="utf-8")
        err.print(f"wrote {output}")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    raise typer.Exit(1 if stats.failed else 0)


# ---------------------------------------------------------------- corpus mode

DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db", help="SQLite file or postgresql:// URL (default: setting `db`, newsprism.db)."
    ),
]


class ListFormat(StrEnum):
    table = "table"
    json = "json"


def _open_store(settings: Settings, *, create: bool = False) -> Store:
    """The store of ``settings.db``. Commands that only read refuse a SQLite file that does
    not exist (a mistyped --db would otherwise be created, empty, and read as "no stories")."""
    from newsprism.store import open_store, require_store

    if not create:
        require_store(settings.db)
    return open_store(settings.db, settings)


def _parse_time(value: str | None, what: str) -> datetime | None:
    if value is None:
        return None
    from newsprism.clean import parse_published

    parsed = parse_published(value)
    if parsed is None:
        raise InputError(
            f"cannot read {what} {value!r} as a date or time (try 2026-11-18 or 2026-11-18T09:00)"
        )
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@app.command()
def ingest(
    sources: Annotated[
        list[str],
        typer.Argument(help="Files, directories, JSONL, WARC, RSS/Atom feeds, URLs, or -."),
    ],
    db: DbOpt = None,
    workers: Annotated[
        int | None, typer.Option(help="Cleaning processes (default: one per core).")
    ] = None,
    executor: Annotated[
        str,
        # rich reads "[ray]" as markup and drops it: the bracket is escaped.
        typer.Option(
            help="local (a process pool), serial, or ray (pip install 'newsprism\\[ray]')."
        ),
    ] = "local",
    address: Annotated[
        str | None,
        typer.Option(
            help="Ray cluster to join with --executor ray (auto, ray://head:10001); "
            "default: a Ray instance on this machine."
        ),
    ] = None,
    progress: Annotated[
        bool | None, typer.Option(help="Show a progress bar (default: on a terminal).")
    ] = None,
    briefs: Annotated[
        bool,
        typer.Option(
            help="Then build and store the brief of every story that has no current one, so "
            "`story` and the web pages serve it at once (`serve` otherwise does it in the "
            "background)."
        ),
    ] = False,
    config: ConfigOpt = None,
) -> None:
    """Add articles to the store: clean, link wire copies, group into stories. Resumable."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from newsprism.corpus.executors import make_executor
    from newsprism.corpus.ingest import IngestStats
    from newsprism.corpus.ingest import ingest as run_ingest

    settings = _settings(config, db=db, workers=workers)
    show = err.is_terminal if progress is None else progress
    with _open_store(settings, create=True) as store:
        ex = make_executor(executor, settings, address=address)
        try:
            with Progress(
                SpinnerColumn(),
                TextColumn("[bold]ingest[/bold] {task.description}"),
                TimeElapsedColumn(),
                console=err,
                disable=not show,
                transient=True,
            ) as bar:
                task = bar.add_task("starting", total=None)

                def tick(st: IngestStats) -> None:
                    bar.update(
                        task,
                        description=f"read {st.read}, new {st.new}, duplicates {st.duplicates}, "
                        f"copies {st.copies}, stories +{st.stories_created}, failed {st.failed}",
                    )

                stats = run_ingest(sources, store, settings, executor=ex, on_progress=tick)
        finally:
            ex.close()
        if briefs:
            _store_briefs(store, settings, show)
    # Messages name inputs, and a name may hold what rich reads as markup ("[red]a.txt").
    for message in stats.rejections:
        err.print(f"[yellow]rejected[/yellow]: {escape(message)}", soft_wrap=True)
    for message in stats.failures:
        err.print(f"[red]error[/red]: {escape(message)}", soft_wrap=True)
    err.print(stats.summary(), soft_wrap=True)
    raise typer.Exit(1 if stats.failed else 0)


class Has(StrEnum):
    conflicts = "conflicts"
    updates = "updates"
    any = "any"


class Order(StrEnum):
    newest = "newest"
    biggest = "biggest"
    conflicts = "conflicts"


def _count_cell(marks: dict[str, object]) -> str:
    """A story's count of conflicts (confirmed+possible) and updates for a table: "2/1";
    "-" when never compared, a trailing "*" when compared before its latest articles."""
    if marks["compared"] is None:
        return "-"
    conflicts = int(str(marks["conflicts"])) + int(str(marks["possible"]))
    star = "" if marks["compared"] == "current" else "*"
    return f"{conflicts}/{marks['updates']}{star}"


def _store_briefs(store: Store, settings: Settings, show: bool) -> None:
    """Build the brief of every story without a current one, with a progress bar."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
    from rich.progress import TimeElapsedColumn as Elapsed

    from newsprism.corpus.briefs import build_stored_brief, stale_stories
    from newsprism.nlp import Models

    stale = [st.id for st in stale_stories(store, settings)]
    models = Models(settings)
    failed = 0
    with Progress(
        TextColumn("[bold]briefs[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        Elapsed(),
        console=err,
        disable=not show,
        transient=True,
    ) as bar:
        task = bar.add_task("briefs", total=len(stale))
        for story_id in stale:
            try:
                build_stored_brief(store, story_id, models=models, settings=settings)
            except NewsprismError as exc:
                failed += 1
                err.print(f"[red]error[/red]: brief of story {story_id}: {exc}", soft_wrap=True)
            bar.advance(task)
    err.print(f"briefs: {len(stale) - failed} stored, {failed} failed", soft_wrap=True)


@app.command()
def stories(
    db: DbOpt = None,
    since: Annotated[
        str | None, typer.Option(help="Only stories active at or after this time.")
    ] = None,
    until: Annotated[str | None, typer.Option(help="Only stories active before this time.")] = None,
    outlet: Annotated[
        str | None, typer.Option(help="Only stories with an article from this outlet.")
    ] = None,
    entity: Annotated[
        str | None, typer.Option(help="Only stories naming this person, place or organisation.")
    ] = None,
    text: Annotated[
        str | None, typer.Option(help="Only stories with an article matching this search.")
    ] = None,
    has: Annotated[
        Has | None,
        typer.Option(help="Only stories whose latest brief found conflicts, updates, or any."),
    ] = None,
    order: Annotated[
        Order, typer.Option(help="newest, biggest, or most conflicts first.")
    ] = Order.newest,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
    config: ConfigOpt = None,
) -> None:
    """List stored stories: outlets, origins, and the conflicts and updates their briefs found."""
    from rich.table import Table

    from newsprism.corpus.views import marks_json, stories_json
    from newsprism.store import StoryFlag, StoryOrder

    settings = _settings(config, db=db)
    filters: dict[str, Any] = {
        "since": _parse_time(since, "--since"),
        "until": _parse_time(until, "--until"),
        "outlet": outlet,
        "entity": entity,
        "text": text,
        "flag": StoryFlag(has.value) if has is not None else None,
    }
    with _open_store(settings) as store:
        found = store.list_stories(
            **filters, limit=limit, offset=offset, order=StoryOrder(order.value)
        )
        total = store.count_stories(**filters)
        if fmt is ListFormat.json:
            sys.stdout.write(
                json.dumps(stories_json(found, store), ensure_ascii=False, indent=1) + "\n"
            )
            return
        marks = store.story_marks([st.id for st in found])
    out = Console(highlight=False)
    shown = f"{offset + 1}-{offset + len(found)}" if found else "none"
    table = Table(title=f"stories {shown} of {total}", title_justify="left")
    # Ids are copied from here into `newsprism story ID`: never folded over two lines.
    table.add_column("id", no_wrap=True, min_width=17)
    table.add_column("last", no_wrap=True)
    table.add_column("arts", justify="right")
    table.add_column("orig", justify="right")
    table.add_column("conf/upd", justify="right", no_wrap=True)
    table.add_column("title", ratio=1)
    for st in found:
        table.add_row(
            st.id,
            st.last_published.strftime("%Y-%m-%d") if st.last_published else "-",
            str(len(st.articles)),
            str(st.origins),
            _count_cell(marks_json(st, marks.get(st.id))),
            st.title,
        )
    out.print(table)
    if offset + len(found) < total:
        err.print(f"more: --offset {offset + len(found)} (--limit up to 1000)", soft_wrap=True)
    if any(st.id not in marks for st in found):
        err.print(
            "conf/upd: conflicts / updates in the story's latest brief; '-': not compared "
            "yet (newsprism story ID), '*': compared before its latest articles",
            soft_wrap=True,
        )


@app.command()
def story(
    story_id: Annotated[str, typer.Argument(help="A story id from `newsprism stories`.")],
    db: DbOpt = None,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.markdown,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
    config: ConfigOpt = None,
) -> None:
    """The brief of a stored story: its stored brief when current, else built (reusing the
    per-sentence work stored for its articles) and stored."""
    from newsprism.corpus.briefs import build_stored_brief, current_brief
    from newsprism.formats import render
    from newsprism.nlp import Models

    settings = _settings(config, db=db)
    with _open_store(settings) as store:
        st = store.get_story(story_id)
        if st is None:
            raise InputError(f"no story with id {story_id!r}", origin=store.name)
        stored = current_brief(store, st, settings)
        if stored is not None and fmt is not Format.markdown:
            _emit(stored.brief_json if fmt is Format.json else stored.page_html, output)
            return
        with _progress(f"briefing story {story_id} ({len(st.articles)} articles)") as timer:
            b, _ = build_stored_brief(
                store, story_id, models=Models(settings), settings=settings, timer=timer
            )
    _emit(render(b, fmt.value), output)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='Words, "quoted phrases", OR between terms.')],
    db: DbOpt = None,
    outlet: Annotated[str | None, typer.Option()] = None,
    entity: Annotated[str | None, typer.Option()] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
    config: ConfigOpt = None,
) -> None:
    """Full-text search over stored articles (with their stories)."""
    from rich.table import Table

    from newsprism.corpus.views import search_rows

    settings = _settings(config, db=db)
    with _open_store(settings) as store:
        rows = search_rows(store, query, limit, offset, outlet=outlet, entity=entity)
    if fmt is ListFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return
    out = Console(highlight=False)
    table = Table(title=f"{len(rows)} hits for {query!r}", title_justify="left")
    for col in ("article", "story", "outlet", "title", "snippet"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(
            *(str(r[k] or "-") for k in ("article", "story", "outlet", "title", "snippet"))
        )
    out.print(table)


class Basis(StrEnum):
    published = "published"
    ingested = "ingested"


@app.command()
def changes(
    story_id: Annotated[str, typer.Argument(help="A story id.")],
    since: Annotated[str, typer.Option(help="Compare with the story as it stood at this time.")],
    by: Annotated[
        Basis,
        typer.Option(
            help="published: the brief of the articles published by then (an archive ingested "
            "today has a past); ingested: the brief as newsprism made it by then."
        ),
    ] = Basis.published,
    db: DbOpt = None,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
    config: ConfigOpt = None,
) -> None:
    """What a story's brief gained or lost since a time: new facts, conflicts, updated values."""
    from newsprism.corpus.briefs import changes_since
    from newsprism.nlp import Models

    settings = _settings(config, db=db)
    when = _parse_time(since, "--since")
    assert when is not None
    with _open_store(settings) as store, _progress(f"briefing story {story_id}") as timer:
        diff = changes_since(
            store,
            story_id,
            when,
            models=Models(settings),
            settings=settings,
            by_publication=by is Basis.published,
            timer=timer,
        )
    if fmt is ListFormat.json:
        sys.stdout.write(json.dumps(diff.to_json(), ensure_ascii=False, indent=1) + "\n")
        return
    out = Console(highlight=False)
    if by is Basis.published:
        base = (
            f"the {diff.before_articles} articles published by {when.isoformat()}"
            if diff.before_articles
            else f"nothing (no article of it was published by {when.isoformat()})"
        )
    else:
        base = (
            f"its brief of {diff.since.isoformat()}"
            if diff.since
            else "nothing (no brief of this story was made by then)"
        )
    out.print(f"[bold]Story {escape(story_id)}[/bold]: changes since {escape(base)}")
    for label, items, key in (
        ("new sources", diff.new_sources, "title"),
        ("new corroborated facts", diff.new_facts, "text"),
        ("facts no longer corroborated", diff.lost_facts, "text"),
        ("new conflicts", diff.new_conflicts, "slot"),
        ("conflicts gone", diff.resolved_conflicts, "slot"),
        ("new single-source details", diff.new_details, "text"),
    ):
        out.print(f"\n[bold]{label}[/bold] ({len(items)})")
        for item in items:
            extra = ""
            if "sides" in item:
                extra = ": " + " vs ".join(str(side["value_text"]) for side in item["sides"])
            out.print(f"  - {escape(str(item.get(key)))}{escape(extra)}", soft_wrap=True)
    out.print(f"\n[bold]updated values[/bold] ({len(diff.updated_values)})")
    for u in diff.updated_values:
        before = " vs ".join(side["value_text"] for side in u["before"]["sides"])
        after = " vs ".join(side["value_text"] for side in u["after"]["sides"])
        out.print(f"  - {escape(u['slot'])}: {escape(before)} -> {escape(after)}", soft_wrap=True)


def _seconds(value: str) -> float:
    """A period as "90", "30s", "15m", "2h" (seconds, minutes, hours)."""
    text = value.strip().lower()
    scale = {"s": 1.0, "m": 60.0, "h": 3600.0}.get(text[-1:])
    number = text[:-1] if scale is not None else text
    try:
        seconds = float(number) * (scale or 1.0)
    except ValueError:
        seconds = -1.0
    if seconds <= 0:
        raise InputError(f"cannot read --every {value!r}: give 90, 30s, 15m or 2h")
    return seconds


@app.command()
def watch(
    watch_list: Annotated[
        Path, typer.Argument(help="A file naming one feed or page URL (or path) a line.")
    ],
    db: DbOpt = None,
    every: Annotated[str, typer.Option(help="Time between polls: 90, 30s, 15m, 2h.")] = "15m",
    log: Annotated[
        Path | None, typer.Option("--log", help="Append each alert to this JSON Lines file.")
    ] = None,
    webhook: Annotated[
        str | None,
        typer.Option(
            help="POST each alert here (JSON; X-Newsprism-Signature with the webhook_secret "
            "setting, from NEWSPRISM_WEBHOOK_SECRET)."
        ),
    ] = None,
    cycles: Annotated[
        int | None, typer.Option(min=1, help="Stop after this many polls (default: never).")
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Poll feeds and pages, ingest what is new, rebuild the briefs of the stories it touched,
    and alert on new stories (two or more origins), new conflicts and updated values."""
    import logging

    from newsprism.corpus.watch import Watcher, Webhook, read_watch_list

    settings = _settings(config, db=db)
    sources = read_watch_list(watch_list)
    period = _seconds(every)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    hook = None
    if webhook is not None:
        from newsprism.ingest.fetch import check_url

        hook = Webhook(
            settings,
            check_url(webhook),
            settings.webhook_secret,
            retries=settings.webhook_retries,
            backoff_s=settings.webhook_backoff_s,
        )
    with _open_store(settings, create=True) as store:
        watcher = Watcher(store, settings, sources, log_path=log, webhook=hook)
        if hook is not None:
            hook.start()
        err.print(
            f"watching {len(sources)} sources every {period:g} s into {settings.db}"
            + (f"; alerts to {log}" if log else "")
            + (f" and {webhook}" if webhook else ""),
            soft_wrap=True,
        )

        def said(report: object) -> None:
            from newsprism.corpus.watch import CycleReport

            assert isinstance(report, CycleReport)
            stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
            err.print(
                f"{stamp} new articles {report.ingested}, failed {report.failed}, stories "
                f"briefed {report.briefed}, alerts {len(report.alerts)}",
                soft_wrap=True,
            )
            for a in report.alerts:
                sys.stdout.write(f"{a.kind}: {a.title}\n")
            sys.stdout.flush()

        try:
            watcher.run(period, cycles=cycles, on_cycle=said)
        finally:
            if hook is not None:
                hook.stop()


def _emit(text: str, output: Path | None) -> None:
    if output is not None:
        output.write_text(text, encoding="utf-8")
        err.print(f"wrote {output}")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


@app.command(name="serve")
def serve(
    db: DbOpt = None,
    host: Annotated[str | None, typer.Option(help="Address to listen on (setting `host`).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (setting `port`, 8000).")] = None,
    config: ConfigOpt = None,
) -> None:
    """Serve the web pages and the JSON API (docs at /docs) on the store."""
    # Imported here: the web stack (FastAPI, uvicorn) is a second of every other command's start.
    from newsprism.web.cli import serve_command

    serve_command(db=db, host=host, port=port, config=config)


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


def main() -> None:
    """Entry point: the one place where errors are turned into a message and an exit code.
    A user's mistake (a bad option or value, a store that is not there) is one line with its
    error code, never a traceback."""
    # typer carries its own copy of click: its exceptions are the ones raised.
    from typer._click import exceptions as click_errors

    from newsprism.errors import UsageError

    try:
        code = app(standalone_mode=False)
    except click_errors.NoArgsIsHelpError as exc:
        # `newsprism` alone: the help, as before.
        typer.echo(exc.ctx.get_help() if exc.ctx is not None else str(exc), err=True)
        sys.exit(2)
    except click_errors.UsageError as exc:
        where = f"{exc.ctx.command_path}: " if exc.ctx is not None else ""
        message = f"{where}{exc.format_message()} (see --help)"
        err.print(f"[red]error[/red]: {escape(str(UsageError(message)))}", soft_wrap=True)
        sys.exit(2)
    except click_errors.ClickException as exc:
        err.print(f"[red]error[/red]: {escape(exc.format_message())}", soft_wrap=True)
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("interrupted")
        sys.exit(130)
    except NewsprismError as exc:
        err.print(f"[red]error[/red]: {escape(str(exc))}", soft_wrap=True)
        sys.exit(2)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
