//! A minimal `--flag value` parser shared by the `lincheck` and `soak` binaries.

/// Parsed `--name value` pairs (also `--name=value`).
#[derive(Debug, Default)]
pub struct Args(Vec<(String, String)>);

impl Args {
    /// Parses `args` (without the program name); every flag takes a value.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Self, String> {
        let mut pairs = Vec::new();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let Some(flag) = arg.strip_prefix("--") else {
                return Err(format!("unexpected argument `{arg}`"));
            };
            let (name, value) = match flag.split_once('=') {
                Some((name, value)) => (name.to_owned(), value.to_owned()),
                None => {
                    let value = args
                        .next()
                        .ok_or_else(|| format!("`--{flag}` needs a value"))?;
                    (flag.to_owned(), value)
                }
            };
            pairs.push((name, value));
        }
        Ok(Self(pairs))
    }

    /// The number given for `--name`, or `default`; unknown names are checked by [`Args::finish`].
    pub fn number(&mut self, name: &str, default: u64) -> Result<u64, String> {
        match self.0.iter().position(|(n, _)| n == name) {
            None => Ok(default),
            Some(i) => {
                let (_, value) = self.0.remove(i);
                value
                    .parse()
                    .map_err(|_| format!("`--{name}` needs a number, got `{value}`"))
            }
        }
    }

    /// Whether `--name` was given (its value is then read with [`Args::number`]).
    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(n, _)| n == name)
    }

    /// Fails if any flag was not consumed.
    pub fn finish(self) -> Result<(), String> {
        match self.0.first() {
            None => Ok(()),
            Some((name, _)) => Err(format!("unknown option `--{name}`")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<Args, String> {
        Args::parse(line.split_whitespace().map(str::to_owned))
    }

    #[test]
    fn reads_numbers_and_rejects_leftovers() {
        let mut a = parse("--seed 5 --histories=10").unwrap();
        assert_eq!(a.number("seed", 0), Ok(5));
        assert_eq!(a.number("histories", 0), Ok(10));
        assert_eq!(a.number("threads", 3), Ok(3));
        assert!(a.finish().is_ok());
        assert!(parse("--seed").is_err());
        assert!(parse("seed 5").is_err());
        assert!(parse("--seed x").unwrap().number("seed", 0).is_err());
        assert!(parse("--nope 1").unwrap().finish().is_err());
    }
}
