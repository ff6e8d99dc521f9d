import AirlockCore
import ArgumentParser
import Foundation
#if os(Linux)
import CMalloc
#endif

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
        returnLargeBlocksToTheSystem()
        SignalCleanup.install()
        var running: ParsableCommand.Type?
        do {
            var command = try PathRuns.parseAsRoot(Array(CommandLine.arguments.dropFirst()))
            running = type(of: command)
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            guard exitCode(for: error) == .success else { fail(fullMessage(for: error, thrownBy: running)) }
            // `--help` and `--version`: output that cannot be written is an error, as for every command.
            var output = DescriptorSink.standardOutput()
            output.write(fullMessage(for: error) + "\n")
            do { try output.finish(path: DescriptorSink.standardOutputName) } catch { fail("Error: \(error)") }
            Foundation.exit(0)
        }
    }

    /// Writes `message` to standard error and ends the run with exit code 2.
    private static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        Foundation.exit(2)
    }

    /// The message for `error`. A usage error that a command finds while running (`--tier
    /// Edge`) shows that command's usage, as one found while parsing does, not the root's.
    private static func fullMessage(for error: Error, thrownBy command: ParsableCommand.Type?) -> String {
        guard error is ValidationError, let command, let path = commandPath(to: command) else { return fullMessage(for: error) }
        return "Error: \(message(for: error))\nUsage: \(usageString(for: command))\n  See '\(path.joined(separator: " ")) --help' for more information."
    }

    /// The names leading from `root` to `command` (`airlock gate pre-deploy`), or nil when it is
    /// not in the tree.
    private static func commandPath(to command: ParsableCommand.Type, from root: ParsableCommand.Type = Airlock.self) -> [String]? {
        if ObjectIdentifier(root) == ObjectIdentifier(command) { return [root._commandName] }
        for subcommand in root.configuration.subcommands {
            if let path = commandPath(to: command, from: subcommand) { return [root._commandName] + path }
        }
        return nil
    }

    /// Keeps glibc's malloc serving blocks of 128 KiB and more from their own mappings, returned
    /// to the system when freed. By default the threshold rises to the size of the largest block
    /// freed (the YAML builders' growing arrays), and the builders' arrays freed after parsing
    /// then stay in the heap as holes: 8 MB (6%) of the peak at 5,000 namespaces, for 0.2 s more
    /// of system time spent on mappings.
    private static func returnLargeBlocksToTheSystem() {
        #if os(Linux)
        _ = mallopt(M_MMAP_THRESHOLD, 128 << 10)
        #endif
    }
}

