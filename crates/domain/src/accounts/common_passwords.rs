//! A short list of the passwords most often found in breach corpora (lower-cased), all at
//! least as long as the minimum length so that the check adds something the length rule does not.

const COMMON: &[&str] = &[
    "1234567890", "12345678910", "123456789a", "1234567890a", "0123456789", "9876543210",
    "1q2w3e4r5t", "1q2w3e4r5t6y", "q1w2e3r4t5", "qwertyuiop", "qwerty1234", "qwerty12345",
    "qwerty123456", "asdfghjkl1", "zxcvbnm123", "1qaz2wsx3edc", "qazwsxedc123", "password1!",
    "password12", "password123", "password1234", "password12345", "passw0rd123", "p@ssw0rd123",
    "p@ssword123", "passwordpassword", "iloveyou123", "iloveyou12", "sunshine123", "princess123",
    "football123", "baseball123", "welcome123", "welcome1234", "welcome2024", "welcome2025",
    "welcome2026", "abc1234567", "abcdefghij", "abcd123456", "aaaaaaaaaa", "1111111111",
    "0000000000", "2222222222", "1212121212", "1122334455", "1234512345", "123123123123",
    "letmein123", "letmein1234", "monkey1234", "dragon1234", "trustno1234", "superman123",
    "batman1234", "master1234", "shadow1234", "michael123", "jennifer123", "computer123",
    "internet123", "starwars123", "whatever123", "pakistan123", "pakistan1234", "islamabad123",
    "lahore1234", "karachi123", "india12345", "changeme123", "changeme!!", "administrator",
    "admin12345", "admin123456", "adminadmin", "rootroot12", "testtest12", "test123456",
    "student123", "student1234", "teacher123", "university1", "university123", "college123",
    "school1234", "summer2024", "summer2025", "summer2026", "winter2025", "autumn2025",
    "spring2026", "january2026", "qwertyqwerty", "asdfasdfasdf", "loveyou123", "hello12345",
    "helloworld", "helloworld1", "goodluck123", "freedom123", "mustang123", "liverpool1",
    "chelsea123", "arsenal123", "barcelona1", "manchester", "cricket123", "football1!",
];

/// True when `folded` (already lower-cased) is on the list.
pub fn is_common(folded: &str) -> bool {
    COMMON.contains(&folded)
}
