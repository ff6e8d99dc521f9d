import AirlockCore
import ArgumentParser
import Foundation

/// `airlock check`: evaluate the policies on manifests and report.
struct Check: PathsCommand {
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
        let baseline = exceptions.writeBaseline.last.map { (written: $0, read: exceptions.baseline.last) }
        let subjects = options.packagePaths + options.bundlePaths + [options.exceptionsFile ?? CheckRunner.defaultExceptionsFile]
        let named = options.paths + options.valuesFiles + options.policyPaths + subjects
        try report.emit(
            result, inputs: inputFiles(options, result) + policy.paramFile, alsoRead: { filesReadBeside(options) },
            readFolders: options.packagePaths + options.bundlePaths, subjects: subjects, named: named, baseline: baseline
        ) {
            try exceptions.record(result)
        }
    }

    /// The files the run read that it names nowhere: the policy files of `--policies` folders,
    /// the registry's index.yaml, a bundle tarball's `.sha256` sidecar and `.sig`, and the
    /// `NAME.local.yaml` overrides beside a package (NAME may be package.yaml's `name`, so every
    /// one there counts).
    private static func filesReadBeside(_ options: CheckOptions) -> [String] {
        let sidecars = options.bundlePaths.flatMap { [$0 + ".sha256", $0 + ".sig"] }
        let folders = Set(options.packagePaths.map { path in
            var trimmed = path
            while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
            return (trimmed as NSString).deletingLastPathComponent
        })
        let overrides = folders.sorted().flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? [])
                .filter { $0.hasSuffix(".local.yaml") }.map { folder.isEmpty ? $0 : folder + "/" + $0 }
        }
        let index = options.registryFolder.map { [$0 + "/index.yaml"] } ?? []
        return PolicySource.files(at: options.policyPaths) + index + sidecars + overrides
    }

    /// Every file the run may have read: the inputs it records and the files options name.
    private static func inputFiles(_ options: CheckOptions, _ result: CheckResult) -> [String] {
        let named = [options.configFile ?? ConfigFile.defaultPath, options.exceptionsFile ?? CheckRunner.defaultExceptionsFile,
                     options.baselineFile, options.publicKeyFile].compactMap { $0 }
        return result.artifacts.map(\.path) + named + options.paths + options.valuesFiles + options.policyPaths
            + options.packagePaths + options.bundlePaths
    }
}
