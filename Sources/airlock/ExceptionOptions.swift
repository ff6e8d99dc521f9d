import AirlockCore
import ArgumentParser

/// Accepted risks: exceptions file, inline annotations, baseline.
struct ExceptionOptions: ParsableArguments {
    @Option(help: "Exceptions file (default: \(CheckRunner.defaultExceptionsFile) when present).")
    var exceptions: [String] = []

    @Flag(help: "Ignore airlock.dev/exception.* annotations (when auditing inputs someone else wrote).")
    var noInlineExceptions = false

    @Option(help: "Report findings recorded in this baseline as suppressed; only new ones fail.")
    var baseline: [String] = []

    @Option(help: "Record the current findings' fingerprints in this baseline file.")
    var writeBaseline: [String] = []

    @Option(help: "Judge exception expiry against this date (YYYY-MM-DD) instead of today.")
    var now: String?

    func validate() throws {
        try SingleValuedOption.requireAtMostOne(exceptions, of: "--exceptions", because: "a run reads one exceptions file")
        try SingleValuedOption.requireAtMostOne(baseline, of: "--baseline", because: "a run reads one baseline")
        try SingleValuedOption.requireAtMostOne(writeBaseline, of: "--write-baseline", because: "a run writes one baseline")
    }

    func apply(to options: inout CheckOptions) throws {
        if let now, !ExpiryDate.isValid(now) { throw ValidationError("--now takes a date YYYY-MM-DD, got \"\(now)\"") }
        options.exceptionsFile = exceptions.last
        options.settings.allowInlineExceptions = !noInlineExceptions
        options.baselineFile = baseline.last
        options.today = now
    }

    /// Writes the baseline file when asked to.
    func record(_ result: CheckResult) throws {
        guard let writeBaseline = writeBaseline.last else { return }
        let data = try Baseline(findings: result.findings).encoded()
        try AtomicFile.write(to: writeBaseline) { sink in sink.write(String(decoding: data, as: UTF8.self) + "\n") }
    }
}
