import CEL

/// A Semantic Versioning 2.0.0 version: the CEL library's `kubernetes.Semver` value, so a version
/// in a bundle or package fact, in `satisfies()` and in a range reads exactly as Kubernetes'
/// `semver()` reads it. `SemanticVersion(text)` and `SemanticVersion.parse(text)` are strict (no
/// `v` prefix, no leading zeros, exactly three core numbers). `<` is SemVer precedence (build
/// metadata ignored); `==` compares every field, build included, so use `precedenceCompare` to ask
/// "same precedence?".
public typealias SemanticVersion = CELSemver

/// Why a version or range did not parse.
public typealias VersionSyntaxError = CELSemver.SyntaxError
