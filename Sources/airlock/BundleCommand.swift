import AirlockCore
import ArgumentParser

/// `airlock bundle`: work with air-gap bundles.
struct BundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle", abstract: "Verify air-gap bundles.", subcommands: [Verify.self])

    struct Verify: PathsCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify air-gap bundles (tarballs or folders holding manifest.yaml) against the bundle policies (profile: verify).")

        @Argument(help: "Air-gap bundles: tarballs (.tar.gz, .tgz, .tar, .tar.zst) or folders holding manifest.yaml.")
        var paths: [String] = []

        @OptionGroup var input: InputOptions
        @OptionGroup var policy: PolicyOptions
        @OptionGroup var artifacts: ArtifactOptions
        @OptionGroup var exceptions: ExceptionOptions
        @OptionGroup var report: ReportOptions

        @Option(help: Gate.profileHelp)
        var profile = "verify"

        func validate() throws {
            if paths.isEmpty || paths.contains("-") { throw ValidationError("give the bundle tarball or folder to verify (a bundle is not read from standard input)") }
        }

        func run() throws {
            try Check.run(
                paths: paths, input: input, policy: policy, exceptions: exceptions, report: report, profile: Gate.profile(named: profile),
                artifacts: artifacts, inputs: { _ in .bundle })
        }
    }
}
