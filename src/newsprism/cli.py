"""The command line: parse, call the library, print. Errors become one line a person can act on."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from newsprism import __version__
from newsprism.config import Settings, load_settings
from newsprism.errors import InputError, NewsprismError
from newsprism.model import Article, Brief, Failure, Rejection
from newsprism.pipeline import Outcome, RunStats, clean_sources

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


def sample_dir() -> Path:
    """The bundled sample articles (see sample/carverton/README.md)."""
    return Path(str(resources.files("newsprism") / "sample" / "carverton"))


@app.command()
def clean(
    sources: Annotated[list[str], typer.Argument(help="Files, directories, or - for stdin.")],
    dropped: Annotated[
        bool, typer.Option(help="Include what cleaning removed, with reasons.")
    ] = False,
    sentences: Annotated[bool, typer.Option(help="Include sentence spans.")] = False,
    config: ConfigOpt = None,
) -> None:
    """Clean articles and print each as one JSON line (body, title, outlet, date, byline)."""
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
    out.print("\n[bold]Building the cross-source brief[/bold] (loads spaCy and MiniLM once)...\n")
    b = build_brief(articles, models=Models(settings), settings=settings)
    out.print(Markdown(render(b, "markdown")))
    if html is not None:
        html.write_text(render(b, "html"), encoding="utf-8")
        out.print(f"\nwrote {html}")
    raise typer.Exit(1 if stats.failed else 0)


def _show_cleaning(out: Console, a: Article) -> None:
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
    return build_brief(articles, models=Models(settings), settings=settings), stats


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
