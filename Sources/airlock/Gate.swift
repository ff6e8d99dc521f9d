import AirlockCore
import ArgumentParser

/// `airlock gate`: the checks that stand before a deploy or a publish, as profiles define them.
struct Gate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a gate: the rules of a profile (policies/profiles.yaml) with its --fail-on default.",
        subcommands: [PreDeploy.self])

    /// Finds a profile of the built-in pack by name.
    static func profile(named name: String) throws -> Profile {
        let loaded = Profile.builtin()
        for error in loaded.errors { printError("error: " + error.description) }
        guard let profile = loaded.profiles.first(where: { $0.name == name }) else {
            throw ValidationError("no profile named \"\(name)\" (have: \(loaded.profiles.map(\.name).joined(separator: ", ")))")
        }
        return profile
    }

    struct PreDeploy: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pre-deploy",
            abstract: "Check manifests and values before a deploy (profile: deploy).")

        @OptionGroup var input: InputOptions
        @OptionGroup var policy: PolicyOptions
        @OptionGroup var exceptions: ExceptionOptions
        @OptionGroup var report: ReportOptions

        @Option(help: "The profile to run.")
        var profile = "deploy"

        func run() throws {
            try Check.run(input: input, policy: policy, exceptions: exceptions, report: report, profile: Gate.profile(named: profile))
        }
    }
}
