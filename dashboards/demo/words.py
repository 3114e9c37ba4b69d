"""The demo's words: tenants and their org trees, topics, portals, course titles, names,
cities and bios, with accents and scripts enough to exercise sorting and search."""

# Each tenant: title, email domain, and its units, each with the departments below it.
CONTAINERS = (
    (
        "Northwind University",
        "northwind.example.edu",
        (
            ("Faculty of Science", ("Mathematics", "Physics", "Chemistry")),
            ("School of Engineering", ("Computer Science", "Civil Engineering")),
            ("Business School", ("Marketing", "Finance", "Économie")),
            ("Faculty of Arts", ("Philosophy", "Music")),
            ("School of Medicine", ("Nursing", "Cardiology", "Public Health")),
        ),
    ),
    (
        "Acme Corporate Academy",
        "acme.example.com",
        (
            ("Sales Division", ("Inside Sales", "Key Accounts")),
            ("Engineering Division", ("Platform", "Data & Analytics", "Quality")),
            ("People & Culture", ("Recruiting", "Learning & Development")),
            ("Operations", ("Logistics", "Procurement", "Facilities")),
            ("Customer Care", ("Support", "Customer Success")),
        ),
    ),
    (
        "Université de Lumière",
        "lumiere.example.fr",
        (
            ("Faculté des Sciences", ("Mathématiques", "Physique", "Biologie")),
            ("Faculté des Lettres", ("Linguistique", "Histoire")),
            ("École de Commerce", ("Finance", "Marketing", "Stratégie")),
            ("Faculté de Médecine", ("Pédiatrie", "Santé publique")),
            ("Institut de Droit", ("Droit privé", "Droit européen")),
        ),
    ),
    (
        "Globex Health Institute",
        "globex.example.org",
        (
            ("Clinical Sciences", ("Cardiology", "Oncology", "Radiology")),
            ("Nursing School", ("Adult Nursing", "Midwifery")),
            ("Public Health", ("Epidemiology", "Nutrition", "Global Health")),
            ("Research Institute", ("Genomics", "Clinical Trials")),
            ("Administration", ("Compliance", "Patient Experience")),
        ),
    ),
    (
        "Søndre Læringssenter",
        "sondre.example.no",
        (
            ("Realfag", ("Matematikk", "Fysikk", "Kjemi")),
            ("Språk og kultur", ("Norsk", "Engelsk")),
            ("Økonomi og ledelse", ("Regnskap", "Ledelse", "Markedsføring")),
            ("Helse og omsorg", ("Sykepleie", "Ernæring")),
            ("Teknologi", ("Programmering", "Datasikkerhet")),
        ),
    ),
)
TOPICS = (
    "Machine Learning",
    "Statistics",
    "Cybersecurity",
    "Écologie urbaine",
    "Leadership",
    "Onboarding",
    "Ethics",
    "Quantum Lab",
    "Design Thinking",
    "Öffentliche Gesundheit",
    "Research Methods",
    "Customer Success",
)
PORTALS = ("Public Learning Portal", "Partner Portal", "Alumni Portal")

COURSE_PREFIXES = (
    "Introduction to",
    "Advanced",
    "Foundations of",
    "Applied",
    "A Practical Guide to",
    "Topics in",
    "Masterclass:",
    "Initiation à",
    "Einführung in",
    "Essentials of",
)
COURSE_SUBJECTS = (
    "Statistics",
    "Linear Algebra",
    "Organic Chemistry",
    "Python Programming",
    "Data Visualisation",
    "Microéconomie",
    "Project Management",
    "Public Speaking",
    "Cell Biology",
    "Machine Learning",
    "Negotiation",
    "la Philosophie",
    "Thermodynamik",
    "Customer Empathy",
    "Cloud Security",
    "Accounting",
    "Creative Writing",
    "Café Management",
    "Nutrition",
    "UX Research",
    "Kommunikation",
    "Renewable Energy",
    "Contract Law",
    "Español para principiantes",
)

