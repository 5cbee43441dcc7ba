//! Dutch-like words for generated sites: Zipf-distributed over a hand-written childcare
//! vocabulary (so `kinderen` is common), a long tail of made-up words (so the vocabulary
//! grows as a real site's does, with many words used once or twice), and a share of
//! compounds made of two nouns (`kinderbegeleider`). Deterministic for a seed.

/// Frequent words, most frequent first (rank decides frequency).
pub(crate) const COMMON: &[&str] = &[
    "de",
    "het",
    "een",
    "en",
    "van",
    "in",
    "is",
    "op",
    "te",
    "dat",
    "met",
    "voor",
    "kinderen",
    "je",
    "ze",
    "niet",
    "zijn",
    "er",
    "aan",
    "ook",
    "als",
    "bij",
    "kind",
    "wat",
    "om",
    "door",
    "groep",
    "samen",
    "spel",
    "team",
    "ouders",
    "dag",
    "ruimte",
    "begeleider",
    "kijken",
    "spelen",
    "coaching",
    "zien",
    "reflectie",
    "vragen",
    "samenwerken",
    "leren",
    "taal",
    "beweging",
    "gevoel",
    "veilig",
    "rust",
    "moment",
    "keuze",
    "praten",
    "luisteren",
    "opvang",
    "coach",
    "pedagogisch",
    "medewerker",
    "vertrouwen",
    "observeren",
    "feedback",
    "leeftijd",
    "baby",
    "peuter",
    "dreumes",
    "verzorging",
    "eten",
    "slapen",
    "buiten",
    "binnen",
    "materiaal",
    "blokken",
    "verf",
    "zand",
    "water",
    "muziek",
    "dans",
    "boek",
    "verhaal",
    "vraag",
    "antwoord",
    "gesprek",
    "doel",
    "plan",
    "stap",
    "fase",
    "beginfoto",
    "werkmoment",
    "pitstop",
    "eindevaluatie",
    "bouwsteen",
    "visie",
    "inspiratie",
    "methode",
    "organisatie",
    "locatie",
    "kwaliteit",
    "welbevinden",
    "betrokkenheid",
    "autonomie",
    "relatie",
    "verbinding",
    "grens",
    "regel",
    "ritueel",
    "overgang",
    "afscheid",
    "welkom",
    "ochtend",
    "middag",
    "lunch",
    "tafel",
    "kring",
    "hoek",
    "tuin",
    "natuur",
    "seizoen",
    "herfst",
    "winter",
    "lente",
    "zomer",
    "regen",
    "zon",
    "wind",
    "blad",
    "boom",
    "bloem",
    "dier",
    "vogel",
    "kleur",
    "vorm",
    "geluid",
    "stem",
    "lichaam",
    "hand",
    "voet",
    "hoofd",
    "ogen",
    "oren",
    "glimlach",
    "traan",
    "troost",
    "knuffel",
    "uitdaging",
    "risico",
    "durven",
    "proberen",
    "ontdekken",
    "onderzoeken",
    "bouwen",
    "tekenen",
    "knutselen",
    "zingen",
    "lezen",
    "vertellen",
    "rollenspel",
    "fantasie",
    "verbeelding",
    "creatief",
    "nieuwsgierig",
    "zelfstandig",
    "sociaal",
    "emotie",
    "boosheid",
    "blijdschap",
    "angst",
    "verdriet",
    "conflict",
    "ruzie",
    "oplossen",
    "delen",
    "wachten",
    "beurt",
    "helpen",
    "zorgen",
    "aandacht",
    "positief",
    "bevestigen",
    "benoemen",
    "ondersteunen",
    "stimuleren",
    "volgen",
    "sturen",
    "loslaten",
    "aanmoedigen",
    "afspraak",
    "structuur",
    "dagritme",
    "planning",
    "overleg",
    "vergadering",
    "collega",
    "leidinggevende",
    "directie",
    "beleid",
    "protocol",
    "dossier",
    "verslag",
    "evaluatie",
    "ontwikkeling",
    "groei",
    "talent",
    "sterkte",
    "zwakte",
    "kans",
    "bedreiging",
    "cultuur",
    "taalrijk",
    "meertalig",
    "diversiteit",
    "inclusie",
    "gezin",
    "thuis",
    "buurt",
    "school",
    "gemeente",
    "netwerk",
    "partner",
    "scholing",
    "training",
    "opleiding",
    "begeleiding",
    "coachingsplan",
    "werkvloer",
    "vlinder",
    "vlindermodel",
    "leerorganisatie",
    "professionaliteit",
    "houding",
    "vaardigheid",
    "kennis",
    "inzicht",
    "ervaring",
    "voorbeeld",
    "situatie",
    "context",
    "omgeving",
    "inrichting",
    "sfeer",
    "geborgenheid",
    "warmte",
    "humor",
    "plezier",
    "creeren",
    "begeleiden",
    "afstemmen",
    "reageren",
    "nadenken",
    "terugkijken",
    "vooruitkijken",
    "bespreken",
    "noteren",
    "filmen",
    "foto",
    "camera",
    "beeld",
];

