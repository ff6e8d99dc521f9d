import AirlockCore
import Foundation
import AirlockReports
import CEL
import ArgumentParser

/// `airlock policy`: list, explain and test policies.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "List, explain and test policies.",
        subcommands: [List.self, Explain.self, Test.self])

    /// Loads policies as `check` would, with the config file (`--config`, else `airlock.yaml`)
    /// applied, failing with every error of either; `disabled` is what the config turns off.
    static func load(_ options: PolicyOptions) throws -> (policies: [CompiledPolicy], disabled: Set<String>) {
        var check = CheckOptions()
        try options.apply(to: &check)
        let configErrors = ConfigFile.load(into: &check)
        let compiled = CheckRunner.compilePolicies(check, inventory: Inventory())
        for note in compiled.notes { printNote(note) }
        let errors = configErrors + compiled.errors
        for error in errors { printError(TextReporter.diagnosticLine(error)) }
        if !errors.isEmpty { throw ExitCode(2) }
        return (compiled.policies, check.disabledRules)
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the loaded rules: id, category, severity, title.")

        @OptionGroup var policy: PolicyOptions

        func run() throws {
            let loaded = try PolicyCommand.load(policy)
            let rules = loaded.policies.map(\.descriptor)
            let idWidth = max(2, rules.map(\.id.count).max() ?? 0)
            let categoryWidth = max(8, rules.map(\.category.rawValue.count).max() ?? 0)
            func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
            var output = DescriptorSink.standardOutput()
            output.write("\(pad("ID", idWidth))  \(pad("CATEGORY", categoryWidth))  SEVERITY  TITLE\n")
            for rule in rules {
                output.write("\(pad(rule.id, idWidth))  \(pad(rule.category.rawValue, categoryWidth))  \(pad(rule.severity.rawValue, 8))  \(rule.title)\n")
            }
            try output.finish(path: DescriptorSink.standardOutputName)
            if !loaded.disabled.isEmpty {
                printNote("not listed, as the configuration file disables them: \(loaded.disabled.sorted().joined(separator: ", "))")
            }
        }
    }

    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print one rule in full: what it checks, where, its params (after the config file and --param) and its expressions.")

        @Argument(help: "The rule id.")
        var id: String

        @OptionGroup var policy: PolicyOptions

        func run() throws {
            let loaded = try PolicyCommand.load(policy)
            guard let compiled = loaded.policies.first(where: { $0.descriptor.id == id }) else {
                let hint = NameSuggestion.hint(for: id, among: Set(loaded.policies.map(\.descriptor.id)))
                printError(loaded.disabled.contains(id)
                    ? "airlock: error: rule \(id) is disabled by the configuration file"
                    : "airlock: error: no rule with id \"\(id)\"\(hint) (see airlock policy list)")
                throw ExitCode(2)
            }
            let rule = compiled.descriptor
            let match = compiled.policy.match
            var output = DescriptorSink.standardOutput()
            output.write("""
                \(rule.id): \(rule.title)
                category: \(rule.category.rawValue)
                severity: \(rule.severity.rawValue)
                controls: \(rule.controls.isEmpty ? "-" : rule.controls.joined(separator: ", "))
                target: \(compiled.policy.target.rawValue)\(compiled.policy.target == .resource ? (["", "applies to: " + match.kindSummary] + match.scopeSummary + Self.bindingScope(of: compiled.policy)).joined(separator: "\n") : "")\(match.tiers.isEmpty ? "" : "\ntiers: " + match.tiers.joined(separator: ", "))
                defined at: \(compiled.policy.location.file):\(compiled.policy.location.line)\(Self.binding(of: compiled.policy))

                \(rule.description)

                Remediation: \(rule.remediation.isEmpty ? "-" : rule.remediation)

                """)
            output.write(Self.expressions(of: compiled))
            try output.finish(path: DescriptorSink.standardOutputName)
        }

        /// What the binding a rule applies through narrows its objects down by, one line each.
        private static func bindingScope(of policy: Policy) -> [String] {
            guard let match = policy.binding?.match else { return [] }
            let resources = match.resourceRules.isEmpty && match.excludeResourceRules.isEmpty ? [] : [match.kindSummary]
            return (resources + match.scopeSummary).map { "binding: " + $0 }
        }

        /// Where the binding a rule applies through is, and the params its paramRef selects.
        private static func binding(of policy: Policy) -> String {
            guard let binding = policy.binding else { return "" }
            let params = binding.paramRef.map { "\nparams: \($0.described(kind: policy.paramKind ?? "")) (none found: \($0.deniesWhenNotFound ? "Deny" : "Allow"))" }
            return "\nbound at: \(binding.location.file):\(binding.location.line) (ValidatingAdmissionPolicyBinding \(binding.name))" + (params ?? "")
        }

        /// The rule's params (when it has any), conditions, variables and validations, each
        /// validation with what it sets beside its expression.
        private static func expressions(of compiled: CompiledPolicy) -> String {
            let policy = compiled.policy
            var lines: [String] = []
            if case .map(let params) = compiled.params, params.count > 0 { lines.append("params: \(compiled.params)") }
            lines += policy.conditions.map { "condition \($0.name): \($0.expression.source)" }
            lines += policy.variables.map { "variable \($0.name): \($0.expression.source)" }
            for validation in policy.validations {
                lines.append("\nvalidation: \(validation.expression.source)")
                if let forEach = validation.forEach { lines.append("  for each \(validation.forEachName) in: \(forEach.source)") }
                if let severity = validation.severity { lines.append("  severity: \(severity.rawValue)") }
                if let message = validation.message { lines.append("  message: \(message)") }
                if let message = validation.messageExpression { lines.append("  messageExpression: \(message.source)") }
                if let path = validation.pathExpression { lines.append("  pathExpression: \(path.source)") }
                // It stands when the pathExpression fails or gives no path.
                if !validation.path.isEmpty { lines.append("  path: \(DottedPath.text(validation.path))") }
            }
            return lines.isEmpty ? "" : "\n" + lines.joined(separator: "\n") + "\n"
        }
    }

    struct Test: PathsCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the policy tests under PATH (policies and their tests/ folders); exit 1 on a failure.")

        @Argument(help: "Policy folders holding tests/ folders.")
        var paths: [String] = ["policies"]

        func run() throws {
            let files = paths.filter(Self.isFile)
            guard files.isEmpty else {
                for file in files { printError(TextReporter.diagnosticLine(Self.notAFolder(file))) }
                throw ExitCode(2)
            }
            let loaded = PolicySource.load(paths: paths, includeBuiltin: false)
            for note in loaded.notes { printNote(note) }
            var errors = loaded.errors
            // A policy whose expressions do not compile did not load, as a run reads it.
            var policies: [Policy] = []
            for policy in loaded.policies {
                let expressionErrors = PolicyLoader.expressionErrors(of: policy)
                errors += expressionErrors
                if expressionErrors.isEmpty { policies.append(policy) }
            }
            var tests: [PolicyTest] = []
            for path in paths {
                let found = InputDiscovery.manifestFiles(under: path)
                // The policies' loader lists the same folders: a place it reported (a folder
                // that does not exist) is reported once.
                errors += found.errors.filter { error in !loaded.errors.contains { $0.location == error.location } }
                for file in found.sources where file.name.split(separator: "/").contains("tests") {
                    switch InputReader.read(file) {
                    case .failure(let error): errors.append(error)
                    case .success(let input):
                        let parsed = PolicyTestLoader.load(input.bytes, file: input.name)
                        tests += parsed.tests
                        errors += parsed.errors
                    }
                }
            }
            for error in errors { printError(TextReporter.diagnosticLine(error)) }
            // The tests of what did load still run and are reported (a case of a policy that did
            // not load fails for it); any error fails the command all the same.
            let report = PolicyTestRunner(policies: policies, tests: tests).run()
            var output = DescriptorSink.standardOutput()
            for failure in report.failures { output.write("FAIL " + failure + "\n") }
            let unloaded = errors.isEmpty ? "" : ", \(errors.count) error\(errors.count == 1 ? "" : "s") (policies or tests not loaded)"
            output.write("\(report.passed) passed, \(report.failed) failed\(unloaded)\n")
            try output.finish(path: DescriptorSink.standardOutputName)
            if !errors.isEmpty { throw ExitCode(2) }
            if report.failed > 0 { throw ExitCode(1) }
        }

        private static func isFile(_ path: String) -> Bool {
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && !isFolder.boolValue
        }

        /// The error for a file given in place of a folder: it names the folder to give, the one
        /// that holds the file's `tests/` folder (or the file itself, for a policy file).
        private static func notAFolder(_ file: String) -> Diagnostic {
            var components = file.split(separator: "/", omittingEmptySubsequences: false).dropLast()
            if let tests = components.lastIndex(of: "tests") { components = components[..<tests] }
            let folder = components.isEmpty ? "." : components.joined(separator: "/")
            return Diagnostic(
                kind: .configuration,
                message: "policy test takes policy folders, whose tests/ folders hold the test files, not a file: give \(folder.isEmpty ? "/" : folder)",
                location: SourceSpan(file: file, line: 1, column: 1))
        }
    }
}
