"""The routing engine: the seed's situations, the whole situation × need grid, and the questions it asks."""

from __future__ import annotations

import pytest

from bot.orientation import Place, Profile, Structure, default_rules, missing_facts, recommend
from bot.orientation.vocabulary import vocabulary

RULES = default_rules()
ML_VIERZON = Structure(
    id="ml", name="Mission locale de Vierzon", door="mission_locale", phone="02 00 00 00 00", area="vierzon"
)


def lookup(door: str, place: Place) -> Structure | None:
    return ML_VIERZON if (door, place.territory) == ("mission_locale", "vierzon") else None


def test_seed_1_a_young_dropout_goes_to_the_mission_locale_of_his_territory() -> None:
    rec = recommend(RULES, Profile(statut="jeune_sans_activite", age=19), "decrochage", Place("vierzon"), lookup)
    assert (rec.door, rec.cep_level, rec.territory) == ("mission_locale", 2, "vierzon")
    assert rec.structure == ML_VIERZON
    assert "16 à 25 ans" in rec.reason


def test_seed_2_a_woman_under_26_on_a_fixed_term_contract() -> None:
    profile = Profile(statut="salarie", age=24, contrat="cdd")
    rec = recommend(RULES, profile, "reconversion", Place("tours"), lookup)
    assert rec.door == "cep_actifs"
    assert rec.cep_level == 2
    assert {a.door for a in rec.alternatives} >= {"transitions_pro", "mission_locale"}


def test_seed_3_a_pupil_of_16_in_premiere_goes_to_the_cio_without_cep_step() -> None:
    rec = recommend(RULES, Profile(statut="scolaire", age=16), "orientation_scolaire", Place("chateauroux"), lookup)
    assert (rec.door, rec.cep_level) == ("cio", None)


@pytest.mark.parametrize("need", sorted(vocabulary().besoins))
def test_the_cep_step_is_one_of_the_two_levels_in_force_since_2020(need: str) -> None:
    """Level 3 (2014 rules) no longer exists: funding a project is part of level 2."""
    rec = recommend(RULES, Profile(statut="salarie", age=40, contrat="cdi"), need, Place("tours"), lookup)
    assert rec.cep_level in (None, 1, 2)
    if rec.cep_level is not None:  # said in plain words, not « étape 2 du CEP »
        said = vocabulary().cep_levels[rec.cep_level]
        assert "conseil en évolution professionnelle" in said and "tape" not in said


# Expected door for every situation × need, with a typical profile of that situation.
# Columns, in order: orientation_scolaire reorientation_etudes decrochage insertion_jeune recherche_emploi
# reconversion bilan_competences financement_formation ptp demission_reconversion vae apprentissage
# creation_entreprise information_jeunesse competences_base information_generale
GRID = """
scolaire            cio  cio  cio  cio  ij   cio  cio  cio  cio  cio  vae  cio  cci  ij   cria cio
etudiant            suio suio suio suio ij   suio suio suio suio suio vae  suio cci  ij   cria suio
jeune_sans_activite ml   ml   ml   ml   ml   ml   ml   ml   ft   ml   vae  ml   cci  ij   cria ml
demandeur_emploi    ft   ft   ft   ft   ft   ft   ft   ft   ft   ft   vae  ft   cci  ij   cria ft
salarie             cep  cep  cep  cep  cep  cep  cep  cep  tp   cep  vae  cep  cci  ij   cria cep
independant         cep  cep  cep  cep  cep  cep  cep  cep  cep  cep  vae  cep  cci  ij   cria cep
agent_public        emp  emp  emp  emp  emp  emp  emp  emp  emp  emp  emp  emp  cci  ij   cria emp
parent              cio  suio ml   ml   ml   ml   ml   ml   ml   ml   vae  cio  cci  ij   cria cio
"""
SHORT = {
    "ml": "mission_locale",
    "ft": "france_travail",
    "cep": "cep_actifs",
    "tp": "transitions_pro",
    "ij": "information_jeunesse",
    "emp": "employeur_public",
}
# A business to create is in trade and services (the CCI); a salaried person is not a cadre.
SHOP = "commerce_services"
TYPICAL = {
    "scolaire": Profile(statut="scolaire", age=16, secteur=SHOP),
    "etudiant": Profile(statut="etudiant", age=20, secteur=SHOP),
    "jeune_sans_activite": Profile(statut="jeune_sans_activite", age=19, secteur=SHOP),
    "demandeur_emploi": Profile(statut="demandeur_emploi", age=35, secteur=SHOP),
    "salarie": Profile(statut="salarie", age=35, contrat="cdi", cadre=False, secteur=SHOP),
    "independant": Profile(statut="independant", age=40, secteur=SHOP),
    "agent_public": Profile(statut="agent_public", age=45, secteur=SHOP),
    "parent": Profile(statut="parent", age=17, secteur=SHOP),
}


