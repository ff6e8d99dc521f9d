import AirlockCore
import ArgumentParser
import Foundation

/// The `airlock` command: a policy and compliance gate for Kubernetes deployments.
@main
struct Airlock: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        abstract: "Policy and compliance gate for Kubernetes deployments of packaged agent platforms.",
        discussion: """
            Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; \
            2 the result cannot be trusted (unreadable input, bad YAML, bad policy, usage error, \
            or a rule that failed to evaluate).
            """,
        version: version,
        subcommands: [Check.self, Gate.self, BundleCommand.self, InventoryCommand.self, PolicyCommand.self]
    )

    /// Parses the command line, runs the command, and maps every outcome to the exit-code contract.
    static func main() {
        SignalCleanup.install()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
            } else {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            Foundation.exit(code.rawValue)
        }
    }
}

