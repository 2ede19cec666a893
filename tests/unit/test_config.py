"""`Settings.signing_secret()`: configured, or generated beside an embedded SQLite file."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from shopping.config import MIN_SECRET_LENGTH, ConfigurationError, Settings

POSTGRES_URL = "postgresql+psycopg://app@db.example:5432/shopping"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings read SHOPPING_* variables: none from the caller's shell may leak in."""
    for name in ("SHOPPING_JWT_SECRET", "SHOPPING_DATABASE_URL", "SHOPPING_TOKEN_TTL_SECONDS"):
        monkeypatch.delenv(name, raising=False)


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def secret_file_of(db: Path) -> Path:
    return db.with_name(db.name + ".jwt-secret")


# --- a configured secret -------------------------------------------------------------------


@pytest.mark.parametrize("length", [0, 1, MIN_SECRET_LENGTH - 1])
def test_a_configured_secret_that_is_too_short_is_refused(length: int) -> None:
    settings = Settings(database_url=POSTGRES_URL, jwt_secret="s" * length)

    with pytest.raises(ConfigurationError, match=str(MIN_SECRET_LENGTH)):
        settings.signing_secret()


def test_a_configured_secret_of_the_minimum_length_is_used() -> None:
    secret = "s" * MIN_SECRET_LENGTH

    assert Settings(database_url=POSTGRES_URL, jwt_secret=secret).signing_secret() == secret


def test_a_configured_secret_wins_over_the_sqlite_file(tmp_path: Path) -> None:
    db = tmp_path / "shopping.db"
    secret = "c" * 40

    assert Settings(database_url=sqlite_url(db), jwt_secret=secret).signing_secret() == secret
    assert not secret_file_of(db).exists()


def test_a_too_short_secret_is_refused_on_sqlite_too(tmp_path: Path) -> None:
    settings = Settings(database_url=sqlite_url(tmp_path / "shopping.db"), jwt_secret="short")

    with pytest.raises(ConfigurationError):
        settings.signing_secret()


def test_the_secret_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOPPING_DATABASE_URL", POSTGRES_URL)
    monkeypatch.setenv("SHOPPING_JWT_SECRET", "e" * 48)

    assert Settings().signing_secret() == "e" * 48


def test_the_configured_secret_is_not_shown_in_the_settings_repr() -> None:
    settings = Settings(database_url=POSTGRES_URL, jwt_secret="hidden-" + "h" * 40)

    assert "hidden-" not in repr(settings)
    assert "hidden-" not in str(settings.model_dump())


# --- no secret configured --------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        POSTGRES_URL,
        "postgresql+psycopg://root@127.0.0.1:5432/postgres",
        "sqlite+aiosqlite://",
        "sqlite+aiosqlite:///:memory:",
    ],
)
def test_without_a_secret_only_a_sqlite_file_will_do(url: str) -> None:
    with pytest.raises(ConfigurationError, match="SHOPPING_JWT_SECRET"):
        Settings(database_url=url).signing_secret()


def test_sqlite_generates_a_private_secret_file_beside_the_database(tmp_path: Path) -> None:
    db = tmp_path / "shopping.db"

    secret = Settings(database_url=sqlite_url(db)).signing_secret()

    secret_file = secret_file_of(db)
    assert secret_file.is_file()
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert secret_file.read_text().strip() == secret
    assert len(secret) >= MIN_SECRET_LENGTH
    assert not db.exists()  # only the secret: the database is created by migrations


def test_the_generated_secret_is_kept_across_calls_and_instances(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "shopping.db")

    first = Settings(database_url=url).signing_secret()
    again = Settings(database_url=url).signing_secret()
    same_instance = Settings(database_url=url)

    assert again == first
    assert same_instance.signing_secret() == same_instance.signing_secret() == first


def test_each_database_gets_its_own_secret(tmp_path: Path) -> None:
    one = Settings(database_url=sqlite_url(tmp_path / "one.db")).signing_secret()
    two = Settings(database_url=sqlite_url(tmp_path / "two.db")).signing_secret()

    assert one != two


def test_an_existing_secret_file_is_used_as_is(tmp_path: Path) -> None:
    db = tmp_path / "shopping.db"
    secret_file_of(db).write_text("kept-from-an-earlier-start-" + "k" * 30 + "\n")

    secret = Settings(database_url=sqlite_url(db)).signing_secret()

    assert secret == "kept-from-an-earlier-start-" + "k" * 30


def test_the_folder_of_the_database_is_created(tmp_path: Path) -> None:
    db = tmp_path / "not" / "yet" / "there" / "shopping.db"

    secret = Settings(database_url=sqlite_url(db)).signing_secret()

    assert secret_file_of(db).read_text().strip() == secret


def test_a_relative_sqlite_path_is_relative_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    secret = Settings(database_url="sqlite+aiosqlite:///./data/shop.db?mode=rwc").signing_secret()

    assert (tmp_path / "data" / "shop.db.jwt-secret").read_text().strip() == secret


def test_the_default_database_is_a_sqlite_file_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    secret = Settings().signing_secret()

    assert (tmp_path / "shopping.db.jwt-secret").read_text().strip() == secret


def test_an_empty_secret_file_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shopping.config.time.sleep", lambda _: None)
    db = tmp_path / "shopping.db"
    secret_file_of(db).write_text("")

    with pytest.raises(ConfigurationError, match="empty"):
        Settings(database_url=sqlite_url(db)).signing_secret()
