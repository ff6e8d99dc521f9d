import AirlockCore
import ArgumentParser

/// `airlock check`: evaluate the policies on manifests and report.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check rendered manifests, cluster exports or plain YAML/JSON against the policies.")

    @OptionGroup var input: InputOptions
    @OptionGroup var policy: PolicyOptions
    @OptionGroup var exceptions: ExceptionOptions
    @OptionGroup var report: ReportOptions

    func run() throws {
        var options = CheckOptions()
        options.paths = input.paths.isEmpty ? ["-"] : input.paths
        options.defaultNamespace = input.namespace
        options.allowEmpty = input.allowEmpty
        options.limits = input.limits
        options.failOn = report.failOn
        options.failOnError = report.failOnError
        try policy.apply(to: &options)
        try exceptions.apply(to: &options)
        let result = CheckRunner.run(options)
        try exceptions.record(result)
        try report.emit(result)
    }
}
