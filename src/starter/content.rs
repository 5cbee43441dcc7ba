//! The default site's content, built into the binary, for `spiegel init`'s starter.
//!
//! Hands on the files of `content/` as (path under `content/`, text) pairs. A test
//! checks that this list and `content/` hold the same files.

/// Files of `content/`, by path relative to that folder.
pub(crate) const DEFAULT_CONTENT: &[(&str, &str)] = &[
    ("_index.md", include_str!("../../content/_index.md")),
    ("bouwstenen/_index.md", include_str!("../../content/bouwstenen/_index.md")),
    ("bouwstenen/coaching.md", include_str!("../../content/bouwstenen/coaching.md")),
    ("bouwstenen/cultuur.md", include_str!("../../content/bouwstenen/cultuur.md")),
    ("bouwstenen/innovatie.md", include_str!("../../content/bouwstenen/innovatie.md")),
    (
        "bouwstenen/monitoring-en-evaluatie.md",
        include_str!("../../content/bouwstenen/monitoring-en-evaluatie.md"),
    ),
    (
        "bouwstenen/partnerschap-met-ouders.md",
        include_str!("../../content/bouwstenen/partnerschap-met-ouders.md"),
    ),
    (
        "bouwstenen/pedagogisch-leiderschap.md",
        include_str!("../../content/bouwstenen/pedagogisch-leiderschap.md"),
    ),
    (
        "bouwstenen/pedagogisch-professionals.md",
        include_str!("../../content/bouwstenen/pedagogisch-professionals.md"),
    ),
    (
        "bouwstenen/professionalisering.md",
        include_str!("../../content/bouwstenen/professionalisering.md"),
    ),
    (
        "bouwstenen/relatie-met-ketenpartners.md",
        include_str!("../../content/bouwstenen/relatie-met-ketenpartners.md"),
    ),
    ("bouwstenen/structuur.md", include_str!("../../content/bouwstenen/structuur.md")),
    ("bouwstenen/team.md", include_str!("../../content/bouwstenen/team.md")),
    (
        "bouwstenen/visie-missie-doelen.md",
        include_str!("../../content/bouwstenen/visie-missie-doelen.md"),
    ),
    ("inspiratie/_index.md", include_str!("../../content/inspiratie/_index.md")),
    (
        "inspiratie/cirkelmodel-kind-en-ouder-centraal.md",
        include_str!("../../content/inspiratie/cirkelmodel-kind-en-ouder-centraal.md"),
    ),
    ("inspiratie/coordinatieteam.md", include_str!("../../content/inspiratie/coordinatieteam.md")),
    (
        "inspiratie/de-blik-van-buiten.md",
        include_str!("../../content/inspiratie/de-blik-van-buiten.md"),
    ),
    (
        "inspiratie/eetmoment-in-vraag-gesteld.md",
        include_str!("../../content/inspiratie/eetmoment-in-vraag-gesteld.md"),
    ),
    ("inspiratie/fantasiespel.md", include_str!("../../content/inspiratie/fantasiespel.md")),
    (
        "inspiratie/fruit-als-voorbeeld.md",
        include_str!("../../content/inspiratie/fruit-als-voorbeeld.md"),
    ),
    (
        "inspiratie/hoeken-en-de-ruimte.md",
        include_str!("../../content/inspiratie/hoeken-en-de-ruimte.md"),
    ),
    (
        "inspiratie/inspiratie-geen-checklist.md",
        include_str!("../../content/inspiratie/inspiratie-geen-checklist.md"),
    ),
    (
        "inspiratie/ontmoeting-met-ouders.md",
        include_str!("../../content/inspiratie/ontmoeting-met-ouders.md"),
    ),
    (
        "inspiratie/pedagogische-middag.md",
        include_str!("../../content/inspiratie/pedagogische-middag.md"),
    ),
    ("inspiratie/spel-klaargezet.md", include_str!("../../content/inspiratie/spel-klaargezet.md")),
    (
        "inspiratie/stel-jezelf-in-vraag.md",
        include_str!("../../content/inspiratie/stel-jezelf-in-vraag.md"),
    ),
    ("methodieken/_index.md", include_str!("../../content/methodieken/_index.md")),
    (
        "methodieken/beginfoto-en-leervraag.md",
        include_str!("../../content/methodieken/beginfoto-en-leervraag.md"),
    ),
    (
        "methodieken/casusbespreking.md",
        include_str!("../../content/methodieken/casusbespreking.md"),
    ),
    (
        "methodieken/coachingsplan-schrijven.md",
        include_str!("../../content/methodieken/coachingsplan-schrijven.md"),
    ),
    (
        "methodieken/eindevaluatie-met-toekomstblik.md",
        include_str!("../../content/methodieken/eindevaluatie-met-toekomstblik.md"),
    ),
    ("methodieken/intervisie.md", include_str!("../../content/methodieken/intervisie.md")),
    (
        "methodieken/kindobservatie-met-oudergesprek.md",
        include_str!("../../content/methodieken/kindobservatie-met-oudergesprek.md"),
    ),
    (
        "methodieken/kleine-opdrachten-interesses-kinderen.md",
        include_str!("../../content/methodieken/kleine-opdrachten-interesses-kinderen.md"),
    ),
    ("methodieken/meedraaien.md", include_str!("../../content/methodieken/meedraaien.md")),
    ("methodieken/observeren.md", include_str!("../../content/methodieken/observeren.md")),
    ("methodieken/pitstop.md", include_str!("../../content/methodieken/pitstop.md")),
    (
        "methodieken/plan-do-check-act.md",
        include_str!("../../content/methodieken/plan-do-check-act.md"),
    ),
    (
        "methodieken/reflectiemoment-pedagogische-middag.md",
        include_str!("../../content/methodieken/reflectiemoment-pedagogische-middag.md"),
    ),
    (
        "methodieken/tempo-van-het-team-bewaken.md",
        include_str!("../../content/methodieken/tempo-van-het-team-bewaken.md"),
    ),
    ("methodieken/voorleven.md", include_str!("../../content/methodieken/voorleven.md")),
    ("methodieken/werkmoment.md", include_str!("../../content/methodieken/werkmoment.md")),
    ("over.md", include_str!("../../content/over.md")),
    ("visie/_index.md", include_str!("../../content/visie/_index.md")),
    (
        "visie/coachend-leidinggeven.md",
        include_str!("../../content/visie/coachend-leidinggeven.md"),
    ),
    (
        "visie/coachingsaanpak-ondersteuningsnetwerk.md",
        include_str!("../../content/visie/coachingsaanpak-ondersteuningsnetwerk.md"),
    ),
    (
        "visie/onze-visie-op-coaching.md",
        include_str!("../../content/visie/onze-visie-op-coaching.md"),
    ),
];

#[cfg(test)]
mod tests {
    #[test]
    fn matches_the_content_folder() {
        crate::render::builtin::assert_embedded_matches(
            "content",
            super::DEFAULT_CONTENT,
            "src/starter/content.rs",
        );
    }
}
