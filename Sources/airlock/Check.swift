import AirlockCore
import ArgumentParser
import Foundation

/// `airlock check`: evaluate the policies on manifests and report.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check rendered manifests, cluster exports or plain YAML/JSON against the policies.")

    @Argument(help: InputOptions.manifestPathsHelp)
    var paths: [String] = []

    @OptionGroup var input: InputOptions
    @OptionGroup var policy: PolicyOptions
    @OptionGroup var exceptions: ExceptionOptions
    @OptionGroup var report: ReportOptions

    func run() throws {
        try Check.run(paths: paths, input: input, policy: policy, exceptions: exceptions, report: report, profile: nil)
    }

    /// Runs a check with the given options, optionally restricted to a profile, and exits with
    /// the result's code. Shared by `check`, the gates and `bundle verify`; `artifacts` reads
    /// packages and bundles, and `inputs` decides which paths are manifests, packages or bundles.
    static func run(
        paths: [String], input: InputOptions, policy: PolicyOptions, exceptions: ExceptionOptions, report: ReportOptions, profile: Profile?,
        artifacts: ArtifactOptions? = nil, inputs: (String) -> ArtifactDiscovery.Kind = { _ in .manifests },
        configure: (inout CheckOptions) -> Void = { _ in }
    ) throws {
        var options = CheckOptions()
        let valuesFromStandardInput = policy.valuesFiles.filter(StandardInputPath.names).count
        if valuesFromStandardInput > 1 { throw ValidationError("standard input is read once: --values - (or /dev/stdin) can be given once") }
        for path in try input.pathsOrStandardInput(paths, valuesReadIt: valuesFromStandardInput == 1) {
            switch inputs(path) {
            case .manifests: options.paths.append(path)
            case .package: options.packagePaths.append(path)
            case .bundle: options.bundlePaths.append(path)
            }
        }
        try artifacts?.apply(to: &options)
        configure(&options)
        options.defaultNamespace = input.namespace
        options.allowEmpty = input.allowEmpty
        options.limits = input.limits
        options.profile = profile
        options.failOn = report.failOn ?? profile?.failOn ?? .low
        options.failOnError = report.failOnError
        options.foldOwned = report.foldOwned
        try policy.apply(to: &options)
        try exceptions.apply(to: &options)
        let result = CheckRunner.run(options)
        for note in result.notes { printNote(note) }
        // Report files are checked and opened before anything is written, the baseline included.
        let baseline = exceptions.writeBaseline.map { (written: $0, read: exceptions.baseline) }
        let subjects = options.packagePaths + options.bundlePaths + [options.exceptionsFile ?? CheckRunner.defaultExceptionsFile]
        let named = options.paths + options.valuesFiles + options.policyPaths + subjects
        try report.emit(result, inputs: inputFiles(options, result) + [policy.paramFile].compactMap { $0 }, subjects: subjects, named: named, baseline: baseline) {
            try exceptions.record(result)
        }
    }

    /// Every file the run may have read: the inputs it records and the files options name.
    private static func inputFiles(_ options: CheckOptions, _ result: CheckResult) -> [String] {
        let named = [options.configFile ?? ConfigFile.defaultPath, options.exceptionsFile ?? CheckRunner.defaultExceptionsFile,
                     options.baselineFile, options.publicKeyFile].compactMap { $0 }
        return result.artifacts.map(\.path) + named + options.paths + options.valuesFiles + options.policyPaths
            + options.packagePaths + options.bundlePaths
    }
}
