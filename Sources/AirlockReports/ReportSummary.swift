import AirlockCore

/// The counts every human- and machine-readable summary shows.
struct ReportSummary {
    /// Unsuppressed findings.
    var findings = 0
    var bySeverity: [Severity: Int] = [:]
    var byCategory: [Category: Int] = [:]
    var suppressed = 0
    /// Findings of owned objects folded into others (`Finding.alsoIn`), not counted above.
    var folded = 0
    /// Diagnostics of every kind.
    var errors = 0
    /// Distinct files with at least one unsuppressed finding.
    var files = 0
    /// Rules that could not run at all (see `CheckResult.RuleRun.notRun`).
    var rulesNotRun = 0
    /// Rules of the user's policies that evaluated no object (see `CheckResult.RuleRun.matchedNothing`).
    var rulesMatchingNothing = 0
    var exitCode: Int32 = 0

    init(_ result: CheckResult) {
        var files = Set<String>()
        for finding in result.findings {
            folded += finding.alsoIn.count
            if finding.suppression != nil {
                suppressed += 1
                continue
            }
            findings += 1
            bySeverity[finding.severity, default: 0] += 1
            byCategory[finding.category, default: 0] += 1
            if let file = finding.location?.file { files.insert(file) }
        }
        self.files = files.count
        errors = result.diagnostics.count
        rulesNotRun = Set(result.rules.filter { $0.notRun != nil }.map(\.rule.id)).count
        rulesMatchingNothing = Set(result.rules.filter { $0.matchedNothing != nil }.map(\.rule.id)).count
        exitCode = result.exitCode
    }

    var passed: Bool { exitCode == 0 }
}