def grid_cases() -> list[tuple[str, str, str]]:
    besoins = list(vocabulary().besoins)
    cases = []
    for line in GRID.strip().splitlines():
        statut, *doors = line.split()
        assert len(doors) == len(besoins), statut
        cases += [(statut, besoin, SHORT.get(door, door)) for besoin, door in zip(besoins, doors, strict=True)]
    return cases


@pytest.mark.parametrize(("statut", "besoin", "door"), grid_cases())
def test_every_situation_and_need_has_its_door(statut: str, besoin: str, door: str) -> None:
    profile = TYPICAL[statut]
    assert missing_facts(RULES, profile, besoin) == ()
    assert recommend(RULES, profile, besoin, Place(), lookup).door == door


@pytest.mark.parametrize(
    ("profile", "besoin", "door"),
    [
        (Profile(statut="demandeur_emploi", age=30, handicap=True), "recherche_emploi", "cap_emploi"),
        (Profile(statut="salarie", age=40, handicap=True), "reconversion", "cap_emploi"),
        (Profile(statut="scolaire", age=16, handicap=True), "orientation_scolaire", "cio"),
        (Profile(statut="salarie", age=40, cadre=True), "reconversion", "apec"),
        (Profile(statut="demandeur_emploi", age=40, cadre=True), "recherche_emploi", "apec"),
        (Profile(statut="demandeur_emploi", age=22), "recherche_emploi", "mission_locale"),
        (Profile(statut="demandeur_emploi", age=26), "recherche_emploi", "france_travail"),
        (Profile(statut="jeune_sans_activite", age=15), "decrochage", "cio"),
        (Profile(statut="jeune_sans_activite", age=28), "insertion_jeune", "france_travail"),
        (Profile(statut="parent", age=14), "decrochage", "cio"),
        (Profile(statut="parent", age=30), "reconversion", "etoile_info"),
        (Profile(statut="salarie", contrat="cdd"), "demission_reconversion", "cep_actifs"),
        (Profile(statut="salarie", contrat="cdi", cadre=True), "demission_reconversion", "apec"),
        (Profile(statut="salarie", contrat="cdi", handicap=True), "demission_reconversion", "cap_emploi"),
        (Profile(statut="agent_public"), "vae", "employeur_public"),
        (Profile(), "orientation_scolaire", "cio"),
        (Profile(), "reconversion", "etoile_info"),
    ],
)
def test_particular_situations(profile: Profile, besoin: str, door: str) -> None:
    assert recommend(RULES, profile, besoin, Place(), lookup).door == door


def test_the_cdd_answer_to_a_resignation_says_it_is_reserved_to_cdi() -> None:
    rec = recommend(RULES, Profile(statut="salarie", contrat="cdd"), "demission_reconversion", Place(), lookup)
    assert "réservée aux salariés en CDI" in rec.reason
    assert rec.alternatives[0].door == "transitions_pro"


@pytest.mark.parametrize(
    ("profile", "besoin", "missing"),
    [
        (Profile(), None, ("besoin",)),
        (Profile(), "decrochage", ("statut",)),
        (Profile(statut="jeune_sans_activite"), "decrochage", ("age",)),
        (Profile(statut="parent"), "decrochage", ("age",)),
        (Profile(statut="scolaire"), "orientation_scolaire", ()),
        (Profile(statut="salarie"), "reconversion", ("cadre",)),  # Apec or the CEP of the employed
        (Profile(statut="salarie", cadre=False), "reconversion", ()),
        (Profile(statut="salarie"), "demission_reconversion", ("contrat",)),
        (Profile(statut="salarie", contrat="cdi"), "demission_reconversion", ("cadre",)),
        (Profile(statut="salarie", contrat="cdi", cadre=True), "demission_reconversion", ()),
        (Profile(), "vae", ("statut",)),  # a public agent goes to the employer first
        (Profile(), "creation_entreprise", ("secteur",)),  # crafts, trade or farming: the chamber
    ],
)
def test_the_engine_asks_only_what_the_deciding_rule_needs(
    profile: Profile, besoin: str | None, missing: tuple
) -> None:
    assert missing_facts(RULES, profile, besoin) == missing


