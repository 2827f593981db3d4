//! Plausible names and a small deterministic random generator, so the same size always
//! produces the same institution.

/// SplitMix64: tiny, fast, and good enough for demo data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next_u64() % u64::try_from(n.max(1)).unwrap_or(1)).unwrap_or(0)
    }

    pub fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// Roughly normal (sum of uniforms), mean `mean`, spread `sd`.
    pub fn normal(&mut self, mean: f64, sd: f64) -> f64 {
        let sum: f64 = (0..6).map(|_| self.unit()).sum();
        mean + (sum - 3.0) * sd / 0.707
    }
}

pub const FIRST_NAMES: &[&str] = &[
    "Ayesha", "Ali", "Fatima", "Hamza", "Zainab", "Usman", "Maryam", "Bilal", "Hira", "Omar", "Sana", "Hassan",
    "Mahnoor", "Ahmed", "Iqra", "Daniyal", "Amna", "Saad", "Noor", "Faisal", "Laiba", "Hadi", "Areeba", "Imran",
    "Khadija", "Rayan", "Mehwish", "Asad", "Rabia", "Talha", "Emma", "Liam", "Sofia", "Noah", "Chloe", "Lucas",
    "Amira", "Yusuf", "Leila", "Tariq", "Priya", "Arjun", "Mei", "Chen", "Kofi", "Amara", "Elena", "Mateo", "Hana",
    "Kenji",
];

pub const LAST_NAMES: &[&str] = &[
    "Khan", "Ahmed", "Malik", "Hussain", "Qureshi", "Siddiqui", "Butt", "Chaudhry", "Sheikh", "Raza", "Mirza", "Awan",
    "Baig", "Javed", "Iqbal", "Rehman", "Abbasi", "Zaidi", "Shah", "Hashmi", "Farooq", "Aslam", "Nawaz", "Yousaf",
    "Smith", "Garcia", "Nguyen", "Okafor", "Haddad", "Rossi", "Kim", "Patel", "Silva", "Novak", "Ibrahim", "Tanaka",
    "Mensah", "Costa", "Cohen", "Ali",
];

/// (code, name, program stem) of generated departments.
pub const DEPARTMENTS: &[(&str, &str, &str)] = &[
    ("CE", "Computer Engineering", "Computer Engineering"),
    ("EE", "Electrical Engineering", "Electrical Engineering"),
    ("ME", "Mechanical Engineering", "Mechanical Engineering"),
    ("CV", "Civil Engineering", "Civil Engineering"),
    ("CH", "Chemical Engineering", "Chemical Engineering"),
    ("CS", "Computer Science", "Computer Science"),
    ("SE", "Software Engineering", "Software Engineering"),
    ("MT", "Mechatronics", "Mechatronics Engineering"),
    ("IE", "Industrial Engineering", "Industrial Engineering"),
    ("EN", "Environmental Engineering", "Environmental Engineering"),
];

pub const TOPICS: &[&str] = &[
    "Circuit Analysis",
    "Calculus",
    "Linear Algebra",
    "Programming Fundamentals",
    "Data Structures",
    "Digital Logic Design",
    "Signals and Systems",
    "Thermodynamics",
    "Fluid Mechanics",
    "Engineering Drawing",
    "Probability and Statistics",
    "Electronics",
    "Control Systems",
    "Computer Architecture",
    "Operating Systems",
    "Database Systems",
    "Engineering Economics",
    "Technical Writing",
    "Numerical Methods",
    "Materials Science",
    "Communication Systems",
    "Embedded Systems",
    "Project Management",
    "Engineering Ethics",
    "Machine Design",
    "Power Systems",
    "Algorithms",
    "Computer Networks",
    "Instrumentation",
    "Renewable Energy",
    "Structural Analysis",
    "Heat Transfer",
    "Software Engineering",
    "Artificial Intelligence",
    "Signal Processing",
    "Microprocessors",
    "Differential Equations",
    "Physics",
    "Islamic and Pakistan Studies",
    "Capstone Design Project",
];

/// A verb per taxonomy level for CLO wording.
pub const VERBS: &[(&str, &str)] = &[
    ("C1", "Describe"),
    ("C2", "Explain"),
    ("C3", "Apply"),
    ("C4", "Analyse"),
    ("C5", "Evaluate"),
    ("C6", "Design"),
    ("P3", "Perform"),
    ("A2", "Work in a team on"),
];

pub const FRAMEWORKS: &[&str] = &["wa-2021", "pec-2014", "abet-eac-2019"];
