"""The per-process index caches notice changes made through the database by anyone."""

from __future__ import annotations

from app.needs import service as needs_service
from app.needs.schemas import NeedUpdate
from app.organisations.models import Organisation
from app.providers import service as providers_service
from app.providers.schemas import ProviderProfileUpdate
from app.recommendations.cache import NeedIndexStore, ProviderIndexStore, load_providers_by_ids
from tests.accounts.factories import user
from tests.recommendations.builders import centre, need


def test_two_processes_see_a_profile_change_made_by_either(db_session):
    first, second = ProviderIndexStore(), ProviderIndexStore()
    a = centre(db_session, "A", level="c1")
    b = centre(db_session, "B")
    assert sorted(first.get(db_session).ids) == [a.id, b.id]
    assert sorted(second.get(db_session).ids) == [a.id, b.id]
    assert first.get(db_session).get(a.id).languages["fr"] == 5
    # a change "made through the other process": the profile service, then commit
    profile = providers_service.get_profile(db_session=db_session, provider_id=a.id)
    providers_service.update_profile(
        db_session=db_session,
        profile=profile,
        data=ProviderProfileUpdate.model_validate(
            {"languages": [{"language": "fr", "level": "native"}]}
        ),
    )
    db_session.commit()
    for cache in (first, second):
        index = cache.get(db_session)
        assert index.get(a.id).languages["fr"] == 7
        assert cache.stats.builds == 1
        assert cache.stats.refreshes == 1
        assert cache.stats.last_changed == 1


def test_unchanged_database_reuses_the_index(db_session, count_queries):
    cache = ProviderIndexStore()
    centre(db_session, "A")
    index = cache.get(db_session)
    with count_queries() as counter:
        assert cache.get(db_session) is index
    assert counter.count == 1  # the marker only
    assert cache.stats.builds == 1 and cache.stats.refreshes == 0


def test_closed_new_and_verified_providers_are_noticed(db_session):
    cache = ProviderIndexStore()
    a = centre(db_session, "A")
    b = centre(db_session, "B")
    assert sorted(cache.get(db_session).ids) == [a.id, b.id]
    providers_service.close_profile(
        db_session=db_session,
        profile=providers_service.get_profile(db_session=db_session, provider_id=a.id),
    )
    db_session.commit()
    assert cache.get(db_session).ids == [b.id]
    c = centre(db_session, "C")
    assert sorted(cache.get(db_session).ids) == [b.id, c.id]
    assert cache.get(db_session).get(c.id).verified is False
    org = db_session.get(Organisation, c.organisation_id)
    org.verified = True
    db_session.commit()
    assert cache.get(db_session).get(c.id).verified is True
    providers_service.publish_profile(
        db_session=db_session,
        profile=providers_service.get_profile(db_session=db_session, provider_id=a.id),
    )
    db_session.commit()
    assert sorted(cache.get(db_session).ids) == [a.id, b.id, c.id]
    assert cache.stats.builds == 1


def test_deleted_provider_organisation_leaves_the_index(db_session):
    cache = ProviderIndexStore()
    a = centre(db_session, "A")
    b = centre(db_session, "B")
    assert len(cache.get(db_session)) == 2
    db_session.delete(db_session.get(Organisation, a.organisation_id))
    db_session.commit()
    assert cache.get(db_session).ids == [b.id]


def test_need_index_follows_opening_editing_and_closing(db_session):
    cache = NeedIndexStore()
    owner = user(db_session, kind="client")
    opened = need(db_session, owner.organisation_id, status="open")
    draft = need(db_session, owner.organisation_id)
    assert [x.id for x in cache.get(db_session).needs] == [opened.id]
    needs_service.open_(
        db_session=db_session, need=needs_service.get(db_session=db_session, need_id=draft.id)
    )
    db_session.commit()
    assert sorted(x.id for x in cache.get(db_session).needs) == [opened.id, draft.id]
    needs_service.update(
        db_session=db_session,
        need=needs_service.get(db_session=db_session, need_id=opened.id),
        data=NeedUpdate(seats=99),
    )
    db_session.commit()
    assert cache.get(db_session).get(opened.id).seats == 99
    needs_service.close(
        db_session=db_session, need=needs_service.get(db_session=db_session, need_id=opened.id)
    )
    db_session.commit()
    assert [x.id for x in cache.get(db_session).needs] == [draft.id]
    assert cache.stats.builds == 1 and cache.stats.refreshes == 3


def test_refresh_loader_gives_the_same_features_as_the_providers_loader(db_session):
    from tests.providers.factories import full_profile_data, profile

    made = [
        profile(db_session, **full_profile_data()),
        centre(db_session, "B", level="b2"),
        profile(db_session),
    ]
    ids = sorted(p.id for p in made)
    theirs = [
        p for p in providers_service.load_all_for_matching(db_session=db_session) if p.id in ids
    ]
    assert load_providers_by_ids(db_session, ids) == theirs
    assert len(theirs) == 3


def test_one_changed_profile_is_refreshed_without_reading_all(db_session, count_queries):
    cache = ProviderIndexStore()
    a = centre(db_session, "A")
    centre(db_session, "B")
    cache.get(db_session)
    providers_service.update_profile(
        db_session=db_session,
        profile=providers_service.get_profile(db_session=db_session, provider_id=a.id),
        data=ProviderProfileUpdate.model_validate({"min_contract_seats": 9}),
    )
    db_session.commit()
    with count_queries() as counter:
        assert cache.get(db_session).get(a.id).min_contract_seats == 9
    loads = [s for s in counter.statements if "provider_sites" in s]
    assert len(loads) == 1
    assert "provider_profiles" not in loads[0]  # by ids, not a sub-query over all profiles


def test_a_change_written_outside_the_app_moves_the_counter(db_session):
    from sqlalchemy import select, text

    from app.recommendations.models import MatchingVersion

    cache = ProviderIndexStore()
    a = centre(db_session, "A")
    assert cache.get(db_session).get(a.id).min_contract_seats == 0

    def counter():
        return db_session.scalar(
            select(MatchingVersion.version).where(MatchingVersion.name == "providers")
        )

    before = counter()
    db_session.execute(
        text(
            "UPDATE provider_profiles SET min_contract_seats = 12, "
            "version = version + 1 WHERE id = :id"
        ),
        {"id": a.id},
    )
    db_session.commit()
    assert counter() > before
    assert cache.get(db_session).get(a.id).min_contract_seats == 12
