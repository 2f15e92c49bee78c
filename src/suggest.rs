//! "Did you mean …?": the closest known name to a misspelt one.

/// The candidate closest to `word` by edit distance (a swap of two neighbouring letters
/// counts as one edit), if it is close enough to be a typo.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .iter()
        .map(|c| (strsim::osa_distance(word, c), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_and_ignores_strangers() {
        let keys = ["title", "subtitle", "kicker"];
        assert_eq!(closest("titel", &keys), Some("title"));
        assert_eq!(closest("subtile", &keys), Some("subtitle"));
        assert_eq!(closest("colour", &keys), None);
    }
}
