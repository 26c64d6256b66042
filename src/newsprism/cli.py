"""The command line: parse, call the library, print. Errors become one line a person can act on."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from newsprism import __version__
from newsprism.errors import InputError, NewsprismError
from newsprism.model import Article, Failure, Rejection

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
        err.print(f"[red]error[/red]: {outcome.message}", soft_wrap=True)
    elif isinstance(outcome, Rejection):
        err.print(
            f"[yellow]rejected[/yellow]: {outcome.origin}: {outcome.reason}: {outcome.detail}",
            soft_wrap=True,
        )


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
    for outcome in clean_sources(sources, settings):
        stats.add(outcome)
        if isinstance(outcome, Article):
            articles.append(outcome)
        else:
            _report(outcome)
    if not articles:
        raise InputError("no readable article among the inputs")
    with _progress(f"briefing {len(articles)} articles") as timer:
        b = build_brief(articles, models=Models(settings), settings=settings, timer=timer)
    return b, stats


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


def _open_store(settings: Settings) -> Store:
    from newsprism.store import open_store

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
        typer.Option(help="local (a process pool), serial, or ray (pip install 'newsprism[ray]')."),
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
    with _open_store(settings) as store:
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
    for message in stats.failures:
        err.print(f"[red]error[/red]: {message}", soft_wrap=True)
    err.print(stats.summary(), soft_wrap=True)
    raise typer.Exit(1 if stats.failed else 0)


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
    order: Annotated[str, typer.Option(help="newest or biggest first.")] = "newest",
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
    config: ConfigOpt = None,
) -> None:
    """List stored stories with their outlets, origin counts and articles."""
    from rich.table import Table

    from newsprism.corpus.views import story_json
    from newsprism.store import StoryOrder

    settings = _settings(config, db=db)
    with _open_store(settings) as store:
        found = store.list_stories(
            since=_parse_time(since, "--since"),
            until=_parse_time(until, "--until"),
            outlet=outlet,
            entity=entity,
            text=text,
            limit=limit,
            offset=offset,
            order=StoryOrder(order),
        )
        if fmt is ListFormat.json:
            sys.stdout.write(
                json.dumps([story_json(st, store) for st in found], ensure_ascii=False, indent=1)
                + "\n"
            )
            return
        out = Console(highlight=False)
        table = Table(title=f"{len(found)} stories", title_justify="left")
        for col in ("id", "last published", "articles", "origins", "outlets", "title"):
            table.add_column(col, overflow="fold")
        for st in found:
            table.add_row(
                st.id,
                st.last_published.strftime("%Y-%m-%d %H:%M") if st.last_published else "-",
                str(len(st.articles)),
                str(st.origins),
                ", ".join(st.outlets),
                st.title,
            )
        out.print(table)


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


@app.command()
def changes(
    story_id: Annotated[str, typer.Argument(help="A story id.")],
    since: Annotated[str, typer.Option(help="Compare with the brief as it was at this time.")],
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
            store, story_id, when, models=Models(settings), settings=settings, timer=timer
        )
    if fmt is ListFormat.json:
        sys.stdout.write(json.dumps(diff.to_json(), ensure_ascii=False, indent=1) + "\n")
        return
    out = Console(highlight=False)
    base = (
        diff.since.isoformat()
        if diff.since
        else "nothing (no brief of this story was made by then)"
    )
    out.print(f"[bold]Story {story_id}[/bold]: changes since {base}")
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
            out.print(f"  - {item.get(key)}{extra}", soft_wrap=True)
    out.print(f"\n[bold]updated values[/bold] ({len(diff.updated_values)})")
    for u in diff.updated_values:
        before = " vs ".join(side["value_text"] for side in u["before"]["sides"])
        after = " vs ".join(side["value_text"] for side in u["after"]["sides"])
        out.print(f"  - {u['slot']}: {before} -> {after}", soft_wrap=True)


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
    """Entry point: the one place where errors are turned into a message and an exit code."""
    try:
        app()
    except NewsprismError as exc:
        err.print(f"[red]error[/red]: {exc}", soft_wrap=True)
        sys.exit(2)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