def test_a_declined_question_is_not_asked_again_and_still_gives_a_door() -> None:
    profile = Profile(statut="jeune_sans_activite")
    assert missing_facts(RULES, profile, "decrochage", declined={"age"}) == ()
    rec = recommend(RULES, profile, "decrochage", Place("vierzon"), lookup)
    assert rec.door == "mission_locale"
    assert "Si vous avez 26 ans ou plus" in " ".join(rec.next_steps)


def test_no_structure_in_the_territory_points_to_etoile_info() -> None:
    rec = recommend(RULES, Profile(statut="scolaire"), "orientation_scolaire", Place("tours"), lookup)
    assert rec.structure is None
    assert any("0 800 222 100" in step for step in rec.next_steps)
    assert rec.as_payload()["structure"] is None


def test_a_structure_without_any_contact_says_where_to_find_it() -> None:
    bare = Structure(id="cio", name="CIO", door="cio", area="tours")
    rec = recommend(RULES, Profile(statut="scolaire"), "orientation_scolaire", Place("tours"), lambda d, p: bare)
    assert any("Etoile Info vous les donnera" in step for step in rec.next_steps)


def test_public_agents_are_not_sent_looking_in_the_directory() -> None:
    rec = recommend(RULES, Profile(statut="agent_public"), "reconversion", Place("tours"), lookup)
    assert rec.structure is None
    assert not any("0 800 222 100" in step for step in rec.next_steps)


def test_payload_has_the_shape_of_design_section_3() -> None:
    payload = recommend(
        RULES, Profile(statut="jeune_sans_activite", age=19), "decrochage", Place("vierzon"), lookup
    ).as_payload()
    assert set(payload) == {
        "type",
        "door",
        "cep_level",
        "territory",
        "structure",
        "alternatives",
        "reason",
        "next_steps",
    }
    assert payload["type"] == "recommendation"
    assert set(payload["structure"]) == {
        "id",
        "name",
        "door",
        "address",
        "postal_code",
        "city",
        "phone",
        "email",
        "url",
        # Added as docs/architecture.md (the recommendation) allows: coordinates, and the source and date of the fields.
        "latitude",
        "longitude",
        "source",
        "updated_at",
        "contact_source",
        "contact_updated_at",
        "area",  # the département it serves, or « region »
    }
    assert all(set(a) == {"door", "reason", "structure"} for a in payload["alternatives"])


def test_the_bot_asks_whether_a_salaried_person_is_a_cadre_only_when_it_changes_the_door() -> None:
    salaried = Profile(statut="salarie", age=40, contrat="cdi")
    assert missing_facts(RULES, salaried, "reconversion") == ("cadre",)
    assert missing_facts(RULES, salaried, "ptp") == ()  # Transitions Pro either way
    assert missing_facts(RULES, Profile(statut="demandeur_emploi", age=40), "recherche_emploi") == ()
    assert recommend(RULES, salaried, "reconversion", Place(), lookup).door == "cep_actifs"  # declined


@pytest.mark.parametrize(
    ("secteur", "door"), [("artisanat", "cma"), ("commerce_services", "cci"), ("agriculture", "chambre_agriculture")]
)
def test_the_sector_of_a_business_decides_the_chamber(secteur: str, door: str) -> None:
    assert missing_facts(RULES, Profile(), "creation_entreprise") == ("secteur",)
    assert recommend(RULES, Profile(secteur=secteur), "creation_entreprise", Place(), lookup).door == door


def test_an_unsaid_disability_is_never_asked_but_cap_emploi_is_named_for_whom() -> None:
    jobseeker = Profile(statut="demandeur_emploi", age=40)
    assert "handicap" not in missing_facts(RULES, jobseeker, "recherche_emploi")
    rec = recommend(RULES, jobseeker, "recherche_emploi", Place(), lookup)
    assert rec.door == "france_travail"
    assert [a.reason for a in rec.alternatives if a.door == "cap_emploi"] == [
        "Si vous avez une reconnaissance de travailleur handicapé (RQTH), Cap emploi peut aussi vous accompagner."
    ]
    pupil = recommend(RULES, Profile(statut="scolaire", age=15), "orientation_scolaire", Place(), lookup)
    assert all(a.door != "cap_emploi" for a in pupil.alternatives)
