import AirlockCore
import AirlockReports
import ArgumentParser

/// `airlock gate`: the checks that stand before a deploy or a publish, as profiles define them.
struct Gate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a gate: the rules of a profile (policies/profiles.yaml) with its --fail-on default.",
        subcommands: [PreDeploy.self, PrePublish.self])

    /// The `--profile` option's help, naming the profiles there are.
    static let profileHelp = ArgumentHelp(
        "The profile of the built-in pack (policies/profiles.yaml) to run, with its --fail-on default: "
            + Profile.builtin().profiles.map(\.name).joined(separator: ", ") + ".")

    /// Finds a profile of the built-in pack by name.
    static func profile(named name: String) throws -> Profile {
        let loaded = Profile.builtin()
        for error in loaded.errors { printError(TextReporter.diagnosticLine(error)) }
        guard let profile = loaded.profiles.first(where: { $0.name == name }) else {
            throw ValidationError("no profile named \"\(name)\" (have: \(loaded.profiles.map(\.name).joined(separator: ", ")))")
        }
        return profile
    }

    struct PreDeploy: PathsCommand {
        static let configuration = CommandConfiguration(
            commandName: "pre-deploy",
            abstract: "Check manifests, values and air-gap bundles before a deploy (profile: deploy).",
            discussion: """
                A .tar.gz, .tgz, .tar or .tar.zst file, or a folder holding manifest.yaml, is read as \
                an air-gap bundle; a folder holding package.yaml as a domain package; everything \
                else as manifests.
                """)

        @Argument(help: "Manifest files or directories (searched for *.yaml, *.yml, *.json), bundles and packages (above), or - for standard input.")
        var paths: [String] = []

        @OptionGroup var input: InputOptions
        @OptionGroup var policy: PolicyOptions
        @OptionGroup var artifacts: ArtifactOptions
        @OptionGroup var exceptions: ExceptionOptions
        @OptionGroup var report: ReportOptions

        @Option(help: Gate.profileHelp)
        var profile = "deploy"

        func run() throws {
            try Check.run(
                paths: paths, input: input, policy: policy, exceptions: exceptions, report: report, profile: Gate.profile(named: profile),
                artifacts: artifacts, inputs: ArtifactDiscovery.kind(of:))
        }
    }

    struct PrePublish: PathsCommand {
        static let configuration = CommandConfiguration(
            commandName: "pre-publish",
            abstract: "Check domain packages (folders or tarballs holding package.yaml) before publishing them (profile: publish).")

        @Argument(help: "Domain package folders or tarballs holding package.yaml.")
        var paths: [String] = []

        @OptionGroup var input: InputOptions
        @OptionGroup var policy: PolicyOptions
        @OptionGroup var artifacts: ArtifactOptions
        @OptionGroup var exceptions: ExceptionOptions
        @OptionGroup var report: ReportOptions

        @Option(help: "Package registry folder holding index.yaml: what is already published (bound as `registry`).")
        var registry: String?

        @Option(help: Gate.profileHelp)
        var profile = "publish"

        func validate() throws {
            if paths.isEmpty || paths.contains("-") { throw ValidationError("give the package folder or tarball to check (a package is not read from standard input)") }
        }

        func run() throws {
            try Check.run(
                paths: paths, input: input, policy: policy, exceptions: exceptions, report: report, profile: Gate.profile(named: profile),
                artifacts: artifacts, inputs: { _ in .package }, configure: { $0.registryFolder = registry })
        }
    }
}
