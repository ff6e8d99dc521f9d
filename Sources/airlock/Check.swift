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
        try Check.run(input: input, policy: policy, exceptions: exceptions, report: report, profile: nil)
    }

    /// Runs a check with the given options, optionally restricted to a profile, and exits with
    /// the result's code. Shared by `check` and the gates.
    static func run(input: InputOptions, policy: PolicyOptions, exceptions: ExceptionOptions, report: ReportOptions, profile: Profile?) throws {
        var options = CheckOptions()
        options.paths = input.paths.isEmpty ? ["-"] : input.paths
        options.defaultNamespace = input.namespace
        options.allowEmpty = input.allowEmpty
        options.limits = input.limits
        options.profile = profile
        options.failOn = report.failOn ?? profile?.failOn ?? .low
        options.failOnError = report.failOnError
        try policy.apply(to: &options)
        try exceptions.apply(to: &options)
        let result = CheckRunner.run(options)
        try exceptions.record(result)
        try report.emit(result)
    }
}