FIRST_NAMES = (
    "Émile", "Zoë", "Søren", "Chloé", "François", "Jürgen", "Łukasz", "José", "Inès", "Björn",
    "Åsa", "Renée", "Noël", "Anaïs", "Mátyás", "Çağla", "Zdeněk", "Siobhán", "Ólafur", "Ngozi",
    "Aiko", "Yūki", "Mei", "Ravi", "Priya", "Arjun", "Fatima", "Omar", "Leila", "Tomás",
    "Joaquín", "María", "Ana", "Lucía", "Mateo", "Sofía", "Ada", "Grace", "Alan", "Linus",
    "Margaret", "Katherine", "Dorothy", "Hedy", "Emmy", "Marie", "Pierre", "Louis", "Camille",
    "Léa", "Hugo", "Jules", "Élodie", "Gaëlle", "Maëlys", "Kwame", "Amara", "Chinedu", "Thandiwe",
    "Olga", "Dmitri", "Nadia", "Agnieszka", "Zoltán", "Eszter", "Jana", "Václav", "Henrik",
    "Ingrid", "Sigrid", "Ærin", "Niamh", "Seán", "Ciarán", "Liam", "Emma", "Olivia", "Noah",
    "James", "Wei", "Hiroshi", "Min-jun", "Seo-yeon", "Thảo", "Nguyên", "Ayşe", "Mehmet",
    "Ioana", "Radu", "Giulia", "Lorenzo", "Chiara", "Matteo", "Beatriz", "João", "Conceição",
    "Rafaël", "Jérôme", "Hélène", "Bérénice", "Kai", "Luca", "Sam", "Alex", "Robin",
)  # fmt: skip
LAST_NAMES = (
    "Dupont", "Müller", "Ødegaard", "Núñez", "García", "Łukasiewicz", "Novák", "Dvořáková",
    "O'Brien", "Ní Bhriain", "Nguyễn", "Trần", "Kim", "Park", "Tanaka", "Satō", "Wang", "Li",
    "Zhang", "Patel", "Sharma", "Okafor", "Adeyemi", "Mensah", "Haddad", "El Amrani", "Yılmaz",
    "Çelik", "Öztürk", "Kowalski", "Wiśniewska", "Horváth", "Szabó", "Popescu", "Ivanova",
    "Petrov", "Lindqvist", "Åberg", "Johansson", "Björk", "Sørensen", "Jensen", "Hansen",
    "Rossi", "Bianchi", "Esposito", "Ferreira", "Gonçalves", "Silva", "Santos", "Lefèvre",
    "Mercier", "Bézier", "Lovelace", "Hopper", "Turing", "Curie", "Noether", "Lamarr",
    "Johnson", "Smith", "Williams", "Brown", "Taylor", "Martin", "Bernard", "Thomas", "Moreau",
    "Girard", "Fontaine", "Châtelet", "Schröder", "Weiß", "Straße", "Fischer", "Becker",
    "Van der Berg", "de Vries", "Janssen", "MacLeod", "Ó Súilleabháin", "Álvarez", "Pérez",
    "Hernández", "López", "Jiménez", "Muñoz", "Ruíz", "Kaur", "Singh", "Abe", "Hayashi",
)  # fmt: skip
NICKNAMES = ("Prof.", "Dr.", "Coach", "Mx.", "Sr.", "Sra.", "Mme")
CITIES = (
    "Paris", "Montréal", "São Paulo", "Zürich", "Kraków", "Reykjavík", "Tromsø", "Málaga",
    "Köln", "İstanbul", "Hà Nội", "Tōkyō", "Lagos", "Nairobi", "London", "New York", "Lyon",
    "Genève", "Bogotá", "Québec", "Düsseldorf", "Århus", "Wrocław", "Brno", "Seoul",
)  # fmt: skip
BIOS = (
    "Lifelong learner.",
    "Passionnée de données et de café.",
    "Engineer by day, musician by night.",
    "Étudiant en master, curieux de tout.",
    "I teach, therefore I learn.",
    "Auf der Suche nach dem nächsten Kurs.",
    "   ",
)