/// Nouns that combine into compounds (`kinderopvang`, `teamoverleg`).
pub(crate) const HEADS: &[&str] =
    &["kinder", "team", "spel", "buiten", "taal", "groeps", "ouder", "bewegings"];
pub(crate) const TAILS: &[&str] =
    &["opvang", "begeleider", "overleg", "moment", "ruimte", "materiaal", "gesprek", "activiteit"];
pub(crate) const SYLLABLES: &[&str] = &[
    "ka", "ro", "mi", "te", "lo", "van", "ber", "sto", "pel", "dijk", "ma", "ne", "ri", "ton",
    "gel", "wa", "ster", "lin", "bo", "ku", "hof", "zee", "dal", "mo", "ven", "tri", "sa", "pi",
];
/// Size of the made-up long tail.
pub(crate) const RARE_WORDS: usize = 60_000;
/// A small deterministic random number generator (xorshift64*), so every run and every
/// machine generates the same site.
pub(crate) struct Random(u64);

impl Random {
    pub(crate) fn new(seed: u64) -> Self {
        Random(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A number from `low` to `high`, both included.
    pub(crate) fn range(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    pub(crate) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// `n` distinct items (all of them if there are fewer).
    pub(crate) fn some<'a>(&mut self, items: &[&'a str], n: usize) -> Vec<&'a str> {
        let mut chosen: Vec<&str> = Vec::new();
        while chosen.len() < n.min(items.len()) {
            let item = self.pick(items);
            if !chosen.contains(&item) {
                chosen.push(item);
            }
        }
        chosen
    }

    pub(crate) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Samples ranks 0..n with probability proportional to 1 / (rank + 1).
pub(crate) struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    pub(crate) fn new(n: usize) -> Self {
        let mut sum = 0.0;
        let cumulative = (0..n)
            .map(|rank| {
                sum += 1.0 / (rank as f64 + 1.0);
                sum
            })
            .collect();
        Zipf { cumulative }
    }

    pub(crate) fn sample(&self, random: &mut Random) -> usize {
        let target = random.unit() * self.cumulative.last().copied().unwrap_or(0.0);
        self.cumulative.partition_point(|&c| c < target).min(self.cumulative.len() - 1)
    }
}

/// The made-up word of a rank in the long tail: three or four syllables from its digits.
pub(crate) fn rare_word(rank: usize) -> String {
    let n = SYLLABLES.len();
    let mut word = String::new();
    let mut rest = rank;
    for _ in 0..3 {
        word.push_str(SYLLABLES[rest % n]);
        rest /= n;
    }
    word.push_str(SYLLABLES[(rank * 7 + rest) % n]);
    word
}

/// Draws words for one site.
pub(crate) struct Words {
    common: Zipf,
    rare: Zipf,
}

impl Default for Words {
    fn default() -> Self {
        Words { common: Zipf::new(COMMON.len()), rare: Zipf::new(RARE_WORDS) }
    }
}

impl Words {
    pub(crate) fn word(&self, random: &mut Random) -> String {
        let roll = random.unit();
        if roll < 0.05 {
            format!("{}{}", HEADS[random.below(HEADS.len())], TAILS[random.below(TAILS.len())])
        } else if roll < 0.20 {
            rare_word(self.rare.sample(random))
        } else {
            COMMON[self.common.sample(random)].to_string()
        }
    }

    pub(crate) fn heading(&self, random: &mut Random) -> String {
        let count = 2 + random.below(3);
        capitalised(&(0..count).map(|_| self.word(random)).collect::<Vec<_>>().join(" "))
    }

    pub(crate) fn sentence(&self, random: &mut Random, words: usize) -> String {
        let mut text: String = (0..words).map(|_| self.word(random)).collect::<Vec<_>>().join(" ");
        if let Some(first) = text.get(..1) {
            text.replace_range(..1, &first.to_uppercase());
        }
        text.push('.');
        text
    }
}

pub(crate) fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
}
